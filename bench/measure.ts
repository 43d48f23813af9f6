// Child process of `npm run bench`: reads one log file the way `buildx-fix diagnose FILE`
// does and diagnoses it, so its peak RSS is the engine's and not the generator's.
import { readFileSync } from "node:fs";
import { createEngine } from "../src/engine/index.js";
import { decodeLog } from "../src/input/decode-log.js";

const [file, runsArg] = process.argv.slice(2);
if (!file) throw new Error("usage: measure.js FILE [RUNS]");
const runs = Number(runsArg ?? 3);
const engine = createEngine();
const times: number[] = [];
let found: string[] = [];
let bytes = 0;
let firstRunRssMb = 0;
const gc = (globalThis as { gc?: () => void }).gc;
for (let i = 0; i < runs; i++) {
  // Collect the previous run's text first: one diagnosis at a time, as the bot works.
  gc?.();
  const t0 = performance.now();
  const raw = readFileSync(file);
  bytes = raw.length;
  const text = decodeLog(raw, Number.MAX_SAFE_INTEGER);
  found = engine.diagnose(text).diagnoses.map((d) => d.ruleId);
  times.push(performance.now() - t0);
  // Peak RSS of one diagnosis (later runs only add the allocator's leftovers of earlier ones).
  if (i === 0) firstRunRssMb = process.resourceUsage().maxRSS / 1024;
}
process.stdout.write(JSON.stringify({ bytes, times, found, maxRssMb: firstRunRssMb }));
