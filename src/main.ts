// `npm start`: the bot process. Reads `.env` (the real environment wins), loads the rules (a
// broken rule file stops it here, with the file, rule and field named), opens the state store,
// serves HTTP on PORT (/healthz, /readyz, /metrics, webhooks), and starts every adapter that has
// its tokens. With no chat tokens it runs in local mode; in a terminal it opens the terminal
// chat. SIGTERM shuts it down gracefully (src/ops/shutdown.ts).
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { ConfigError, loadConfig } from "./config/config.js";
import { createEngine } from "./engine/index.js";
import { OffThreadDiagnoser } from "./engine/off-thread.js";
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
import { loadDotEnv } from "./ops/env-file.js";
import { TerminalLog, createLogger, logFormat } from "./ops/logger.js";
import { BotMetrics } from "./ops/metrics.js";
import { Readiness } from "./ops/readiness.js";
import { shutdownOnSignals } from "./ops/shutdown.js";

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

async function main(): Promise<Logger> {
  const envFile = loadDotEnv();
  const metrics = new BotMetrics().install();
  const chatOnTty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const terminal = chatOnTty ? new TerminalLog(process.stdout) : undefined;
  const level = process.env.LOG_LEVEL && LEVELS.has(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : "info";
  const log = await createLogger({ level, format: logFormat(process.env, process.stdout), onError: (c) => metrics.error(c), ...(terminal ? { terminal } : {}) });
  try {
    await run(log, metrics, terminal, envFile);
  } catch (err) {
    fail(log, err);
  }
  return log;
}

async function run(log: Logger, metrics: BotMetrics, terminal: TerminalLog | undefined, envFile: string | undefined): Promise<void> {
  if (envFile) log.info({ file: envFile }, "read settings from .env (variables already set in the environment win)");
  const config = loadConfig();
  const engine = createEngine({ extraDirs: config.rulesDirs });
  const store = Store.create(config.KEYV_URL, log, undefined, { timeoutMs: config.STORE_TIMEOUT_MS });
  // Chat adapters register here (Slack, Discord); with none running, the bot is
  // in local mode.
  const adapters: string[] = [];
  const readiness = new Readiness();
  const app = createHttpApp({ engine, store, mode: adapters, version: PACKAGE_VERSION, readiness, metrics });
  if (config.llmOff) log.warn(config.llmOff);
  // The openai SDK is loaded only when the fallback is configured.
  const llm = config.llm ? new (await import("./llm/fallback.js")).LlmFallback({ config: config.llm, store, log }) : undefined;
  if (llm) {
    log.info({ model: llm.config.model, baseURL: llm.config.baseURL ?? "OpenAI" }, "LLM fallback on");
    metrics.watchLlm(() => llm.metrics());
  }
  const offThread = new OffThreadDiagnoser(engine, { extraDirs: config.rulesDirs });
  const service = new BotService(engine, store, llm, offThread);
  const ci = setupCiAlerts({ config, service, log, http: app });
  if (ci) log.info({ endpoints: ci.endpoints }, `CI alerts on ${ci.endpoints.join(" and ")}`);
  mountWebConsole(app, { config, service, log });

  const slackChoice = chooseSlackMode(config);
  if (slackChoice.mode === undefined && slackChoice.why) log.warn(`Slack adapter not started: ${slackChoice.why}`);
  const slack: SlackAdapter | undefined = createSlackAdapter({ config, service, log, http: app });
  if (slack) {
    await slack.start();
    adapters.push("slack");
    readiness.add("slack", () => (slack.connected() ? { ok: true, detail: slack.mode } : { ok: false, detail: `${slack.mode} mode: not connected` }));
    log.info({ mode: slack.mode }, slack.mode === "socket" ? "Slack adapter running in Socket Mode" : "Slack adapter running in HTTP mode on POST /slack/events");
  }
  const discordChoice = discordConfigured(config);
  if (!discordChoice.ok && discordChoice.why) log.warn(`Discord adapter not started: ${discordChoice.why}`);
  const discord: DiscordAdapter | undefined = createDiscordAdapter({ config, service, log });
  if (discord) {
    await discord.start();
    adapters.push("discord");
    readiness.add("discord", () => (discord.connected() ? { ok: true, detail: "gateway ready" } : { ok: false, detail: "gateway not connected" }));
  }
  const local = adapters.length === 0;
  if (local) {
    adapters.push("local");
    const why = config.chatTokens.length ? "no chat adapter running" : "no chat tokens (SLACK_BOT_TOKEN, SLACK_APP_TOKEN, DISCORD_TOKEN)";
    log.info(`${why}: running in local mode with ${store.kind === "memory" ? "in-process" : "Redis"} storage`);
  }
  const server = await listenLimited(app, config, config.PORT, config.HOST);
  const { port } = server.address() as AddressInfo;
  log.info({ port, rules: engine.rules.length, store: store.kind }, `buildx-fix listening on http://localhost:${port} (GET /healthz, /readyz, /metrics)`);

  const shutdown = shutdownOnSignals({
    server,
    readiness,
    log,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    idle: ci ? [() => ci.alerts.idle()] : [],
    close: [
      ...(slack ? [{ name: "the Slack adapter", run: () => slack.stop() }] : []),
      ...(discord ? [{ name: "the Discord adapter", run: () => discord.stop() }] : []),
      { name: "the store", run: () => store.close() },
      { name: "the diagnosis worker", run: () => offThread.close() },
    ],
  });

  if (terminal) {
    await runTerminalChat({ engine, service, input: process.stdin, output: process.stdout, guard: terminal });
    // What else serves: without it, the chat was all this process did.
    const serving = [...adapters.filter((a) => a !== "local"), ...(ci?.endpoints ?? [])];
    if (!serving.length) return shutdown("end of terminal chat");
    // Ctrl-D leaves stdin at its end; the bot keeps serving until a signal.
    log.info({ serving }, `terminal chat closed; still serving ${serving.join(", ")} on http://localhost:${port} (Ctrl-C stops)`);
  }
}

function fail(log: Logger, err: unknown): never {
  if (err instanceof RuleLoadError || err instanceof ConfigError) log.fatal(err.message);
  else log.fatal({ err }, "buildx-fix failed to start");
  process.exit(1);
}

await main();
