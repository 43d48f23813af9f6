// GET /metrics in Prometheus' text format (prom-client): diagnoses by rule and source and their
// latency, LLM questions, tokens and cache hits, webhook requests refused (by reason), errors
// logged by the adapters, answers in flight, and Node's process metrics. One registry per
// process; loaded only by the bot (`npm start`), never by the CLI.
import type { Express, NextFunction, Request, Response } from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DiagnoseResult } from "../engine/types.js";
import type { LlmMetrics } from "../llm/fallback.js";
import { inFlight, setObserver } from "./observe.js";

export const METRICS_PATH = "/metrics";

/** Paths whose refusals are counted: unauthenticated input from outside. */
const WEBHOOKS = ["/ci/alert", "/github/webhook", "/slack/events"];

const REASONS: Record<number, string> = {
  400: "malformed",
  401: "signature",
  403: "forbidden",
  404: "not-found",
  408: "timeout",
  413: "too-large",
  415: "unsupported-type",
  429: "rate-limited",
  502: "log-fetch",
};

export class BotMetrics {
  readonly registry = new Registry();
  private readonly diagnoses: Counter<"rule" | "source">;
  private readonly latency: Histogram<"source">;
  private readonly rejections: Counter<"endpoint" | "reason">;
  private readonly errors: Counter<"component">;
  private llm: (() => LlmMetrics) | undefined;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "buildx_fix_" });
    this.diagnoses = new Counter({ name: "buildx_fix_diagnoses_total", help: "Diagnoses given (chat, terminal, CI alerts), by top rule (none: no known cause) and source (rules, llm, none)", labelNames: ["rule", "source"], registers });
    this.latency = new Histogram({
      name: "buildx_fix_diagnosis_duration_seconds",
      help: "Time to diagnose a log, LLM fallback included when it was asked",
      labelNames: ["source"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.rejections = new Counter({ name: "buildx_fix_webhook_rejections_total", help: "Webhook requests refused, by endpoint and reason (signature, malformed, too-large, ...)", labelNames: ["endpoint", "reason"], registers });
    this.errors = new Counter({ name: "buildx_fix_errors_total", help: "Errors logged, by component (slack, discord, ci-alerts, llm, ...)", labelNames: ["component"], registers });
    new Gauge({ name: "buildx_fix_answers_in_flight", help: "Answers being computed right now", registers, collect() {
      this.set(inFlight.size);
    } });
    this.llmCounter("buildx_fix_llm_questions_total", "Questions sent to the LLM fallback (a retry is part of the same question)", (m) => m.questions);
    this.llmCounter("buildx_fix_llm_requests_total", "HTTP requests to the LLM server, retries included", (m) => m.requests);
    this.llmCounter("buildx_fix_llm_cache_hits_total", "LLM answers served from the cache (no question sent)", (m) => m.cacheHits);
    this.llmCounter("buildx_fix_llm_failures_total", "LLM questions that failed (timeout, connection, 429, 5xx) or gave no usable answer", (m) => m.failures + m.invalid);
    this.llmCounter("buildx_fix_llm_skipped_total", "LLM questions not sent: hourly budget used up or circuit breaker open", (m) => m.skippedBudget + m.skippedBreaker);
    this.llmCounter("buildx_fix_llm_prompt_tokens_total", "Prompt tokens the LLM server reported", (m) => m.promptTokens);
    this.llmCounter("buildx_fix_llm_completion_tokens_total", "Completion tokens the LLM server reported", (m) => m.completionTokens);
  }

  /** A counter mirroring one of the LLM fallback's own counts, read at each scrape. */
  private llmCounter(name: string, help: string, pick: (m: LlmMetrics) => number): void {
    let seen = 0;
    const read = () => this.llm?.();
    new Counter({ name, help, registers: [this.registry], collect() {
      const m = read();
      if (!m) return;
      const now = pick(m);
      if (now > seen) this.inc(now - seen);
      seen = now;
    } });
  }

  /** Counts every diagnosis the shared code reports (src/ops/observe.ts). */
  install(): this {
    setObserver({ diagnosis: (r, s) => this.diagnosis(r, s) });
    return this;
  }

  diagnosis(result: DiagnoseResult, seconds: number): void {
    this.diagnoses.inc({ rule: result.diagnoses[0]?.ruleId ?? "none", source: result.source });
    this.latency.observe({ source: result.source }, seconds);
  }

  /** The LLM fallback's counters, when it is configured. */
  watchLlm(read: () => LlmMetrics): void {
    this.llm = read;
  }

  error(component: string): void {
    this.errors.inc({ component });
  }

  /** Counts refused webhook requests by their answer's status, whichever handler refused them. */
  rejectionCounter() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const endpoint = WEBHOOKS.find((p) => req.path === p);
      if (endpoint) {
        res.on("finish", () => {
          if (res.statusCode >= 400 && res.statusCode !== 500) this.rejections.inc({ endpoint, reason: REASONS[res.statusCode] ?? String(res.statusCode) });
        });
      }
      next();
    };
  }

  mount(app: Express): void {
    app.get(METRICS_PATH, async (_req, res) => {
      res.set("content-type", this.registry.contentType);
      res.send(await this.registry.metrics());
    });
  }
}
