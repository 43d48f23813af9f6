import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createEngine } from "../src/engine/index.js";
import { buryInNoise } from "../test/helpers/noise.js";
const engine = createEngine();
const HEADER = /^(?:# (?:source|why):[^\n]*\n)+/;
for (const dir of process.argv.slice(2)) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".log")).sort();
  let changed = 0, right = 0, pos = 0, alarms = 0, neg = 0;
  files.forEach((f, i) => {
    const log = readFileSync(join(dir, f), "utf8").replace(HEADER, "");
    const a = engine.diagnose(log).diagnoses[0];
    const b = engine.diagnose(buryInNoise(log, i)).diagnoses[0];
    const conf = (d: any) => d && (d.confidence === "high" || d.confidence === "medium");
    if ((a?.ruleId ?? "none") !== (b?.ruleId ?? "none") || (conf(a) && !conf(b))) { changed++; console.log(`  ${f}: ${a?.ruleId}/${a?.confidence} -> ${b?.ruleId}/${b?.confidence}`); }
    const exp = f.split("--")[0];
    if (exp === "none") { neg++; if (conf(b)) alarms++; } else { pos++; if (conf(b) && b.ruleId === exp) right++; }
  });
  console.log(`${dir}: buried ${right}/${pos} right, ${alarms}/${neg} alarms, ${changed} answers changed by noise`);
}
