// `npm run build` step: validates rules/*.yaml once (YAML + zod + ReDoS verdicts, the same
// loader team rules use) and writes the snapshot that start-up reads (see pack.ts).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { BUILTIN_RULES_DIR, SHIPPED_VERDICTS, loadRuleDir, rulePatterns } from "./load.js";
import { PACK_FILE, PACK_FORMAT, type RulePack, packSourceHash, withoutExamples } from "./pack.js";
import { RedosChecker, verdictKey } from "./redos.js";

export function buildRulePack(): RulePack {
  const hash = packSourceHash();
  const redos = new RedosChecker(SHIPPED_VERDICTS);
  const loaded = loadRuleDir(BUILTIN_RULES_DIR, true, redos);
  const verdicts: RulePack["verdicts"] = {};
  for (const { rule } of loaded) for (const p of rulePatterns(rule)) verdicts[verdictKey(p.source, p.flags)] = redos.check(p.source, p.flags);
  // Paths are kept relative to the package, as `rules list` shows them.
  return { format: PACK_FORMAT, hash, rules: loaded.map(({ rule, file }) => ({ rule: withoutExamples(rule), file })), verdicts };
}

export function writeRulePack(file = PACK_FILE): RulePack {
  const pack = buildRulePack();
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(pack));
  renameSync(tmp, file);
  return pack;
}
