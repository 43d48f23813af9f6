// Answers per rule per day, next to BotService's running totals, so the web console can show
// which causes come up over time; and the workspaces that ever answered, so it can add their
// totals up (keyv cannot list keys). One small record per workspace and day, kept 400 days.
import type { Store } from "../store/store.js";

const DAY = 24 * 60 * 60 * 1000;
const KEEP_MS = 400 * DAY;

/** 2026-12-03 (UTC). */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export interface DaySeries {
  /** Oldest first, `days` entries ending today. */
  days: string[];
  /** rule id -> hits per day, aligned with `days`. */
  byRule: Map<string, number[]>;
}

export class StatsHistory {
  constructor(private readonly store: Store) {}

  async record(workspace: string, ruleId: string, at = Date.now()): Promise<void> {
    const key = `stats-day:${workspace}:${dayOf(at)}`;
    const day = (await this.store.get<Record<string, number>>(key)) ?? {};
    day[ruleId] = (day[ruleId] ?? 0) + 1;
    await this.store.set(key, day, KEEP_MS);
    const known = (await this.store.get<Record<string, number>>("stats-workspaces")) ?? {};
    if (!known[workspace] || dayOf(known[workspace]) !== dayOf(at)) {
      known[workspace] = at;
      await this.store.set("stats-workspaces", known);
    }
  }

  /** The workspaces that answered, most recent first. */
  async workspaces(): Promise<string[]> {
    const known = (await this.store.get<Record<string, number>>("stats-workspaces")) ?? {};
    return Object.entries(known)
      .sort((a, b) => b[1] - a[1])
      .map(([w]) => w);
  }

  /** Hits per rule and day over the last `days` days, summed over `workspaces`. */
  async series(workspaces: string[], days: number, now = Date.now()): Promise<DaySeries> {
    const list = Array.from({ length: days }, (_, i) => dayOf(now - (days - 1 - i) * DAY));
    const byRule = new Map<string, number[]>();
    const tables = await Promise.all(list.flatMap((day) => workspaces.map(async (w) => ({ day, table: await this.store.get<Record<string, number>>(`stats-day:${w}:${day}`) }))));
    for (const { day, table } of tables) {
      const i = list.indexOf(day);
      for (const [rule, n] of Object.entries(table ?? {})) {
        const row = byRule.get(rule) ?? new Array<number>(days).fill(0);
        row[i]! += n;
        byRule.set(rule, row);
      }
    }
    return { days: list, byRule };
  }
}
