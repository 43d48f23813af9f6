// Errors a rule file can have. The message always names the file, the rule and the field,
// because the person reading it is editing that file.

export interface RuleProblem {
  file: string;
  ruleId?: string;
  field: string;
  message: string;
}

export function formatProblem(p: RuleProblem): string {
  const where = [p.ruleId ? `rule "${p.ruleId}"` : "", p.field ? `field ${p.field}` : ""].filter(Boolean).join(", ");
  return where ? `${p.file}: ${where}: ${p.message}` : `${p.file}: ${p.message}`;
}

export class RuleLoadError extends Error {
  override readonly name = "RuleLoadError";
  readonly code = "RULE_INVALID";
  constructor(readonly problems: RuleProblem[]) {
    super(`invalid rule file${problems.length > 1 ? "s" : ""}:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
  }
}
