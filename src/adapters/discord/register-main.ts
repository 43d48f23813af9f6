// `npm run discord:register`: registers the commands now (in DISCORD_GUILD_ID, or globally),
// whether or not they changed, and remembers their hash in the store (KEYV_URL) so that
// start-up does not register them again. Exit code 0 when Discord accepted them, 1 when not,
// 2 when the settings are missing or invalid.
import { pino } from "pino";
import { redactingLogOptions } from "../../redact/log.js";
import { ConfigError, loadConfig } from "../../config/config.js";
import { redact } from "../../redact/secrets.js";
import { Store } from "../../store/store.js";
import { registerCommands, restClient } from "./register.js";

const log = pino({ level: process.env.LOG_LEVEL ?? "info", ...redactingLogOptions });

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      log.fatal(err.message);
      return 2;
    }
    throw err;
  }
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    log.fatal("set DISCORD_TOKEN and DISCORD_APPLICATION_ID (Developer Portal → your application → Bot / General Information)");
    return 2;
  }
  const store = Store.create(config.KEYV_URL, log, undefined, { timeoutMs: config.STORE_TIMEOUT_MS });
  try {
    const rest = restClient(config.DISCORD_API_URL, config.DISCORD_TOKEN);
    const n = await registerCommands({ rest, applicationId: config.DISCORD_APPLICATION_ID, guildId: config.DISCORD_GUILD_ID }, store);
    log.info(config.DISCORD_GUILD_ID ? `registered ${n} commands in guild ${config.DISCORD_GUILD_ID}` : `registered ${n} global commands (Discord may take a while to show changes)`);
    return 0;
  } catch (err) {
    log.error(`registering the commands failed: ${redact(err instanceof Error ? err.message : String(err))}`);
    return 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
