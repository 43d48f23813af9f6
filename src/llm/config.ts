// Settings of the optional LLM fallback, from the environment. Off unless a model is named
// and there is somewhere to send it (an API key for OpenAI, or a base URL for any
// OpenAI-compatible server such as Ollama, vLLM or LM Studio).
import { z } from "zod";

/** Documentation hosts whose links may reach a reply; `host` or `host/path-prefix`. */
export const DEFAULT_DOC_ALLOWLIST = ["docs.docker.com", "github.com/docker/", "github.com/moby/", "developer.lazycat.cloud"] as const;

const positiveInt = z.coerce.number().int().positive();

/** The variables, shared with the bot's own config schema (src/config/config.ts). */
export const llmEnvShape = {
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  OPENAI_MODEL: z.string().optional(),
  /** Per attempt, in milliseconds. */
  LLM_TIMEOUT_MS: positiveInt.default(20_000),
  /** Retries after a failed attempt: 0 or 1. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(1).default(1),
  /** Estimated tokens of log excerpt sent per question. */
  LLM_TOKEN_BUDGET: z.coerce.number().int().min(200).default(6000),
  /** Questions to the model per hour (cache hits are free). */
  LLM_CALLS_PER_HOUR: positiveInt.default(30),
  /** Consecutive failures that open the circuit breaker, and how long it stays open. */
  LLM_BREAKER_FAILURES: positiveInt.default(3),
  LLM_BREAKER_COOLDOWN_MS: positiveInt.default(5 * 60_000),
  /** How long an answer stays cached per failure fingerprint. */
  LLM_CACHE_TTL_MS: positiveInt.default(7 * 24 * 60 * 60_000),
  /** Comma-separated `host` or `host/path-prefix` entries; replaces the default list. */
  LLM_DOC_ALLOWLIST: z.string().optional(),
} as const;

const llmEnvSchema = z.object(llmEnvShape);
export type LlmEnv = z.infer<typeof llmEnvSchema>;

export interface LlmConfig {
  model: string;
  apiKey: string;
  /** Undefined: OpenAI's API. */
  baseURL?: string | undefined;
  timeoutMs: number;
  maxRetries: 0 | 1;
  /** Longest wait before the one retry; a server asking for longer is not retried. */
  maxRetryDelayMs: number;
  /** Wait before the retry when the server does not say (Retry-After). */
  retryDelayMs: number;
  tokenBudget: number;
  callsPerHour: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  cacheTtlMs: number;
  docAllowlist: string[];
}

export interface LlmSetting {
  /** Set when the fallback is configured. */
  config?: LlmConfig;
  /** Why it is off when some but not all of the needed variables are set. */
  why?: string;
}

export function parseAllowlist(raw: string | undefined): string[] {
  if (!raw?.trim()) return [...DEFAULT_DOC_ALLOWLIST];
  return raw
    .split(",")
    .map((s) => s.trim().replace(/^https?:\/\//i, "").toLowerCase())
    .filter(Boolean);
}

/** The fallback's settings from already-validated variables. */
export function llmConfigFrom(env: LlmEnv): LlmSetting {
  const { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: baseURL, OPENAI_MODEL: model } = env;
  if (!model) {
    return apiKey || baseURL ? { why: "OPENAI_MODEL is not set, so the LLM fallback is off" } : {};
  }
  if (!apiKey && !baseURL) return { why: "OPENAI_MODEL is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL, so the LLM fallback is off" };
  return {
    config: {
      model,
      // The SDK needs a non-empty key; local servers (Ollama, LM Studio) ignore it.
      apiKey: apiKey || "unused",
      baseURL,
      timeoutMs: env.LLM_TIMEOUT_MS,
      maxRetries: env.LLM_MAX_RETRIES === 0 ? 0 : 1,
      maxRetryDelayMs: 2000,
      retryDelayMs: 500,
      tokenBudget: env.LLM_TOKEN_BUDGET,
      callsPerHour: env.LLM_CALLS_PER_HOUR,
      breakerFailures: env.LLM_BREAKER_FAILURES,
      breakerCooldownMs: env.LLM_BREAKER_COOLDOWN_MS,
      cacheTtlMs: env.LLM_CACHE_TTL_MS,
      docAllowlist: parseAllowlist(env.LLM_DOC_ALLOWLIST),
    },
  };
}

export class LlmConfigError extends Error {
  override readonly name = "LlmConfigError";
}

/** Parses the LLM variables from a raw environment (the CLI's path; the bot uses loadConfig). */
export function llmSettingFromEnv(env: NodeJS.ProcessEnv): LlmSetting {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = llmEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new LlmConfigError(`invalid LLM configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return llmConfigFrom(parsed.data);
}
