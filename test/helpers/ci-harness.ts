// The bot's HTTP app with CI alerts on, in this process (fast backoff), on a free port; and
// signed requests to it.
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { type CiAlerts, setupCiAlerts } from "../../src/alerts/index.js";
import { sign } from "../../src/alerts/signature.js";
import { loadConfig } from "../../src/config/config.js";
import { BotService } from "../../src/core/bot-service.js";
import { createEngine } from "../../src/engine/index.js";
import { createHttpApp } from "../../src/server/http.js";
import { Store } from "../../src/store/store.js";

export const CI_SECRET = "ci-webhook-secret-for-tests-0123456789";
export const GH_SECRET = "github-webhook-secret-for-tests";

let engine: ReturnType<typeof createEngine> | undefined;

export interface CiBot {
  url: string;
  ci: CiAlerts | undefined;
  service: BotService;
  stop(): Promise<void>;
}

export async function startCiBot(env: Record<string, string>): Promise<CiBot> {
  const config = loadConfig({ RULES_DIR: "", DATA_DIR: mkdtempSync(join(tmpdir(), "bxf-ci-")), ...env });
  engine ??= createEngine({});
  const store = Store.create(config.KEYV_URL, undefined, env.STORE_NAMESPACE ?? "buildx-fix");
  const service = new BotService(engine, store);
  const app = createHttpApp({ engine, store, mode: ["local"], version: "test" });
  const ci = setupCiAlerts({ config, service, log: pino({ level: "silent" }), http: app, retry: { attempts: 4, baseMs: 20, maxMs: 2000 } });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ci,
    service,
    async stop() {
      await ci?.alerts.idle();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}

/** POSTs `body` (an object is JSON-encoded) with `signature` (default: the right one for `secret`). */
export function signedPost(url: string, body: unknown, o: { secret?: string; header?: string; signature?: string | null; headers?: Record<string, string> } = {}): Promise<Response> {
  const raw = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const header = o.header ?? "x-buildx-fix-signature";
  const sig = o.signature === undefined ? sign(o.secret ?? CI_SECRET, raw) : o.signature;
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(sig === null ? {} : { [header]: sig }), ...o.headers }, body: raw });
}
