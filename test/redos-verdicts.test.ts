// The built-in pack ships its ReDoS verdicts (rules/redos-verdicts.json) so that a fresh
// install starts at once instead of spending minutes in recheck. This keeps the file honest:
// every pattern has a verdict, every verdict is acceptable, and in CI they are re-checked.
//
// A recheck run costs about a second of CPU a pattern (several for some) and there are hundreds,
// more than the whole rest of the suite, so CI re-checks a quarter of them, a different quarter
// for each commit (chosen by the commit hash), and `npm run rules:verdicts`, which anyone who
// edits a pattern runs, checks them all from scratch; BUILDX_FIX_VERIFY_REDOS=all does too.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SHIPPED_VERDICTS, loadRules, rulePatterns } from "../src/rules/load.js";
import { type RedosVerdict, acceptable, checkPattern, verdictKey } from "../src/rules/redos.js";
import { inCI } from "./helpers/redis.js";

const shipped = JSON.parse(readFileSync(SHIPPED_VERDICTS, "utf8")) as Record<string, RedosVerdict>;
const patterns = loadRules().flatMap(({ rule }) => rulePatterns(rule).map((p) => ({ ...p, ruleId: rule.id })));
const mode = process.env.BUILDX_FIX_VERIFY_REDOS === "all" ? "all" : inCI || process.env.BUILDX_FIX_VERIFY_REDOS === "1" ? "sample" : "off";

/** Which quarter of the verdicts this commit re-checks (0 outside a git checkout). */
function rotation(): number {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: import.meta.dirname, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return Number.parseInt(head.slice(0, 1), 16) % 4;
  } catch {
    return 0;
  }
}

const inQuarter = (key: string, quarter: number) => Number.parseInt(key.slice(0, 2), 16) % 4 === quarter;

describe("shipped ReDoS verdicts", () => {
  it("cover every pattern of the built-in rules (run `npm run rules:verdicts` after editing one)", () => {
    const missing = patterns.filter((p) => !shipped[verdictKey(p.source, p.flags)]).map((p) => `${p.ruleId} ${p.field}`);
    expect(missing).toEqual([]);
  });

  it("are all acceptable", () => {
    const bad = patterns.filter((p) => !acceptable(shipped[verdictKey(p.source, p.flags)] ?? { status: "unknown" }));
    expect(bad.map((p) => `${p.ruleId} ${p.field}`)).toEqual([]);
  });

  it.runIf(mode !== "off")("agree with recheck run afresh (CI, or BUILDX_FIX_VERIFY_REDOS=1|all)", { timeout: 900_000 }, () => {
    const quarter = rotation();
    const disagree: string[] = [];
    const seen = new Set<string>();
    for (const p of patterns) {
      const key = verdictKey(p.source, p.flags);
      if (seen.has(key) || (mode !== "all" && !inQuarter(key, quarter))) continue;
      seen.add(key);
      const fresh = checkPattern(p.source, p.flags);
      if (fresh.status !== "unknown" && acceptable(fresh) !== acceptable(shipped[key]!)) disagree.push(`${p.ruleId} ${p.field}: ${fresh.status} ${fresh.complexity ?? ""}`);
    }
    expect(seen.size).toBeGreaterThan(0);
    expect(disagree).toEqual([]);
  });
});
