// First-look accuracy of a set of logs nobody tuned the rules on. Run it on a fresh set BEFORE
// changing any rule and publish that figure; after fixes the same logs join test/fixtures/logs
// as regression cases and stop being a measure.
//
//   npx tsx scripts/measure-set.ts DIR [--json] [--buried]
//
// `--buried` scores each log inside ~3 000 lines of benign build chatter (the issue's "the same when
// buried"), the same chatter test/fresh-sets.test.ts uses.
//
// File names carry the expected first answer: `<rule-id>--slug.log`, or `none--slug.log` for a
// log with no known cause. Only high/medium first answers count as right; a high/medium answer
// on a `none` log is a confident false alarm.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createEngine } from "../src/engine/index.js";
import { InputError } from "../src/engine/normalize.js";
import { buryInNoise } from "../test/helpers/noise.js";

// `... | head` closes the pipe early: stop quietly.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});
const dir = process.argv[2];
if (!dir) {
  console.error("usage: tsx scripts/measure-set.ts DIR [--json] [--buried]");
  process.exit(2);
}
const engine = createEngine();
const files = readdirSync(dir).filter((f) => f.endsWith(".log")).sort();
// Comment headers (`# source:`, `# why:`) are the collector's, not the user's paste.
const HEADER = /^(?:# (?:source|why):[^\n]*\n)+/;

const buried = process.argv.includes("--buried");
const rows = files.map((file, i) => {
  const expected = file.split("--")[0]!;
  const log = readFileSync(join(dir, file), "utf8").replace(HEADER, "");
  // A log the engine refuses (binary, empty) gets no answer: the user sees the refusal, never a cause.
  let top;
  try {
    top = engine.diagnose(buried ? buryInNoise(log, i) : log).diagnoses[0];
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { file, expected, got: `refused:${err.code}`, confidence: "-", confident: false };
  }
  const confident = top !== undefined && (top.confidence === "high" || top.confidence === "medium");
  return { file, expected, got: top?.ruleId ?? "none", confidence: top?.confidence ?? "-", confident };
});
const positives = rows.filter((r) => r.expected !== "none");
const negatives = rows.filter((r) => r.expected === "none");
const right = positives.filter((r) => r.confident && r.got === r.expected);
const alarms = negatives.filter((r) => r.confident);
const pct = (n: number, d: number) => (d ? ((100 * n) / d).toFixed(1) : "n/a");

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ positives: positives.length, right: right.length, negatives: negatives.length, alarms: alarms.length, rows }, null, 2));
} else {
  console.log(`right first answers (high/medium): ${right.length}/${positives.length} = ${pct(right.length, positives.length)} %`);
  console.log(`confident answers on logs with no known cause: ${alarms.length}/${negatives.length} = ${pct(alarms.length, negatives.length)} %`);
  for (const r of positives.filter((p) => !right.includes(p))) console.log(`  miss  ${r.file}: got ${r.got} (${r.confidence})`);
  for (const r of alarms) console.log(`  alarm ${r.file}: got ${r.got} (${r.confidence})`);
}
