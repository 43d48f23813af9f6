// The Discord adapter alone, as one process: what the sharding manager (shards-main.ts) runs
// once per shard. discord.js reads which shards this process serves from the environment the
// manager sets (SHARDS, SHARD_COUNT). Commands are registered by the manager, not here.
// Shards share dedupe, feedback, stats and settings only through KEYV_URL (Redis).
import { pino } from "pino";
import { redactingLogOptions } from "../../redact/log.js";
import { ConfigError, loadConfig } from "../../config/config.js";
import { BotService } from "../../core/bot-service.js";
import { createEngine } from "../../engine/index.js";
import { RuleLoadError } from "../../rules/errors.js";
import { Store } from "../../store/store.js";
import { createDiscordAdapter, discordConfigured } from "./client.js";

const log = pino({ level: process.env.LOG_LEVEL ?? "info", ...redactingLogOptions }).child({ shards: process.env.SHARDS });

async function main(): Promise<void> {
  const config = loadConfig();
  const configured = discordConfigured(config);
  if (!configured.ok) throw new ConfigError(configured.why ?? "set DISCORD_TOKEN and DISCORD_APPLICATION_ID");
  const engine = createEngine({ extraDirs: config.rulesDirs });
  const store = Store.create(config.KEYV_URL, log, undefined, { timeoutMs: config.STORE_TIMEOUT_MS });
  const service = new BotService(engine, store);
  const adapter = createDiscordAdapter({ config, service, log, registerCommands: false })!;
  await adapter.start();
  const shutdown = async () => {
    await adapter.stop();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

main().catch((err: unknown) => {
  log.fatal(err instanceof RuleLoadError || err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
});
