// Whether the real Redis on 127.0.0.1:6379 is there. On a developer machine without it the
// Redis tests are skipped and say why; in CI (CI=true) they must run, so its absence fails.
import { createConnection } from "node:net";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function redisReachable(timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => {
      socket.write("PING\r\n");
      socket.once("data", (d) => done(d.toString().startsWith("+PONG")));
    });
  });
}

export const redisAvailable = await redisReachable();
export const inCI = process.env.CI === "true" || process.env.CI === "1";
export const SKIP_REASON = `Redis tests skipped: nothing answers at ${REDIS_URL} (start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no)`;
if (!redisAvailable && !inCI) console.warn(SKIP_REASON);
