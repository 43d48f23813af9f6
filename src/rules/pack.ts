// The built-in rule pack as one JSON snapshot, made at build time (`npm run build`): the rules
// already validated by the YAML + zod path, without their examples, with the ReDoS verdicts of
// their patterns and a hash of the sources. Start-up then costs one JSON.parse instead of
// parsing 40 YAML files and importing yaml and zod. A snapshot whose hash no longer matches
// rules/*.yaml is refused (the caller falls back to the YAML path), so an edited rule is never
// silently ignored. This module must not import yaml, zod or load.ts: that is the point.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../package-info.js";
import type { LoadedRule } from "./load.js";
import type { RedosVerdict } from "./redos.js";
import type { RuleFile } from "./schema.js";

/** Bump when the snapshot's shape changes. */
export const PACK_FORMAT = 1;
export const PACK_FILE = join(PACKAGE_ROOT, "dist", "rules-pack.json");
const SOURCES_DIR = join(PACKAGE_ROOT, "rules");

export interface RulePack {
  format: number;
  /** sha256 of the format, every rules/*.yaml (name and bytes) and the shipped verdicts. */
  hash: string;
  rules: Array<{ rule: RuleFile; file: string }>;
  /** verdictKey(pattern, flags) -> verdict, for every pattern of the pack. */
  verdicts: Record<string, RedosVerdict>;
}

export function packSourceHash(dir = SOURCES_DIR): string {
  const h = createHash("sha256").update(`format ${PACK_FORMAT}\n`);
  const names = readdirSync(dir)
    .filter((f) => /\.ya?ml$|^redos-verdicts\.json$/.test(f))
    .sort();
  for (const name of names) h.update(`${name}\n`).update(readFileSync(join(dir, name))).update("\n");
  return h.digest("hex");
}

/** The rule as the engine needs it: examples are for `rules test` and the test suite only. */
export function withoutExamples(rule: RuleFile): RuleFile {
  return { ...rule, examples: { match: [], nearMiss: [] } };
}

let warned = false;

/**
 * The built-in rules from the snapshot, or undefined (with one warning on stderr when it
 * exists but is stale) so that the caller loads rules/*.yaml instead.
 */
export function loadRulePack(file = PACK_FILE, warn: (message: string) => void = (m) => process.stderr.write(m)): LoadedRule[] | undefined {
  let pack: RulePack;
  try {
    pack = JSON.parse(readFileSync(file, "utf8")) as RulePack;
  } catch {
    return undefined; // not built (running from src/ with tsx): the YAML path is the only one
  }
  if (pack.format !== PACK_FORMAT || pack.hash !== packSourceHash()) {
    if (!warned) warn("buildx-fix: the compiled rule pack is older than rules/*.yaml; loading the YAML files (run `npm run build` to refresh it)\n");
    warned = true;
    return undefined;
  }
  return pack.rules.map(({ rule, file }) => ({ rule, file, builtin: true }));
}
