// Starts the Discord adapter in-process the way `npm start` wires it (shared BotService over an
// in-process store), logged in with the real discord.js client against a FakeDiscord, and
// collects what each incoming event led to.
import { pino } from "pino";
import { type DiscordAdapter, createDiscordAdapter } from "../../src/adapters/discord/client.js";
import type { Handled } from "../../src/adapters/discord/deps.js";
import { loadConfig } from "../../src/config/config.js";
import { BotService } from "../../src/core/bot-service.js";
import { LlmFallback } from "../../src/llm/fallback.js";
import { Store } from "../../src/store/store.js";
import { builtinEngine } from "./engine.js";
import { APP_ID, FakeDiscord, type FakeDiscordOptions, TOKEN, eventually } from "./fake-discord.js";

export interface DiscordBot {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  service: BotService;
  store: Store;
  handled: Handled[];
  /** Waits for the report of an event matching `pred`. */
  waitHandled(pred: (h: Handled) => boolean, what: string): Promise<Handled>;
  stop(): Promise<void>;
}

export async function startDiscordBot(env: Record<string, string> = {}, fakeOptions: FakeDiscordOptions = {}): Promise<DiscordBot> {
  const fake = await FakeDiscord.start(fakeOptions);
  const config = loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.apiUrl, DISCORD_MESSAGE_CONTENT: "true", ...env });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const store = Store.create(undefined, log);
  // With OPENAI_* set, the LLM fallback is wired as `npm start` wires it.
  const llm = config.llm ? new LlmFallback({ config: config.llm, store, log }) : undefined;
  const service = new BotService(builtinEngine(), store, llm);
  const handled: Handled[] = [];
  const adapter = createDiscordAdapter({ config, service, log, onHandled: (h) => handled.push(h) });
  if (!adapter) throw new Error("the Discord adapter did not start with these settings");
  try {
    await adapter.start();
  } catch (err) {
    await fake.close();
    throw err;
  }
  return {
    fake,
    adapter,
    service,
    store,
    handled,
    waitHandled: (pred, what) => eventually(() => handled.find(pred), what),
    async stop() {
      await adapter.stop();
      await store.close();
      await fake.close();
    },
  };
}

/** A high-confidence cause (load-manifest-list-unsupported). */
export const LOAD_LOG = `$ docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest --load .
[+] Building 0.1s (0/0) docker-container:stoic_hellman
ERROR: docker exporter does not currently support exporting manifest lists`;
export const LOAD_RULE = "load-manifest-list-unsupported";
export const LOAD_FIX = "docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest --push .";

/** A failing RUN step (a medium-confidence generic cause) with secrets on several lines. */
export const SECRET_PASSWORD = "hunter2secret";
export const SECRET_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz012345";
export const SECRET_LOG = `$ docker login -u bob -p ${SECRET_PASSWORD} registry.example.com
Login Succeeded
#8 [3/5] RUN curl -fsSL -H "Authorization: Bearer ${SECRET_TOKEN}" https://api.example.com/x | sh
#8 0.512 curl: (22) The requested URL returned error: 401
#8 ERROR: process "/bin/sh -c curl -fsSL -H \\"Authorization: Bearer ${SECRET_TOKEN}\\" https://api.example.com/x | sh" did not complete successfully: exit code: 22
ERROR: failed to solve: process "/bin/sh -c curl -fsSL -H \\"Authorization: Bearer ${SECRET_TOKEN}\\" https://api.example.com/x | sh" did not complete successfully: exit code: 22`;

/** The same failure with a few words of Chinese around it. */
export const CHINESE_LOG = `构建失败了，帮忙看看是什么问题：\n${LOAD_LOG}`;

/** A log whose answer cannot fit Discord's limits: an image name of thousands of characters fills every fix command. */
export const HUGE_LOG = `$ docker buildx build --platform linux/amd64,linux/arm64 -t registry.example.com/${"team-".repeat(600)}/app:latest --load .
[+] Building 0.1s (0/0) docker-container:stoic_hellman
ERROR: docker exporter does not currently support exporting manifest lists`;
