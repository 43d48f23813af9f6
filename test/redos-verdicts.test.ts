// The built-in pack ships its ReDoS verdicts (rules/redos-verdicts.json) so that a fresh
// install starts at once instead of spending minutes in recheck. This keeps the file honest:
// every pattern has a verdict, every verdict is acceptable, and in CI each one is re-checked.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SHIPPED_VERDICTS, loadRules, rulePatterns } from "../src/rules/load.js";
import { type RedosVerdict, acceptable, checkPattern, verdictKey } from "../src/rules/redos.js";
import { inCI } from "./helpers/redis.js";

const shipped = JSON.parse(readFileSync(SHIPPED_VERDICTS, "utf8")) as Record<string, RedosVerdict>;
const patterns = loadRules().flatMap(({ rule }) => rulePatterns(rule).map((p) => ({ ...p, ruleId: rule.id })));
const verify = inCI || process.env.BUILDX_FIX_VERIFY_REDOS === "1";

describe("shipped ReDoS verdicts", () => {
  it("cover every pattern of the built-in rules (run `npm run rules:verdicts` after editing one)", () => {
    const missing = patterns.filter((p) => !shipped[verdictKey(p.source, p.flags)]).map((p) => `${p.ruleId} ${p.field}`);
    expect(missing).toEqual([]);
  });

  it("are all acceptable", () => {
    const bad = patterns.filter((p) => !acceptable(shipped[verdictKey(p.source, p.flags)] ?? { status: "unknown" }));
    expect(bad.map((p) => `${p.ruleId} ${p.field}`)).toEqual([]);
  });

  it.runIf(verify)("agree with recheck run afresh (CI, or BUILDX_FIX_VERIFY_REDOS=1)", { timeout: 900_000 }, () => {
    const disagree: string[] = [];
    const seen = new Set<string>();
    for (const p of patterns) {
      const key = verdictKey(p.source, p.flags);
      if (seen.has(key)) continue;
      seen.add(key);
      const fresh = checkPattern(p.source, p.flags);
      if (fresh.status !== "unknown" && acceptable(fresh) !== acceptable(shipped[key]!)) disagree.push(`${p.ruleId} ${p.field}: ${fresh.status} ${fresh.complexity ?? ""}`);
    }
    expect(disagree).toEqual([]);
  });
});
