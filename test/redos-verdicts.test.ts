// The built-in pack ships its ReDoS verdicts (rules/redos-verdicts.json) so that a fresh
// install starts at once instead of spending minutes in recheck. This keeps the file honest:
// every pattern has a verdict, every verdict is acceptable, and in CI they are re-checked.
//
// A recheck run costs one to several seconds of CPU a pattern and there are hundreds, more than
// the whole rest of the suite, so CI re-checks a sixteenth of them, a different one for each
// commit (chosen by the commit hash), and `npm run rules:verdicts`, which anyone who edits a
// pattern runs, checks new patterns from scratch; BUILDX_FIX_VERIFY_REDOS=all re-checks them all.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SHIPPED_VERDICTS, loadRules, rulePatterns } from "../src/rules/load.js";
import { type RedosVerdict, acceptable, checkPattern, verdictKey } from "../src/rules/redos.js";
import { inCI } from "./helpers/redis.js";

const shipped = JSON.parse(readFileSync(SHIPPED_VERDICTS, "utf8")) as Record<string, RedosVerdict>;
const patterns = loadRules().flatMap(({ rule }) => rulePatterns(rule).map((p) => ({ ...p, ruleId: rule.id })));
const mode = process.env.BUILDX_FIX_VERIFY_REDOS === "all" ? "all" : inCI || process.env.BUILDX_FIX_VERIFY_REDOS === "1" ? "sample" : "off";

const SHARES = 16;

/** Which sixteenth of the verdicts this commit re-checks (0 outside a git checkout). */
function rotation(): number {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: import.meta.dirname, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return Number.parseInt(head.slice(0, 1), 16) % SHARES;
  } catch {
    return 0;
  }
}

const inShare = (key: string, share: number) => Number.parseInt(key.slice(0, 2), 16) % SHARES === share;

/** A polynomial (never exponential) verdict that came from recheck's fuzzer, not its automaton. */
const fuzzPolynomial = (v: RedosVerdict) => v.status === "vulnerable" && !v.exponential && /\(fuzz\)/.test(v.complexity ?? "");

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
    const share = rotation();
    const disagree: string[] = [];
    const unsteady: string[] = [];
    const seen = new Set<string>();
    for (const p of patterns) {
      const key = verdictKey(p.source, p.flags);
      if (seen.has(key) || (mode !== "all" && !inShare(key, share))) continue;
      seen.add(key);
      const fresh = checkPattern(p.source, p.flags);
      if (fresh.status === "unknown" || acceptable(fresh) === acceptable(shipped[key]!)) continue;
      const line = `${p.ruleId} ${p.field}: ${fresh.status} ${fresh.complexity ?? ""}`;
      // recheck's fuzzer estimates a polynomial's degree from matching runs cut by time limits, so
      // on a loaded machine it may call a bounded quadratic pattern cubic one run and quadratic the
      // next. Such a reading is printed; an exponential one, or the automaton checker's, fails.
      if (fuzzPolynomial(fresh)) unsteady.push(line);
      else disagree.push(line);
    }
    if (unsteady.length) console.log(`recheck's fuzzer read a higher degree this run (not failing, see the comment):\n  ${unsteady.join("\n  ")}`);
    expect(seen.size).toBeGreaterThan(0);
    expect(disagree).toEqual([]);
  });
});
