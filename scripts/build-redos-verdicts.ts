// `npm run rules:verdicts`: checks every pattern of the built-in rules with recheck, from
// scratch, and writes rules/redos-verdicts.json. Run it after editing a rule's patterns;
// test/redos-verdicts.test.ts fails while the file is out of date.
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHIPPED_VERDICTS, loadRules, rulePatterns } from "../src/rules/load.js";
import { RedosChecker, type RedosVerdict, verdictKey } from "../src/rules/redos.js";

const scratch = join(tmpdir(), `buildx-fix-verdicts-${process.pid}.json`);
const checker = new RedosChecker(undefined, scratch);
const rules = loadRules({ redos: checker });
const verdicts: Record<string, RedosVerdict> = {};
for (const { rule } of rules) {
  for (const p of rulePatterns(rule)) verdicts[verdictKey(p.source, p.flags)] = checker.check(p.source, p.flags);
}
const sorted = Object.fromEntries(Object.entries(verdicts).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(SHIPPED_VERDICTS, `${JSON.stringify(sorted, null, 1)}\n`);
rmSync(scratch, { force: true });
process.stdout.write(`${Object.keys(sorted).length} verdicts written to ${SHIPPED_VERDICTS}\n`);
