// BotMetrics (src/ops/metrics.ts) on its own registry: the LLM fallback's counters mirrored as
// monotonic Prometheus counters at each scrape, errors by component, diagnoses reported through
// the shared observer hook (what BotService.answer and CI alerts call).
import { describe, expect, it } from "vitest";
import type { LlmMetrics } from "../src/llm/fallback.js";
import { BotMetrics } from "../src/ops/metrics.js";
import { observeDiagnosis, setObserver } from "../src/ops/observe.js";
import { builtinEngine } from "./helpers/engine.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";

const value = async (m: BotMetrics, name: string, labels = "") => {
  const text = await m.registry.metrics();
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
};

/** The fallback's counts: the ones given, 0 for the rest. */
const llm = (over: Partial<LlmMetrics>): LlmMetrics => new Proxy(over, { get: (t, k) => t[k as keyof LlmMetrics] ?? 0 }) as LlmMetrics;

describe("BotMetrics", () => {
  it("mirrors the LLM fallback's counts (questions, tokens, cache hits, failures) at each scrape", async () => {
    const m = new BotMetrics();
    let now = llm({ questions: 2, requests: 3, cacheHits: 1, promptTokens: 900, completionTokens: 120, failures: 1, invalid: 1 });
    m.watchLlm(() => now);
    expect(await value(m, "buildx_fix_llm_questions_total")).toBe(2);
    expect(await value(m, "buildx_fix_llm_prompt_tokens_total")).toBe(900);
    expect(await value(m, "buildx_fix_llm_failures_total")).toBe(2);
    now = llm({ questions: 3, requests: 4, cacheHits: 4, promptTokens: 1500, completionTokens: 200 });
    expect(await value(m, "buildx_fix_llm_questions_total")).toBe(3);
    expect(await value(m, "buildx_fix_llm_cache_hits_total")).toBe(4);
    expect(await value(m, "buildx_fix_llm_completion_tokens_total")).toBe(200);
    // A counter never goes down, even if the source's count does.
    expect(await value(m, "buildx_fix_llm_failures_total")).toBe(2);
  });

  it("counts diagnoses reported through the observer hook, by rule and source, and errors by component", async () => {
    const m = new BotMetrics().install();
    try {
      const result = builtinEngine().diagnose(LOAD_LOG, { lang: "en" });
      observeDiagnosis(result, performance.now());
      observeDiagnosis(result, performance.now());
      m.error("slack");
      expect(await value(m, "buildx_fix_diagnoses_total", `rule="${LOAD_RULE}",source="rules"`)).toBe(2);
      expect(await value(m, "buildx_fix_diagnosis_duration_seconds_count", 'source="rules"')).toBe(2);
      expect(await value(m, "buildx_fix_errors_total", 'component="slack"')).toBe(1);
    } finally {
      setObserver(undefined);
    }
  });
});
