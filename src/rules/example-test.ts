// Runs every rule's own examples against the whole rule set, the way users meet them:
// a `match` example must give its rule as the FIRST diagnosis (and the stated variant and
// facts), a `nearMiss` must not give the rule at all. Used by `buildx-fix rules test` and
// by the test suite.
import type { RuleEngine } from "../engine/engine.js";
import type { LoadedRule } from "./load.js";

export interface ExampleFailure {
  ruleId: string;
  file: string;
  example: string;
  problem: string;
}

export interface ExampleReport {
  rules: number;
  examples: number;
  failures: ExampleFailure[];
}

export function testRuleExamples(engine: RuleEngine, rules: LoadedRule[]): ExampleReport {
  const failures: ExampleFailure[] = [];
  let examples = 0;
  for (const { rule, file } of rules) {
    rule.examples.match.forEach((ex, i) => {
      examples++;
      const fail = (problem: string) => failures.push({ ruleId: rule.id, file, example: `examples.match[${i}]`, problem });
      const result = engine.diagnose(ex.log, { lang: "en" });
      const top = result.diagnoses[0];
      if (!top) {
        fail("no rule matched");
        return;
      }
      if (top.ruleId !== rule.id) {
        const rank = result.diagnoses.findIndex((d) => d.ruleId === rule.id);
        fail(`first answer is ${top.ruleId} (${top.confidence}); this rule ${rank === -1 ? "did not match" : `came #${rank + 1} (${result.diagnoses[rank]?.confidence})`}`);
        return;
      }
      if (ex.variant && top.variant !== ex.variant) fail(`variant is ${top.variant ?? "(none)"}, expected ${ex.variant}`);
      for (const [k, v] of Object.entries(ex.facts ?? {})) {
        if (top.facts[k] !== v) fail(`fact ${k} is ${JSON.stringify(top.facts[k])}, expected ${JSON.stringify(v)}`);
      }
    });
    rule.examples.nearMiss.forEach((ex, i) => {
      examples++;
      const result = engine.diagnose(ex.log, { lang: "en" });
      const rank = result.diagnoses.findIndex((d) => d.ruleId === rule.id);
      if (rank !== -1) {
        failures.push({ ruleId: rule.id, file, example: `examples.nearMiss[${i}]`, problem: `matched (as #${rank + 1}) but must not` });
      }
    });
  }
  return { rules: rules.length, examples, failures };
}
