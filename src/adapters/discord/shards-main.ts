// `npm run discord:shards`: the Discord bot for large installations (Discord requires sharding
// from 2 500 guilds). Registers the commands once, asks Discord (DISCORD_API_URL's /gateway/bot)
// how many shards to run, and starts one bot-main.js process per shard with discord.js's
// ShardingManager, restarting any that die. Use it instead of `npm start` for Discord, with
// KEYV_URL pointing at Redis so the shards share state.
import { fileURLToPath } from "node:url";
import { type RESTGetAPIGatewayBotResult, Routes, ShardingManager } from "discord.js";
import { pino } from "pino";
import { redactingLogOptions } from "../../redact/log.js";
import { ConfigError, loadConfig } from "../../config/config.js";
import { redact } from "../../redact/secrets.js";
import { Store } from "../../store/store.js";
import { discordConfigured } from "./client.js";
import { ensureCommands, restClient } from "./register.js";

const log = pino({ level: process.env.LOG_LEVEL ?? "info", ...redactingLogOptions });
/** Discord lets `max_concurrency` sessions identify per 5 seconds. */
const IDENTIFY_WINDOW_MS = 5500;

async function main(): Promise<void> {
  const config = loadConfig();
  const configured = discordConfigured(config);
  if (!configured.ok) throw new ConfigError(configured.why ?? "set DISCORD_TOKEN and DISCORD_APPLICATION_ID");
  if (!config.KEYV_URL) log.warn("KEYV_URL is not set: every shard keeps its own dedupe, feedback, stats and settings; use Redis to share them");
  const rest = restClient(config.DISCORD_API_URL, config.DISCORD_TOKEN!);
  const store = Store.create(config.KEYV_URL, log, undefined, { timeoutMs: config.STORE_TIMEOUT_MS });
  try {
    await ensureCommands({ rest, applicationId: config.DISCORD_APPLICATION_ID!, guildId: config.DISCORD_GUILD_ID }, store, log);
  } catch (err) {
    log.error({ err: redact(err instanceof Error ? err.message : String(err)) }, "registering the Discord commands failed");
  }
  await store.close();

  const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  const total = config.DISCORD_SHARDS ?? gateway.shards;
  const manager = new ShardingManager(fileURLToPath(new URL("./bot-main.js", import.meta.url)), { token: config.DISCORD_TOKEN!, totalShards: total, mode: "process", respawn: true });
  manager.on("shardCreate", (shard) => {
    log.info({ shard: shard.id, of: total }, `starting shard ${shard.id + 1} of ${total}`);
    shard.on("death", () => log.warn({ shard: shard.id }, "shard process exited"));
  });
  const stop = (signal: string) => {
    log.info({ signal }, "stopping the shards");
    for (const shard of manager.shards.values()) shard.kill();
    process.exit(0);
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  await manager.spawn({ amount: total, delay: Math.ceil(IDENTIFY_WINDOW_MS / Math.max(1, gateway.session_start_limit.max_concurrency)), timeout: 60_000 });
  log.info({ shards: total }, `all ${total} Discord shards are ready`);
}

main().catch((err: unknown) => {
  log.fatal(err instanceof Error ? redact(err.message) : String(err));
  process.exit(1);
});
