// The one way to get an engine: load and validate rules, then compile them.
import { type LoadRulesOptions, loadRules } from "../rules/load.js";
import { RuleEngine } from "./engine.js";

export function createEngine(opts: LoadRulesOptions = {}): RuleEngine {
  return new RuleEngine(loadRules(opts));
}

/** RULES_DIR may list several directories, separated like PATH. */
export function rulesDirsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.RULES_DIR ?? "").split(/[:;]/).filter(Boolean);
}

export { RuleEngine };
export type * from "./types.js";
