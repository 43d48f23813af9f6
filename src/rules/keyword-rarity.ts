// How common each keyword is in build logs, worked out at build time (`npm run build`).
// The engine's cost after the scan grows with the candidate lines it hands on: a keyword that is
// an everyday word of build output (`step ` in `Step`, `docker` in `docker.io/...`) makes a large
// share of every log a candidate. Such keywords get a warning, so that whoever adds one gives it
// the context that makes it rare (`step 1`...`step 9` rather than `step `). This works for rules
// not written yet: the measure is taken on every build, over reference logs, not over a list.
//
// Only keywords that rules or step headers read are judged: the warning is for rule authors.
// Probe keywords are code (engine/facts.ts), and the idempotent ones stop being reported by the
// byte path once their fact is known, so their commonness costs a line, not every line.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { HEADER_KEYWORDS } from "../engine/context.js";
import { PROBES } from "../engine/facts.js";
import { KeywordScanner } from "../engine/scan.js";
import type { RuleFile } from "./schema.js";

export interface Reference {
  name: string;
  texts: Iterable<string>;
  /** A keyword on more than this share of the reference's lines is too common. */
  limit: number;
}

export interface CommonKeyword {
  keyword: string;
  /** Who reads the lines it finds: rule ids, `probe`, `step header`. */
  consumers: string[];
  reference: string;
  share: number;
  limit: number;
}

/** Lines of `texts` holding each keyword (ASCII case folded, as the scan does), and the line total. */
export function keywordLineCounts(keywords: Iterable<string>, texts: Iterable<string>): { total: number; counts: Map<string, number> } {
  const scanner = new KeywordScanner(keywords);
  const counts = new Map<string, number>();
  let total = 0;
  for (const text of texts) {
    total += text.split("\n").length;
    for (const line of scanner.scan(text)) for (const k of line.keywords) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return { total, counts };
}

/** Keywords of rules and step headers that are too common in any reference, most common first. */
export function commonKeywords(rules: readonly RuleFile[], references: readonly Reference[]): CommonKeyword[] {
  const consumers = new Map<string, Set<string>>();
  const quiet = new Set<string>();
  const add = (k: string, who: string) => {
    const key = k.toLowerCase();
    const set = consumers.get(key) ?? new Set<string>();
    set.add(who);
    consumers.set(key, set);
  };
  for (const rule of rules) for (const m of [rule.match, ...(rule.variants ?? []).map((v) => v.match)]) m?.keywords.forEach((k) => add(k, rule.id));
  for (const k of HEADER_KEYWORDS) add(k, "step header");
  for (const p of PROBES) for (const k of p.keywords) add(k, p.sets ? "idempotent probe" : "probe");
  for (const [k, who] of consumers) if ([...who].every((w) => w === "probe" || w === "idempotent probe")) quiet.add(k);

  const out: CommonKeyword[] = [];
  for (const ref of references) {
    const { total, counts } = keywordLineCounts(consumers.keys(), ref.texts);
    if (total === 0) continue;
    for (const [keyword, n] of counts) {
      const share = n / total;
      if (share > ref.limit && !quiet.has(keyword)) out.push({ keyword, consumers: [...consumers.get(keyword)!].sort(), reference: ref.name, share, limit: ref.limit });
    }
  }
  return out.sort((a, b) => b.share - a.share || (a.keyword < b.keyword ? -1 : 1));
}

/** Every `.log` under `dir`, or nothing when the directory is absent (a package without its tests). */
export function* logsIn(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) if (name.endsWith(".log")) yield readFileSync(join(dir, name), "utf8");
}

export function formatCommon(c: CommonKeyword): string {
  return `keyword ${JSON.stringify(c.keyword)} (${c.consumers.join(", ")}) is on ${(c.share * 100).toFixed(1)}% of the lines of ${c.reference} (limit ${(c.limit * 100).toFixed(0)}%): give it the context that makes it rare`;
}
