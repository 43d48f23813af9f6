import { readFileSync, readdirSync } from "node:fs";
import { dirname, basename } from "node:path";
import { createEngine } from "../src/engine/index.js";
import { buryInNoise } from "../test/helpers/noise.js";
const file = process.argv[2]!;
const seed = readdirSync(dirname(file)).filter((f) => f.endsWith(".log")).sort().indexOf(basename(file));
const log = readFileSync(file, "utf8").replace(/^(?:# (?:source|why):[^\n]*\n)+/, "").trimEnd();
const b = buryInNoise(log, seed); const i = b.indexOf(log);
const before = b.slice(0, i).split("\n").filter(Boolean), after = b.slice(i + log.length).split("\n").filter(Boolean);
const e = createEngine(); const top = (t: string) => { const d = e.diagnose(t).diagnoses[0]; return d ? `${d.ruleId}/${d.confidence}` : "none"; };
const plain = top(log);
const side = top(before.join("\n") + "\n" + log) !== plain ? "before" : "after";
const lines = side === "before" ? before : after;
const mk = (ls: string[]) => side === "before" ? ls.join("\n") + "\n" + log : log + "\n" + ls.join("\n");
let lo = 0, hi = lines.length;
while (hi - lo > 1) { const mid = (lo + hi) >> 1; const part = side === "before" ? lines.slice(lines.length - mid) : lines.slice(0, mid); if (top(mk(part)) !== plain) hi = mid; else lo = mid; }
const part = side === "before" ? lines.slice(lines.length - hi) : lines.slice(0, hi);
console.log(basename(file), plain, "->", top(mk(part)), side, hi, "lines; nearest:", side === "before" ? part[0] : part[part.length - 1]);
console.log("   log edge:", side === "before" ? log.split("\n").slice(0, 2).join(" ⏎ ").slice(0, 200) : log.split("\n").slice(-2).join(" ⏎ ").slice(-200));
