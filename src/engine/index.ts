// The one way to get an engine: load and validate rules, then compile them.
import { type LoadRulesOptions, loadRules } from "../rules/load.js";
import { RuleEngine } from "./engine.js";

export function createEngine(opts: LoadRulesOptions = {}): RuleEngine {
  return new RuleEngine(loadRules(opts));
}

export { rulesDirsFromEnv } from "./open-engine.js";

export { RuleEngine };
export type * from "./types.js";
