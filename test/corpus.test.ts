// End-to-end accuracy on whole logs from public reports (test/fixtures/logs). File names
// carry the expected first answer: `<rule-id>--slug.log`, or `none--slug.log` for logs with
// no known cause. Scoring is strict: a first answer is right only when it names the expected
// rule at high or medium confidence (a `low` answer is not an answer); a confident answer on a
// `none` log is a false alarm. Targets: at least 95% right, at most 2% false alarms, and the
// same first answers when each log is buried in ~3 000 lines of benign build chatter.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinEngine } from "./helpers/engine.js";
import { buryInNoise } from "./helpers/noise.js";

const dir = join(import.meta.dirname, "fixtures", "logs");
const files = readdirSync(dir).filter((f) => f.endsWith(".log")).sort();

interface Answer {
  file: string;
  expected: string;
  got: string;
  confidence: string;
}

const confident = (a: Answer) => a.confidence === "high" || a.confidence === "medium";

function answer(file: string, log: string): Answer {
  const top = builtinEngine().diagnose(log).diagnoses[0];
  return { file, expected: file.split("--")[0]!, got: top?.ruleId ?? "none", confidence: top?.confidence ?? "-" };
}

function score(results: Answer[]): { right: number; positives: Answer[]; wrong: Answer[]; alarms: Answer[]; negatives: Answer[] } {
  const positives = results.filter((r) => r.expected !== "none");
  const negatives = results.filter((r) => r.expected === "none");
  const wrong = positives.filter((r) => r.got !== r.expected || !confident(r));
  const alarms = negatives.filter(confident);
  return { right: 1 - wrong.length / positives.length, positives, wrong, alarms, negatives };
}

const logs = files.map((f) => ({ file: f, log: readFileSync(join(dir, f), "utf8").replace(/^(?:# (?:source|why):[^\n]*\n)+/, "") }));

describe("whole-log corpus (strict: only high/medium answers count)", () => {
  const results = logs.map(({ file, log }) => answer(file, log));
  const s = score(results);

  it("has a corpus worth measuring", () => {
    expect(s.positives.length).toBeGreaterThanOrEqual(60);
    expect(s.negatives.length).toBeGreaterThanOrEqual(15);
  });

  it("gives the right confident first answer on at least 95% of logs with a known cause", () => {
    if (s.wrong.length) console.log(`strict first-answer misses (${s.wrong.length}/${s.positives.length}):\n${s.wrong.map((r) => `  ${r.file}: got ${r.got} (${r.confidence})`).join("\n")}`);
    expect(s.right).toBeGreaterThanOrEqual(0.95);
  });

  it("raises a confident answer on at most 2% of logs with no known cause", () => {
    if (s.alarms.length) console.log(`confident false alarms (${s.alarms.length}/${s.negatives.length}):\n${s.alarms.map((r) => `  ${r.file}: ${r.got} (${r.confidence})`).join("\n")}`);
    expect(s.alarms.length / s.negatives.length).toBeLessThanOrEqual(0.02);
  });

  it("gives the same first answers when each log is buried in ~3 000 benign lines", () => {
    const changed: string[] = [];
    const buried = logs.map(({ file, log }, i) => {
      const a = answer(file, buryInNoise(log, i));
      const plain = results[i]!;
      // The rule must not change; a confident answer must stay confident. (Noise with BuildKit
      // progress may make a bare paste recognisably Docker output, and so more confident.)
      if (a.got !== plain.got || (confident(plain) && !confident(a))) changed.push(`  ${file}: ${plain.got} (${plain.confidence}) -> ${a.got} (${a.confidence})`);
      return a;
    });
    if (changed.length) console.log(`answers changed by noise (${changed.length}):\n${changed.join("\n")}`);
    const b = score(buried);
    expect(changed).toEqual([]);
    expect(b.right).toBeGreaterThanOrEqual(0.95);
    expect(b.alarms.length / b.negatives.length).toBeLessThanOrEqual(0.02);
  });
});
