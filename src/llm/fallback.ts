// The LLM fallback as a whole: given a log the rules could not explain, find a cached answer
// for its fingerprint, or (circuit breaker and hourly budget permitting) window the log, ask
// the model, check the reply, and keep only what the allowlist and the masking let through.
// It never throws: every failure is an outcome the caller turns into the rules' answer.
import { createHash } from "node:crypto";
import { type Logger, pino } from "pino";
import type { DiagnoseResult, Diagnosis } from "../engine/types.js";
import { Store } from "../store/store.js";
import { type ChatBackend, type ChatReply, LlmCallError, OpenAIChatBackend } from "./client.js";
import type { LlmConfig } from "./config.js";
import { CircuitBreaker, type Clock, HourlyBudget } from "./guard.js";
import { LinkAllowlist } from "./links.js";
import { type KnownRule, buildMessages } from "./prompt.js";
import { validateAnswer } from "./schema.js";
import { type Suggestion, toDiagnosis, toSuggestion } from "./suggestion.js";
import { type LogWindow, failingStep, windowLog } from "./window.js";

export interface SuggestInput {
  /** The log as pasted. */
  text: string;
  /** The rules' answer to it. */
  result: DiagnoseResult;
  fingerprint: string;
  rules: readonly KnownRule[];
}

export type SkipReason = "breaker-open" | "budget-exhausted" | "empty-excerpt";

export type SuggestOutcome =
  | { kind: "answered"; diagnosis: Diagnosis; cached: boolean; sample: string }
  | { kind: "skipped"; reason: SkipReason }
  | { kind: "failed"; reason: string }
  | { kind: "invalid"; reason: string };

export interface LlmMetrics {
  /** Questions sent (a retry is part of the same question). */
  questions: number;
  requests: number;
  answered: number;
  cacheHits: number;
  failures: number;
  invalid: number;
  skippedBudget: number;
  skippedBreaker: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Summed over questions, and the last one. */
  latencyMs: number;
  lastLatencyMs: number;
}

export interface LlmFallbackOptions {
  config: LlmConfig;
  /** Cache and budget; shared with the bot's other state. Default: in-process. */
  store?: Store;
  log?: Logger;
  /** The model server; default: the openai SDK pointed at the configured server. */
  backend?: ChatBackend;
  now?: Clock;
}

/** Characters of masked excerpt kept as the sample of an unknown failure. */
const SAMPLE_CHARS = 1500;

function sampleOf(window: LogWindow): string {
  const text = window.text;
  return text.length <= SAMPLE_CHARS ? text : `…\n${text.slice(text.indexOf("\n", text.length - SAMPLE_CHARS) + 1)}`;
}

interface Cached {
  suggestion: Suggestion;
  sample: string;
}

export class LlmFallback {
  readonly config: LlmConfig;
  readonly allowlist: LinkAllowlist;
  readonly breaker: CircuitBreaker;
  private readonly budget: HourlyBudget;
  private readonly store: Store;
  private readonly log: Logger;
  private readonly backend: ChatBackend;
  private readonly modelKey: string;
  private readonly inFlight = new Map<string, Promise<SuggestOutcome>>();
  private readonly counters: LlmMetrics = {
    questions: 0,
    requests: 0,
    answered: 0,
    cacheHits: 0,
    failures: 0,
    invalid: 0,
    skippedBudget: 0,
    skippedBreaker: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    latencyMs: 0,
    lastLatencyMs: 0,
  };

  constructor(opts: LlmFallbackOptions) {
    this.config = opts.config;
    const now = opts.now ?? Date.now;
    this.store = opts.store ?? Store.create(undefined);
    this.log = (opts.log ?? pino({ level: "silent" })).child({ component: "llm" });
    this.backend = opts.backend ?? new OpenAIChatBackend(opts.config);
    this.allowlist = new LinkAllowlist(opts.config.docAllowlist);
    this.breaker = new CircuitBreaker(opts.config.breakerFailures, opts.config.breakerCooldownMs, now);
    this.budget = new HourlyBudget(opts.config.callsPerHour, this.store, now);
    // A different model or server is a different answer.
    this.modelKey = createHash("sha256").update(`${opts.config.baseURL ?? "openai"}\n${opts.config.model}`).digest("hex").slice(0, 12);
  }

  metrics(): LlmMetrics {
    return { ...this.counters };
  }

