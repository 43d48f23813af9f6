// The emitter catalogue (test/fixtures/emitters): every error wording the programs behind a
// Docker build print, old and new, rendered with realistic values. Each rendering must get its
// rule as the first answer at high/medium, pasted alone and inside a realistic build log;
// `none` entries and generic wordings alone must get no confident answer. The engine does not
// know every wording yet, so the test enforces a floor on the share of checks passed and
// prints the coverage and the misses; raise the floor as the engine learns.
import { describe, expect, it } from "vitest";
import { builtinEngine } from "./helpers/engine.js";
import { checkAll, coverage, coverageMarkdown, describeMiss, loadCatalogue, rate } from "./helpers/emitters.js";

/** Share of checks (alone + in a log, per rendering) the engine must pass. */
const COVERAGE_FLOOR = 0.97;

describe("emitter catalogue", () => {
  const entries = loadCatalogue();
  const checks = checkAll(builtinEngine(), entries);
  const rows = coverage(checks);
  const overall = rows.at(-1)!;

  it("is a catalogue worth measuring", () => {
    expect(entries.length).toBeGreaterThanOrEqual(100);
    expect(new Set(entries.map((e) => e.program)).size).toBeGreaterThanOrEqual(10);
  });

  it("has no rendering twice", () => {
    const seen = new Map<string, string>();
    const twice = entries.flatMap((e) =>
      e.rendered.filter((r) => {
        const dup = seen.has(r);
        seen.set(r, e.message);
        return dup;
      }),
    );
    expect(twice).toEqual([]);
  });

  it(`gives the expected first answer on at least ${(COVERAGE_FLOOR * 100).toFixed(0)} % of the checks`, () => {
    const misses = checks.filter((c) => !c.pass);
    console.log(`emitter coverage:\n${coverageMarkdown(rows)}`);
    if (misses.length) console.log(`emitter misses (${misses.length}/${checks.length}):\n${misses.map((c) => `  ${describeMiss(c)}`).join("\n")}`);
    expect(rate(overall)).toBeGreaterThanOrEqual(COVERAGE_FLOOR);
  });

  it("never answers a `none` wording confidently when it is pasted alone", () => {
    const alarms = checks.filter((c) => c.mode === "alone" && c.entry.rule === "none" && !c.pass);
    expect(alarms.map(describeMiss)).toEqual([]);
  });
});
