// Settings from the environment, parsed once at start-up. A bad value stops the process
// with a message naming the variable, instead of failing later inside a handler.
import { z } from "zod";
import { type LlmConfig, llmConfigFrom, llmEnvShape } from "../llm/config.js";

const bytes = z.coerce.number().int().positive();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** pretty: readable lines; json: one object per line. Default: pretty when stdout is a terminal. */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  /** SIGTERM: how long answers and requests in flight may take before connections are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  RULES_DIR: z.string().optional(),
  KEYV_URL: z.string().optional(),
  /** One state-store operation longer than this counts as the store being down (answer without it). */
  STORE_TIMEOUT_MS: z.coerce.number().int().positive().default(250),
  /** Where accepted CI alerts are journaled until posted (replayed after a restart). */
  DATA_DIR: z.string().default("data"),
  /** The optional LLM fallback: OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, LLM_* (src/llm/config.ts). */
  ...llmEnvShape,
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
  /** The bot token from the Developer Portal (Bot → Reset Token). With the application id, the Discord adapter runs. */
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{15,25}$/, "must be the numeric application id").optional(),
  /** Register the commands in one guild (instant) instead of globally. */
  DISCORD_GUILD_ID: z.string().regex(/^\d{15,25}$/, "must be a numeric guild (server) id").optional(),
  /** REST base URL without the version (proxies, tests); the gateway URL comes from its /gateway/bot. */
  DISCORD_API_URL: z.url({ protocol: /^https?$/ }).default("https://discord.com/api"),
  /** Ask for the privileged Message Content intent (enable it in the portal first): answers pasted logs. */
  DISCORD_MESSAGE_CONTENT: z.stringbool().default(false),
  /** Answers per person and per channel, per minute. */
  DISCORD_USER_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  DISCORD_CHANNEL_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  /** `npm run discord:shards`: how many shards (default: what Discord recommends). */
  DISCORD_SHARDS: z.coerce.number().int().positive().optional(),
  /** CI alerts (src/alerts/): the HMAC secret of POST /ci/alert; without it the endpoint is off. */
  CI_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters (e.g. openssl rand -hex 32)").optional(),
  /** Default targets of CI alerts: a Slack channel id, a Discord channel id. */
  CI_ALERT_SLACK_CHANNEL: z.string().regex(/^[A-Z0-9]{5,30}$/, "must be a Slack channel id (C0123ABC)").optional(),
  CI_ALERT_DISCORD_CHANNEL: z.string().regex(/^\d{15,25}$/, "must be a numeric Discord channel id").optional(),
  /** Repo -> target routing: JSON ({"org/repo": "slack:C0123ABC", "org/*": ["discord:123..."]}) or a .json / .yaml file with that mapping. */
  CI_ALERT_ROUTES: z.string().optional(),
  /** The same failure (repo, branch, cause) within this window is not alerted again. */
  CI_ALERT_DEDUPE_MS: z.coerce.number().int().positive().default(60 * 60 * 1000),
  /** GitHub: the webhook secret of POST /github/webhook (off without it), a token to read job logs, the API (GitHub Enterprise: https://HOST/api/v3). */
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
  GITHUB_TOKEN: z.string().optional(),
  GITHUB_API_URL: z.url({ protocol: /^https?$/ }).default("https://api.github.com"),
  /** Hardening of the HTTP surface (README "Security and limits"): repos whose run links pasted in chat are read ("org/repo,org/*"). */
  GITHUB_REPOS: z.string().regex(/^\s*(\*|[\w.-]+\/(\*|[\w.-]+))(\s*,\s*(\*|[\w.-]+\/(\*|[\w.-]+)))*\s*$/, "must be comma-separated org/repo or org/* entries").optional(),
  /** Hosts a CI alert's logUrl may name (default: the GitHub API host and gitlab.com); redirects elsewhere go only to public addresses unless CI_LOG_ALLOW_PRIVATE. */
  CI_LOG_HOSTS: z.string().optional(),
  CI_LOG_ALLOW_PRIVATE: z.stringbool().default(false),
  /** Refuse CI signatures without X-Buildx-Fix-Timestamp (no replay of old requests at all). */
  CI_WEBHOOK_REQUIRE_TIMESTAMP: z.stringbool().default(false),
  /** Webhook bodies (CI, GitHub) read and checked at once; more answer 503 with Retry-After. */
  WEBHOOK_MAX_CONCURRENT: z.coerce.number().int().positive().default(16),
  /** The HTTP server: time to receive a request's headers, the whole request, an idle keep-alive; headers per request; open connections. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  HTTP_MAX_HEADERS: z.coerce.number().int().positive().default(100),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().positive().default(1024),
  /** Where users reach this bot's web console; answers then link each rule to ${PUBLIC_URL}/rules/<id>. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Protects the console's stats (bearer header or login form); required for them on a non-loopback HOST. */
  WEB_TOKEN: z.string().min(16, "must be at least 16 characters (e.g. openssl rand -hex 32)").optional(),
});

export type Config = z.infer<typeof envSchema> & {
  rulesDirs: string[];
  chatTokens: string[];
  /** Set when the LLM fallback is configured (OPENAI_MODEL plus OPENAI_API_KEY or OPENAI_BASE_URL). */
  llm: LlmConfig | undefined;
  /** Why the LLM fallback is off although some of its variables are set. */
  llmOff: string | undefined;
};

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
  const llm = llmConfigFrom(c);
  return {
    ...c,
    llm: llm.config,
    llmOff: llm.why,
    rulesDirs: (c.RULES_DIR ?? "").split(/[:;]/).filter(Boolean),
    chatTokens: (["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN"] as const).filter((k) => c[k]),
  };
}