  /** Never throws; concurrent questions about the same failure share one call. */
  suggest(input: SuggestInput): Promise<SuggestOutcome> {
    const key = `llm:answer:${this.modelKey}:${input.result.lang}:${input.fingerprint}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = this.run(key, input)
      .catch((err: unknown): SuggestOutcome => {
        this.log.error({ err: String(err), fingerprint: input.fingerprint }, "LLM fallback failed unexpectedly");
        return { kind: "failed", reason: String(err) };
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async run(key: string, input: SuggestInput): Promise<SuggestOutcome> {
    const { result, fingerprint } = input;
    const lang = result.lang;
    const cached = await this.store.get<Cached>(key);
    if (cached) {
      this.counters.cacheHits++;
      const window = windowLog(input.text, { tokenBudget: this.config.tokenBudget });
      this.log.info({ fingerprint, cached: true }, "LLM fallback answered from the cache");
      return { kind: "answered", cached: true, sample: cached.sample, diagnosis: toDiagnosis(cached.suggestion, { lang, facts: result.facts, window: window.lines }) };
    }

    const window = windowLog(input.text, { tokenBudget: this.config.tokenBudget });
    if (window.lines.length === 0) return { kind: "skipped", reason: "empty-excerpt" };

    if (!this.breaker.tryAcquire()) {
      this.counters.skippedBreaker++;
      this.log.warn({ fingerprint }, "LLM fallback skipped: circuit breaker open after repeated failures");
      return { kind: "skipped", reason: "breaker-open" };
    }
    if (!(await this.budget.take())) {
      this.breaker.release();
      this.counters.skippedBudget++;
      this.log.warn({ fingerprint, callsPerHour: this.config.callsPerHour }, "LLM fallback skipped: hourly budget used up");
      return { kind: "skipped", reason: "budget-exhausted" };
    }

    const step = failingStep(input.text);
    const messages = buildMessages({ window, step, result, rules: input.rules, allowedDocs: this.allowlist.describe(), lang });

    this.counters.questions++;
    const started = performance.now();
    let reply: ChatReply;
    try {
      reply = await this.backend.complete(messages);
    } catch (err) {
      const latencyMs = Math.round(performance.now() - started);
      this.countLatency(latencyMs);
      const e = err instanceof LlmCallError ? err : new LlmCallError("client", String(err));
      this.counters.requests += e.attempts;
      this.counters.failures++;
      this.breaker.failure();
      this.log.warn({ fingerprint, model: this.config.model, kind: e.kind, status: e.status, attempts: e.attempts, latencyMs, breaker: this.breaker.state }, `LLM fallback failed: ${e.message}`);
      return { kind: "failed", reason: `${e.kind}: ${e.message}` };
    }
    const latencyMs = Math.round(performance.now() - started);
    this.countLatency(latencyMs);
    this.counters.requests += reply.attempts;
    const usage = reply.usage;
    if (usage) {
      this.counters.promptTokens += usage.promptTokens;
      this.counters.completionTokens += usage.completionTokens;
      this.counters.totalTokens += usage.totalTokens;
    }
    const logged = {
      fingerprint,
      model: this.config.model,
      latencyMs,
      attempts: reply.attempts,
      excerptLines: window.lines.length,
      excerptTokens: window.tokens,
      promptTokens: usage?.promptTokens,
      completionTokens: usage?.completionTokens,
      totalTokens: usage?.totalTokens,
    };

    const checked = reply.refusal ? ({ ok: false, problem: `the model refused: ${reply.refusal}` } as const) : validateAnswer(reply.content);
    if (!checked.ok) {
      this.counters.invalid++;
      // A model that keeps answering nonsense is as broken as one that does not answer.
      this.breaker.failure();
      this.log.warn({ ...logged, finishReason: reply.finishReason }, `LLM fallback gave no usable answer: ${checked.problem}`);
      return { kind: "invalid", reason: checked.problem };
    }
    this.breaker.success();
    const knownRules = new Set(input.rules.map((r) => r.id));
    const suggestion = toSuggestion(checked.answer, { lang, knownRules, allowlist: this.allowlist, window: window.lines, facts: result.facts });
    const sample = sampleOf(window);
    await this.store.set<Cached>(key, { suggestion, sample }, this.config.cacheTtlMs);
    this.counters.answered++;
    this.log.info({ ...logged, ruleId: suggestion.ruleId, confidence: suggestion.confidence, droppedLinks: suggestion.dropped }, "LLM fallback answered");
    return { kind: "answered", cached: false, sample, diagnosis: toDiagnosis(suggestion, { lang, facts: result.facts, window: window.lines }) };
  }

  private countLatency(ms: number): void {
    this.counters.latencyMs += ms;
    this.counters.lastLatencyMs = ms;
  }
}
