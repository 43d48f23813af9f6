// `npm start`'s HTTP server under slow and idle clients (slow-loris): connections that never
// finish their headers are closed after HTTP_HEADERS_TIMEOUT_MS, connections over
// HTTP_MAX_CONNECTIONS are closed at once, and a normal request succeeds afterwards. The bot
// runs as a real process; every socket goes to 127.0.0.1 and the counts are bounded.
import { type Socket, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBot } from "./helpers/bot-process.js";

let bot: BotProcess;
let capped: BotProcess;
beforeAll(async () => {
  [bot, capped] = await Promise.all([
    startBot({ HTTP_HEADERS_TIMEOUT_MS: "1000", HTTP_MAX_CONNECTIONS: "1000" }),
    startBot({ HTTP_HEADERS_TIMEOUT_MS: "4000", HTTP_MAX_CONNECTIONS: "20" }),
  ]);
});
afterAll(async () => Promise.all([bot?.stop(), capped?.stop()]));

/** Opens a socket that sends `prefix` (or nothing) and then stays idle; resolves with when it was closed. */
function idleSocket(port: number, prefix: string): { socket: Socket; closedAt: Promise<number> } {
  const socket = connect(port, "127.0.0.1");
  socket.on("connect", () => {
    if (prefix) socket.write(prefix);
  });
  socket.on("data", () => undefined);
  const closedAt = new Promise<number>((resolve) => {
    socket.on("close", () => resolve(Date.now()));
    socket.on("error", () => undefined);
  });
  return { socket, closedAt };
}

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);
const portOf = (b: BotProcess) => Number(new URL(b.url).port);

describe("slow and idle connections", () => {
  it("300 idle or half-sent connections (under the cap) are closed after HTTP_HEADERS_TIMEOUT_MS; then /healthz answers", async () => {
    const start = Date.now();
    const sockets = Array.from({ length: 300 }, (_, i) => idleSocket(portOf(bot), i % 2 ? "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " : ""));
    try {
      // Node's defaults keep a silent connection forever and a half-sent one for a minute.
      const closed = await within(Promise.all(sockets.map((s) => s.closedAt)), 8000);
      expect(closed, "every idle connection closed by the server").toBeDefined();
      expect(Math.min(...closed!) - start, "not before the timeout").toBeGreaterThanOrEqual(900);
      const res = await fetch(`${bot.url}/healthz`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe("ok");
    } finally {
      for (const s of sockets) s.socket.destroy();
    }
  }, 20_000);

  it("over HTTP_MAX_CONNECTIONS a new connection is closed at once, and served again once the idle ones are gone", async () => {
    const held = Array.from({ length: 20 }, () => idleSocket(portOf(capped), ""));
    try {
      await new Promise((r) => setTimeout(r, 300));
      const extra = idleSocket(portOf(capped), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      expect(await within(extra.closedAt, 1500), "the 21st connection dropped").toBeDefined();
      expect(await within(Promise.all(held.map((s) => s.closedAt)), 8000), "the held ones closed by the headers timeout").toBeDefined();
      expect((await fetch(`${capped.url}/healthz`)).status).toBe(200);
    } finally {
      for (const s of held) s.socket.destroy();
    }
  }, 20_000);
});
