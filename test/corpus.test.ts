// End-to-end accuracy on whole logs from public reports (test/fixtures/logs). File names
// carry the expected first answer: `<rule-id>--slug.log`, or `none--slug.log` for logs with
// no known cause, which must get no high- or medium-confidence answer. The targets are the
// project's: at least 95% right first answers, at most 5% confident false alarms.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinEngine } from "./helpers/engine.js";

const dir = join(import.meta.dirname, "fixtures", "logs");
const files = readdirSync(dir).filter((f) => f.endsWith(".log")).sort();

function firstAnswer(file: string): { expected: string; got: string; confidence: string } {
  const expected = file.split("--")[0]!;
  const log = readFileSync(join(dir, file), "utf8").replace(/^(?:# (?:source|why):[^\n]*\n)+/, "");
  const top = builtinEngine().diagnose(log).diagnoses[0];
  return { expected, got: top?.ruleId ?? "none", confidence: top?.confidence ?? "-" };
}

describe("whole-log corpus", () => {
  const results = files.map((f) => ({ file: f, ...firstAnswer(f) }));
  const positives = results.filter((r) => r.expected !== "none");
  const negatives = results.filter((r) => r.expected === "none");

  it("has a corpus worth measuring", () => {
    expect(positives.length).toBeGreaterThanOrEqual(60);
    expect(negatives.length).toBeGreaterThanOrEqual(15);
  });

  it("gives the right first answer on at least 95% of logs with a known cause", () => {
    const wrong = positives.filter((r) => r.got !== r.expected);
    const rate = 1 - wrong.length / positives.length;
    if (wrong.length) console.log(`first-answer misses (${wrong.length}/${positives.length}):\n${wrong.map((r) => `  ${r.file}: got ${r.got} (${r.confidence})`).join("\n")}`);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  it("raises a confident answer on at most 5% of logs with no known cause", () => {
    const alarms = negatives.filter((r) => r.confidence === "high" || r.confidence === "medium");
    if (alarms.length) console.log(`confident false alarms (${alarms.length}/${negatives.length}):\n${alarms.map((r) => `  ${r.file}: ${r.got} (${r.confidence})`).join("\n")}`);
    expect(alarms.length / negatives.length).toBeLessThanOrEqual(0.05);
  });
});
