// The engine for one-shot commands (`buildx-fix diagnose`): the built-in rules come from the
// compiled pack, and the YAML + zod loader is imported only when it is needed (team rules, a
// stale or missing pack), so a short log does not pay for parsing 40 YAML files.
import type { LoadRulesOptions } from "../rules/load.js";
import { loadRulePack } from "../rules/pack.js";
import { RuleEngine } from "./engine.js";

export async function openEngine(opts: LoadRulesOptions = {}): Promise<RuleEngine> {
  const builtinRules = opts.builtin === false ? undefined : loadRulePack();
  if (builtinRules && !opts.extraDirs?.length) return new RuleEngine(builtinRules);
  const { loadRules } = await import("../rules/load.js");
  return new RuleEngine(loadRules(builtinRules ? { ...opts, builtinRules } : opts));
}

/** RULES_DIR may list several directories, separated like PATH. */
export function rulesDirsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.RULES_DIR ?? "").split(/[:;]/).filter(Boolean);
}
