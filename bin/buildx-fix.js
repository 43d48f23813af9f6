#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it through the `prepare` script).
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";

// A log file this large streams through the byte path in blocks: V8's default young generation (up to
// 16 MB per semi-space) then holds the blocks' short-lived strings and grows the peak RSS past 120 MB.
// Such a run starts again once with a small young generation (same speed, ~10 MB less at its peak at 4 MB,
// ~6 MB less again at 2 MB: 113-116 MB against 119-122 MB on 100 and 300 MB logs, as the rule pack grew);
// the extra start-up (~60 ms) is a tenth of a 100 MB run, and smaller logs never pay it.
const LARGE_LOG = 32 * 1024 * 1024;
const SEMI_SPACE = "--max-semi-space-size=2";
const large = (arg) => {
  try {
    return statSync(arg).isFile() && statSync(arg).size >= LARGE_LOG;
  } catch {
    return false;
  }
};
const args = process.argv.slice(2);
if (args[0] === "diagnose" && !process.execArgv.some((a) => a.startsWith("--max-semi-space-size")) && args.slice(1).some(large)) {
  const run = spawnSync(process.execPath, [...process.execArgv, SEMI_SPACE, fileURLToPath(import.meta.url), ...args], { stdio: "inherit" });
  if (run.signal) process.kill(process.pid, run.signal);
  process.exit(run.status ?? 1);
}
await import("../dist/src/adapters/cli/main.js");
