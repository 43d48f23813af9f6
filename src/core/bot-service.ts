// What every chat surface shares (Slack, Discord, CI alerts, the terminal): diagnosis,
// dedupe of repeated pastes and alerts, feedback and stats, per-channel settings and rate
// limits, all kept in the keyv store. Adapters translate platform events into these calls
// and render the results; nothing here knows about a platform.
import type { RuleEngine } from "../engine/engine.js";
import type { OffThreadDiagnoser } from "../engine/off-thread.js";
import type { DiagnoseOptions, DiagnoseResult } from "../engine/types.js";
import type { LlmFallback } from "../llm/fallback.js";
import { LLM_RULE_ID } from "../llm/suggestion.js";
import { redact } from "../redact/secrets.js";
import type { Store } from "../store/store.js";
import { fingerprintResult } from "./fingerprint.js";
import { inFlight, observeDiagnosis } from "../ops/observe.js";
import { StatsHistory } from "./stats-history.js";

export type Vote = "fixed" | "wrong";

export interface RuleStats {
  ruleId: string;
  hits: number;
  fixed: number;
  wrong: number;
}

export interface Diagnosed {
  result: DiagnoseResult;
  fingerprint: string;
}

export interface DedupeHit<Ref> {
  ref: Ref;
  count: number;
}

export interface AnswerOptions extends DiagnoseOptions {
  /** false: the rules only. Default: the LLM fallback when one is configured. */
  llm?: boolean | undefined;
  /** false: keep no masked sample of an AI-answered log for later "Wrong" votes (the web console, unless shared). */
  keepSample?: boolean | undefined;
}

/** A failure no rule knows that people marked "Wrong" on its AI answer. */
export interface UnknownStat {
  fingerprint: string;
  /** "Wrong" votes on AI answers to it. */
  wrong: number;
  /** The AI answer's title. */
  title: string;
  /** A masked excerpt of the log (the lines the model was shown, last ones). */
  sample: string;
  lastSeen: number;
}

interface AnswerMeta {
  fingerprint: string;
  source: DiagnoseResult["source"];
  ruleId?: string | undefined;
}

interface UnknownSample {
  title: string;
  sample: string;
}

const HOUR = 60 * 60 * 1000;
const KEEP_VOTES_MS = 90 * 24 * HOUR;
/** Unknown failures tracked per workspace; the least voted go first. */
const MAX_UNKNOWN = 200;

export class BotService {
  /** Answers per rule and day, for the web console's stats over time. */
  readonly history: StatsHistory;

  constructor(
    readonly engine: RuleEngine,
    readonly store: Store,
    /** The optional LLM fallback (configured with OPENAI_*); without it `answer` is `diagnose`. */
    readonly llm?: LlmFallback,
    /** Long logs are diagnosed in a worker thread, off the event loop (see `diagnoseAsync`). */
    readonly offThread?: OffThreadDiagnoser,
  ) {
    this.history = new StatsHistory(store);
  }

  /** Whether words next to a mention are (part of) a build log rather than a request. */
  holdsLog(text: string): boolean {
    if (!text.trim()) return false;
    try {
      const { result } = this.diagnose(text);
      return result.dockerLog || result.diagnoses.length > 0;
    } catch {
      return false;
    }
  }

  diagnose(text: string, opts: DiagnoseOptions = {}): Diagnosed {
    const result = this.engine.diagnose(text, opts);
    return { result, fingerprint: fingerprintResult(result, text) };
  }

  /** `diagnose`, but a long log (an upload, an attachment, a CI log) is scanned in a worker thread. */
  async diagnoseAsync(text: string, opts: DiagnoseOptions = {}): Promise<Diagnosed> {
    if (!this.offThread) return this.diagnose(text, opts);
    const result = await this.offThread.diagnose(text, opts);
    return { result, fingerprint: fingerprintResult(result, text) };
  }

  /**
   * The answer to post: the rules' diagnosis, unless no rule is confident (high or medium) about
   * a Docker log and the LLM fallback is configured; then the fallback's suggestion, marked as
   * one (`source: "llm"`, never high confidence), with any weak rule matches after it. Any
   * failure of the fallback gives the rules' answer: this rejects only for what `diagnose`
   * rejects (empty or binary input).
   */
  answer(text: string, opts: AnswerOptions = {}): Promise<Diagnosed> {
    // Counted for /metrics, and waited for by a graceful shutdown.
    const started = performance.now();
    return inFlight.track(
      this.answerNow(text, opts).then((d) => {
        observeDiagnosis(d.result, started);
        return d;
      }),
    );
  }

