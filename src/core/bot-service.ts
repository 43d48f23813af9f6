// What every chat surface shares (Slack, Discord, CI alerts, the terminal): diagnosis,
// dedupe of repeated pastes and alerts, feedback and stats, per-channel settings and rate
// limits, all kept in the keyv store. Adapters translate platform events into these calls
// and render the results; nothing here knows about a platform.
import type { RuleEngine } from "../engine/engine.js";
import type { DiagnoseOptions, DiagnoseResult } from "../engine/types.js";
import type { Store } from "../store/store.js";
import { fingerprintResult } from "./fingerprint.js";

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

const HOUR = 60 * 60 * 1000;

export class BotService {
  constructor(
    readonly engine: RuleEngine,
    readonly store: Store,
  ) {}

  diagnose(text: string, opts: DiagnoseOptions = {}): Diagnosed {
    const result = this.engine.diagnose(text, opts);
    return { result, fingerprint: fingerprintResult(result, text) };
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
  }

  /**
   * Records one person's vote on one answer; a second click by the same person changes the
   * vote instead of counting twice. Returns the answer's tally.
   */
  async recordFeedback(workspace: string, answerId: string, ruleId: string, user: string, vote: Vote): Promise<{ fixed: number; wrong: number }> {
    const key = `vote:${workspace}:${answerId}`;
    const votes = (await this.store.get<Record<string, Vote>>(key)) ?? {};
    const before = votes[user];
    if (before !== vote) {
      votes[user] = vote;
      await this.store.set(key, votes, 90 * 24 * HOUR);
      if (before) await this.bump(workspace, ruleId, before, -1);
      await this.bump(workspace, ruleId, vote);
    }
    const all = Object.values(votes);
    return { fixed: all.filter((v) => v === "fixed").length, wrong: all.filter((v) => v === "wrong").length };
  }

  async stats(workspace: string): Promise<RuleStats[]> {
    const table = (await this.store.get<Record<string, RuleStats>>(`stats:${workspace}`)) ?? {};
    return Object.values(table).sort((a, b) => b.hits - a.hits || a.ruleId.localeCompare(b.ruleId));
  }

  private async bump(workspace: string, ruleId: string, field: "hits" | Vote, by = 1): Promise<void> {
    const key = `stats:${workspace}`;
    const table = (await this.store.get<Record<string, RuleStats>>(key)) ?? {};
    const row = (table[ruleId] ??= { ruleId, hits: 0, fixed: 0, wrong: 0 });
    row[field] = Math.max(0, row[field] + by);
    await this.store.set(key, table);
  }

  async channelSetting<T>(workspace: string, channel: string, name: string, fallback: T): Promise<T> {
    return (await this.store.get<T>(`setting:${workspace}:${channel}:${name}`)) ?? fallback;
  }

  async setChannelSetting<T>(workspace: string, channel: string, name: string, value: T): Promise<void> {
    await this.store.set(`setting:${workspace}:${channel}:${name}`, value);
  }

  /**
   * A fixed-window rate limit: true while `key` has been used fewer than `limit` times in the
   * current window. When the store is down, everything is allowed (answering beats silence).
   */
  async allow(key: string, limit: number, windowMs: number): Promise<boolean> {
    const window = Math.floor(Date.now() / windowMs);
    const k = `rate:${key}:${window}`;
    const used = (await this.store.get<number>(k)) ?? 0;
    if (used >= limit) return false;
    await this.store.set(k, used + 1, windowMs);
    return true;
  }
}
