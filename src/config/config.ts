// Settings from the environment, parsed once at start-up. A bad value stops the process
// with a message naming the variable, instead of failing later inside a handler.
import { z } from "zod";

const bytes = z.coerce.number().int().positive();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  RULES_DIR: z.string().optional(),
  KEYV_URL: z.string().optional(),
  MAX_LOG_BYTES: bytes.default(50 * 1024 * 1024),
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "must be a bot token (xoxb-...)").optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().startsWith("xapp-", "must be an app-level token (xapp-...)").optional(),
  /** Web API base URL (tests, proxies). */
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Where uploaded files live; the bot token is only ever sent to URLs under it. */
  SLACK_FILES_URL: z.url({ protocol: /^https?$/ }).default("https://files.slack.com/"),
  /** The slash command's name, as declared in the app manifest. */
  SLACK_COMMAND: z.string().regex(/^\/[a-z0-9_-]+$/, "must look like /buildx-fix").default("/buildx-fix"),
  /** Answers per person and per channel, per minute. */
  SLACK_USER_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  SLACK_CHANNEL_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_APPLICATION_ID: z.string().optional(),
});

export type Config = z.infer<typeof envSchema> & { rulesDirs: string[]; chatTokens: string[] };

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env files mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const c = parsed.data;
  return {
    ...c,
    rulesDirs: (c.RULES_DIR ?? "").split(/[:;]/).filter(Boolean),
    chatTokens: (["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN"] as const).filter((k) => c[k]),
  };
}
