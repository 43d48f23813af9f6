// `npm start`: the bot process. Loads the rules (a broken rule file stops it here, with the
// file, rule and field named), opens the state store, serves HTTP on PORT, and starts every
// adapter that has its tokens. With no chat tokens it runs in local mode and, in a
// terminal, opens the terminal chat.
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { redactingLogOptions } from "./redact/log.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { createEngine } from "./engine/index.js";
import { RuleLoadError } from "./rules/errors.js";
import { runTerminalChat } from "./adapters/local/terminal-chat.js";
import { type DiscordAdapter, createDiscordAdapter, discordConfigured } from "./adapters/discord/client.js";
import { type SlackAdapter, createSlackAdapter } from "./adapters/slack/app.js";
import { chooseSlackMode } from "./adapters/slack/receiver.js";
import { BotService } from "./core/bot-service.js";
import { PACKAGE_VERSION } from "./package-info.js";
import { setupCiAlerts } from "./alerts/index.js";
import { createHttpApp } from "./server/http.js";
import { listenLimited } from "./server/listen.js";
import { mountWebConsole } from "./web/index.js";
import { Store } from "./store/store.js";

const log = pino({ level: process.env.LOG_LEVEL ?? "info", ...redactingLogOptions });

async function main(): Promise<void> {
  const config = loadConfig();
  const engine = createEngine({ extraDirs: config.rulesDirs });
  const store = Store.create(config.KEYV_URL, log, undefined, { timeoutMs: config.STORE_TIMEOUT_MS });
  // Chat adapters register here (Slack, Discord); with none running, the bot is
  // in local mode.
  const adapters: string[] = [];
  const app = createHttpApp({ engine, store, mode: adapters, version: PACKAGE_VERSION });
  if (config.llmOff) log.warn(config.llmOff);
  // The openai SDK is loaded only when the fallback is configured.
  const llm = config.llm ? new (await import("./llm/fallback.js")).LlmFallback({ config: config.llm, store, log }) : undefined;
  if (config.llm) log.info({ model: config.llm.model, baseURL: config.llm.baseURL ?? "OpenAI" }, "LLM fallback on");
  const service = new BotService(engine, store, llm);
  const ci = setupCiAlerts({ config, service, log, http: app });
  if (ci) log.info({ endpoints: ci.endpoints }, `CI alerts on ${ci.endpoints.join(" and ")}`);
  mountWebConsole(app, { config, service, log });

  const slackChoice = chooseSlackMode(config);
  if (slackChoice.mode === undefined && slackChoice.why) log.warn(`Slack adapter not started: ${slackChoice.why}`);
  const slack: SlackAdapter | undefined = createSlackAdapter({ config, service, log, http: app });
  if (slack) {
    await slack.start();
    adapters.push("slack");
    log.info({ mode: slack.mode }, slack.mode === "socket" ? "Slack adapter running in Socket Mode" : "Slack adapter running in HTTP mode on POST /slack/events");
  }
  const discordChoice = discordConfigured(config);
  if (!discordChoice.ok && discordChoice.why) log.warn(`Discord adapter not started: ${discordChoice.why}`);
  const discord: DiscordAdapter | undefined = createDiscordAdapter({ config, service, log });
  if (discord) {
    await discord.start();
    adapters.push("discord");
  }
  const local = adapters.length === 0;
  if (local) {
    adapters.push("local");
    const why = config.chatTokens.length ? "no chat adapter running" : "no chat tokens (SLACK_BOT_TOKEN, SLACK_APP_TOKEN, DISCORD_TOKEN)";
    log.info(`${why}: running in local mode with ${store.kind === "memory" ? "in-process" : "Redis"} storage`);
  }
  const server = await listenLimited(app, config, config.PORT, config.HOST);
  const { port } = server.address() as AddressInfo;
  log.info({ port, rules: engine.rules.length, store: store.kind }, `buildx-fix listening on http://localhost:${port} (GET /healthz)`);

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    server.close();
    await slack?.stop().catch((err: unknown) => log.warn({ err: String(err) }, "stopping the Slack adapter failed"));
    await discord?.stop().catch((err: unknown) => log.warn({ err: String(err) }, "stopping the Discord adapter failed"));
    // Alerts already accepted get a few seconds to reach chat.
    await Promise.race([ci?.alerts.idle(), new Promise((r) => setTimeout(r, 5000))]);
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  if (local && process.stdin.isTTY) {
    await runTerminalChat({ engine, service, input: process.stdin, output: process.stdout });
    await shutdown("end of terminal chat");
  }
}

main().catch((err: unknown) => {
  if (err instanceof RuleLoadError || err instanceof ConfigError) {
    log.fatal(err.message);
    process.exit(1);
  }
  log.fatal({ err }, "buildx-fix failed to start");
  process.exit(1);
});