  private async answerNow(text: string, opts: AnswerOptions): Promise<Diagnosed> {
    const { llm: wanted, ...diagnoseOpts } = opts;
    const base = await this.diagnoseAsync(text, diagnoseOpts);
    const r = base.result;
    if (wanted === false || !this.llm || !r.dockerLog || r.diagnoses.some((d) => d.confidence !== "low")) return base;
    try {
      const rules = this.engine.rules.map(({ rule }) => ({ id: rule.id, title: rule.title.en }));
      const outcome = await this.llm.suggest({ text, result: r, fingerprint: base.fingerprint, rules });
      if (outcome.kind !== "answered") return base;
      const ai = outcome.diagnosis;
      if (opts.keepSample !== false) await this.store.set<UnknownSample>(`unknown-sample:${base.fingerprint}`, { title: ai.title, sample: outcome.sample }, KEEP_VOTES_MS);
      const result: DiagnoseResult = { ...r, source: "llm", diagnoses: [ai, ...r.diagnoses.filter((d) => d.ruleId !== ai.ruleId)] };
      return { result, fingerprint: base.fingerprint };
    } catch {
      return base;
    }
  }

  /**
   * Counts a posted answer for stats (AI answers under `llm-suggestion`, whatever rule they
   * name) and remembers what it was, so that votes on it can be told apart.
   */
  async recordAnswer(workspace: string, answerId: string, answered: Diagnosed): Promise<void> {
    const first = answered.result.diagnoses[0];
    await this.store.set<AnswerMeta>(`answer:${workspace}:${answerId}`, { fingerprint: answered.fingerprint, source: answered.result.source, ruleId: first?.ruleId }, KEEP_VOTES_MS);
    if (first) await this.recordHit(workspace, answered.result.source === "llm" ? LLM_RULE_ID : first.ruleId);
  }

  /**
   * `recordFeedback` for an answer recorded with `recordAnswer`: votes on AI answers count
   * under `llm-suggestion`, and a "Wrong" on one counts its failure in `unknownStats`.
   */
  async recordVote(workspace: string, answerId: string, ruleId: string, user: string, vote: Vote): Promise<{ fixed: number; wrong: number }> {
    const meta = await this.store.get<AnswerMeta>(`answer:${workspace}:${answerId}`);
    const isAi = meta?.source === "llm";
    const before = await this.store.get<Vote>(`vote:${workspace}:${answerId}:${user}`);
    const tally = await this.recordFeedback(workspace, answerId, isAi ? LLM_RULE_ID : ruleId, user, vote);
    if (isAi && before !== vote) {
      if (vote === "wrong") await this.bumpUnknown(workspace, meta.fingerprint, 1);
      else if (before === "wrong") await this.bumpUnknown(workspace, meta.fingerprint, -1);
    }
    return tally;
  }

  /** Counts one "Wrong" on an AI answer to the failure `fingerprint`; `sample` overrides the stored one. */
  async recordUnknown(workspace: string, fingerprint: string, sample?: string): Promise<void> {
    await this.bumpUnknown(workspace, fingerprint, 1, sample);
  }

  /** The unknown failures with most "Wrong" votes on their AI answers, each with a masked sample. */
  async unknownStats(workspace: string, limit = 10): Promise<UnknownStat[]> {
    const table = (await this.store.get<Record<string, UnknownStat>>(`unknown:${workspace}`)) ?? {};
    return Object.values(table)
      .filter((u) => u.wrong > 0)
      .sort((a, b) => b.wrong - a.wrong || b.lastSeen - a.lastSeen || a.fingerprint.localeCompare(b.fingerprint))
      .slice(0, limit);
  }

  private async bumpUnknown(workspace: string, fingerprint: string, by: number, sample?: string): Promise<void> {
    const key = `unknown:${workspace}`;
    const table = (await this.store.get<Record<string, UnknownStat>>(key)) ?? {};
    let row = table[fingerprint];
    if (!row) {
      const stored = await this.store.get<UnknownSample>(`unknown-sample:${fingerprint}`);
      row = table[fingerprint] = { fingerprint, wrong: 0, title: stored?.title ?? "", sample: stored?.sample ?? "", lastSeen: 0 };
    }
    if (sample !== undefined) row.sample = redact(sample);
    row.wrong = Math.max(0, row.wrong + by);
    row.lastSeen = Date.now();
    const rows = Object.values(table);
    if (rows.length > MAX_UNKNOWN) {
      rows.sort((a, b) => a.wrong - b.wrong || a.lastSeen - b.lastSeen);
      for (const r of rows.slice(0, rows.length - MAX_UNKNOWN)) delete table[r.fingerprint];
    }
    await this.store.set(key, table);
  }

