// Starts the bot's HTTP app with the Slack adapter in-process, the way `npm start` wires it,
// against a FakeSlack, and sends it requests signed like Slack's (X-Slack-Signature v0).
import { createHmac } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Logger, pino } from "pino";
import { type SlackAdapter, createSlackAdapter } from "../../src/adapters/slack/app.js";
import type { Handled } from "../../src/adapters/slack/deps.js";
import { loadConfig } from "../../src/config/config.js";
import { BotService } from "../../src/core/bot-service.js";
import { LlmFallback } from "../../src/llm/fallback.js";
import { createHttpApp } from "../../src/server/http.js";
import { Store } from "../../src/store/store.js";
import { builtinEngine } from "./engine.js";
import { APP_TOKEN, BOT_TOKEN, BOT_USER, FakeSlack, TEAM, until } from "./fake-slack.js";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

let counter = 0;
export const uniq = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase();

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  secret?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Overrides the computed signature. */
  signature?: string;
}

export interface SlackBot {
  url: string;
  fake: FakeSlack;
  service: BotService;
  adapter: SlackAdapter;
  handled: Handled[];
  send(body: string, contentType: string, opts?: SendOptions): Promise<Response>;
  command(text: string, extra?: Record<string, string>, opts?: SendOptions): Promise<{ res: Response; responseUrlId: string }>;
  event(event: Record<string, unknown>, opts?: SendOptions & { eventId?: string }): Promise<Response>;
  interaction(payload: Record<string, unknown>, opts?: SendOptions): Promise<Response>;
  waitHandled(pred: (h: Handled) => boolean, what: string): Promise<Handled>;
  stop(): Promise<void>;
}

export async function startSlackBot(env: Record<string, string> = {}, fakeSlack?: FakeSlack, namespace?: string, logger?: Logger): Promise<SlackBot> {
  const fake = fakeSlack ?? (await FakeSlack.start());
  const config = loadConfig({
    PORT: "0",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_FILES_URL: fake.filesUrl,
    ...env,
  });
  const log = logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const engine = builtinEngine();
  // With KEYV_URL, bots started with the same `namespace` share their state (several instances).
  const store = Store.create(config.KEYV_URL, log, namespace ?? uniq("bxf-test-"), { timeoutMs: config.STORE_TIMEOUT_MS });
  // With OPENAI_* set, the LLM fallback is wired as `npm start` wires it.
  const llm = config.llm ? new LlmFallback({ config: config.llm, store, log }) : undefined;
  const service = new BotService(engine, store, llm);
  const mode: string[] = [];
  const http = createHttpApp({ engine, store, mode, version: "test" });
  const handled: Handled[] = [];
  const adapter = createSlackAdapter({ config, service, log, http, onHandled: (h) => handled.push(h) });
  if (!adapter) throw new Error("the Slack adapter did not start with these settings");
  await adapter.start();
  mode.push("slack");
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const send = (body: string, contentType: string, opts: SendOptions = {}) => {
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(`${url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": opts.signature ?? signature(opts.secret ?? SIGNING_SECRET, ts, body),
      },
      body,
    });
  };

  return {
    url,
    fake,
    service,
    adapter,
    handled,
    send,
    async command(text, extra = {}, opts) {
      const responseUrlId = uniq("R");
      const body = new URLSearchParams({
        token: "verification-token",
        team_id: TEAM,
        team_domain: "fake-team",
        channel_id: "C0GENERAL",
        channel_name: "general",
        user_id: "U0ALICE",
        user_name: "alice",
        command: config.SLACK_COMMAND,
        text,
        api_app_id: "A0APP",
        is_enterprise_install: "false",
        response_url: fake.responseUrl(responseUrlId),
        trigger_id: uniq("TRIG"),
        ...extra,
      }).toString();
      return { res: await send(body, "application/x-www-form-urlencoded", opts), responseUrlId };
    },
    event(event, opts = {}) {
      const body = JSON.stringify({
        token: "verification-token",
        team_id: TEAM,
        api_app_id: "A0APP",
        event,
        type: "event_callback",
        event_id: opts.eventId ?? uniq("Ev"),
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      });
      return send(body, "application/json", opts);
    },
    interaction(payload, opts) {
      return send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded", opts);
    },
    waitHandled(pred, what) {
      return until(() => handled.find(pred), what);
    },
    async stop() {
      await adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      if (!fakeSlack) await fake.close();
    },
  };
}

export { APP_TOKEN };
