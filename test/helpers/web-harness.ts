// The web console mounted on the bot's real HTTP app, listening on 127.0.0.1, with a real
// BotService over an in-process store.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { BotService } from "../../src/core/bot-service.js";
import type { RuleEngine } from "../../src/engine/engine.js";
import type { LlmConfig } from "../../src/llm/config.js";
import { LlmFallback } from "../../src/llm/fallback.js";
import { createHttpApp } from "../../src/server/http.js";
import { Store } from "../../src/store/store.js";
import { mountWebConsole } from "../../src/web/index.js";
import { builtinEngine } from "./engine.js";

export interface WebHarness {
  url: string;
  service: BotService;
  store: Store;
  close: () => Promise<void>;
}

export async function startConsole(o: { token?: string; host?: string; maxBytes?: number; engine?: RuleEngine; llm?: LlmConfig } = {}): Promise<WebHarness> {
  const engine = o.engine ?? builtinEngine();
  const store = Store.create(undefined);
  const silent = pino({ level: "silent" });
  const service = new BotService(engine, store, o.llm ? new LlmFallback({ config: o.llm, store, log: silent }) : undefined);
  const app = createHttpApp({ engine, store, mode: ["local"], version: "test" });
  const config = { HOST: o.host ?? "127.0.0.1", WEB_TOKEN: o.token, MAX_LOG_BYTES: o.maxBytes ?? 50 * 1024 * 1024 };
  mountWebConsole(app, { config, service, log: silent });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    service,
    store,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}