  /**
   * Remembers the first answer to a failure in a scope (a channel, a repo+branch) for a window;
   * a repeat returns the first answer's reference and how often it was seen.
   */
  async dedupe<Ref>(scope: string, fingerprint: string, ref: Ref, windowMs = HOUR): Promise<DedupeHit<Ref> | undefined> {
    const key = `dedupe:${scope}:${fingerprint}`;
    const seen = await this.store.get<DedupeHit<Ref>>(key);
    if (seen) {
      const next = { ref: seen.ref, count: seen.count + 1 };
      await this.store.set(key, next, windowMs);
      return next;
    }
    await this.store.set(key, { ref, count: 1 }, windowMs);
    return undefined;
  }

  /** Counts an answer given, per workspace and rule. */
  async recordHit(workspace: string, ruleId: string): Promise<void> {
    await this.bump(workspace, ruleId, "hits");
    await this.history.record(workspace, ruleId);
  }

  /**
   * Records one person's vote on one answer; a second click by the same person changes the
   * vote instead of counting twice. Returns the answer's tally.
   */
  async recordFeedback(workspace: string, answerId: string, ruleId: string, user: string, vote: Vote): Promise<{ fixed: number; wrong: number }> {
    // One key per person (a changed vote overwrites it) and an atomic tally per answer: votes
    // of different people on different instances never overwrite each other.
    const key = `vote:${workspace}:${answerId}:${user}`;
    const tallyKey = `tally:${workspace}:${answerId}`;
    const before = await this.store.get<Vote>(key);
    if (before !== vote) {
      await this.store.set(key, vote, KEEP_VOTES_MS);
      if (before) {
        await this.store.hincr(tallyKey, before, -1, KEEP_VOTES_MS);
        await this.bump(workspace, ruleId, before, -1);
      }
      await this.store.hincr(tallyKey, vote, 1, KEEP_VOTES_MS);
      await this.bump(workspace, ruleId, vote);
    }
    const tally = await this.store.hgetall(tallyKey);
    return { fixed: Math.max(0, tally.fixed ?? 0), wrong: Math.max(0, tally.wrong ?? 0) };
  }

  async stats(workspace: string): Promise<RuleStats[]> {
    const rows = new Map<string, RuleStats>();
    for (const [field, n] of Object.entries(await this.store.hgetall(`stats:${workspace}`))) {
      const cut = field.lastIndexOf("|");
      const ruleId = field.slice(0, cut);
      const name = field.slice(cut + 1) as keyof Omit<RuleStats, "ruleId">;
      const row = rows.get(ruleId) ?? { ruleId, hits: 0, fixed: 0, wrong: 0 };
      row[name] = Math.max(0, n);
      rows.set(ruleId, row);
    }
    return [...rows.values()].sort((a, b) => b.hits - a.hits || a.ruleId.localeCompare(b.ruleId));
  }

  /** Atomic (HINCRBY): instances sharing Redis count every answer and vote. */
  private async bump(workspace: string, ruleId: string, field: "hits" | Vote, by = 1): Promise<void> {
    await this.store.hincr(`stats:${workspace}`, `${ruleId}|${field}`, by);
  }

  async channelSetting<T>(workspace: string, channel: string, name: string, fallback: T): Promise<T> {
    return (await this.store.get<T>(`setting:${workspace}:${channel}:${name}`)) ?? fallback;
  }

  async setChannelSetting<T>(workspace: string, channel: string, name: string, value: T): Promise<void> {
    await this.store.set(`setting:${workspace}:${channel}:${name}`, value);
  }

  /**
   * A fixed-window rate limit: true while `key` has been used fewer than `limit` times in the
   * window that began with its first use. The count is one atomic increment (Redis INCR), so
   * instances sharing Redis together allow exactly `limit`. When the store is down, everything
   * is allowed (answering beats silence).
   */
  async allow(key: string, limit: number, windowMs: number): Promise<boolean> {
    const used = await this.store.incr(`rate:${key}`, windowMs);
    return used === undefined || used <= limit;
  }
}
