// `npm run rules:verdicts`: writes rules/redos-verdicts.json, the recheck verdict of every
// pattern of the built-in rules. Patterns already in the file keep their verdict (the key is a
// hash of the pattern and its flags), new ones are checked, gone ones are dropped; `-- --all`
// checks every pattern from scratch. Run it after editing a rule's patterns:
// test/redos-verdicts.test.ts fails while the file is out of date.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHIPPED_VERDICTS, loadRules, rulePatterns } from "../src/rules/load.js";
import { RedosChecker, type RedosVerdict, verdictKey } from "../src/rules/redos.js";

const all = process.argv.includes("--all");
const scratch = join(tmpdir(), `buildx-fix-verdicts-${process.pid}.json`);
// The scratch cache starts empty; the shipped file is the only source of kept verdicts.
const checker = new RedosChecker(!all && existsSync(SHIPPED_VERDICTS) ? SHIPPED_VERDICTS : undefined, scratch);
const rules = loadRules({ redos: checker });
const verdicts: Record<string, RedosVerdict> = {};
for (const { rule } of rules) {
  for (const p of rulePatterns(rule)) verdicts[verdictKey(p.source, p.flags)] = checker.check(p.source, p.flags);
}
const sorted = Object.fromEntries(Object.entries(verdicts).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(SHIPPED_VERDICTS, `${JSON.stringify(sorted, null, 1)}\n`);
rmSync(scratch, { force: true });
process.stdout.write(`${Object.keys(sorted).length} verdicts written to ${SHIPPED_VERDICTS}${all ? " (all checked afresh)" : ""}\n`);
