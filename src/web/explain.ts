// Which of a rule's line patterns produced an evidence line: the engine keeps only the line,
// so the console finds the pattern again by running the matcher's `any` patterns (the rule's,
// or the variant's) over the evidence text. Lines a rule adds from the failing step's own
// output match none, and get no pattern.
import type { RuleEngine } from "../engine/engine.js";
import type { MatchSpec } from "../rules/schema.js";
import { findRule } from "../rules/rule-page.js";

const compiled = new WeakMap<MatchSpec, RegExp[]>();

function patternsOf(spec: MatchSpec): RegExp[] {
  let list = compiled.get(spec);
  if (!list) compiled.set(spec, (list = spec.any.map((src) => new RegExp(src, spec.caseSensitive ? "u" : "iu"))));
  return list;
}

export function matchedPattern(engine: RuleEngine, ruleId: string, variant: string | undefined, text: string): string | undefined {
  const rule = findRule(engine, ruleId)?.rule;
  const spec = variant ? rule?.variants?.find((v) => v.name === variant)?.match : rule?.match;
  if (!spec) return undefined;
  return patternsOf(spec).find((re) => re.test(text))?.source;
}
