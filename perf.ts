import { createEngine } from "../../src/engine/index.js";
const engine = createEngine();
const target = 20 * 1024 * 1024;
function build(line: string) { const n = Math.ceil(target / (line.length + 1)); return Array(n).fill(line).join("\n") + "\n"; }
const cases: Record<string, string> = {
  openVerdictClosed: `ERROR: process "/bin/sh -c ${"a".repeat(300)}" x`,
  openVerdictLong: `ERROR: process "/bin/sh -c ${"a ".repeat(300)}`,
  excerptNoRun: `  12 | >>> RUN`,
  excerptLong: `12 | >>> RUN ${"x".repeat(1000)} | >>> run `,
  sigkill: `exited with an unexpected signal: SIGKILLx unexpected signal: sigkill`.repeat(20),
  threadcpp: `Operation not permitted (src/thread.cpp:x) `.repeat(20),
  posix: `spawn_subprocess.cc(x)] posix_spawn: Operation not permitted `.repeat(20),
  nosuchimage: `404 Client Error ${"x".repeat(150)} ("No such image: ${"a".repeat(290)}`,
  nosuchimage2: `404 Client Error ("No such image: `.repeat(40),
  nofrom: `Error: no FROM statement found in x`,
  bundler: `An error occurred while installing ${"a".repeat(100)} (${"1".repeat(40)}), and Bundler cannot go`,
  sed: `sed: can't read ${"x".repeat(300)}: No such file or directoryx`,
  lstat: `Error response from daemon: lstat ${"a".repeat(500)}: no such file or directoryx`,
  iopause: `unable to iopause: x `.repeat(30),
  v8: `# Fatal error in , line 0`,
  crlfExec: `exec ${"entrypoint".repeat(30)} `.repeat(10) + "no such file or directory",
  crlfExec2: `exec ${"a".repeat(299)}.sh${"b".repeat(299)} `.repeat(5) + "no such file or directory",
  crlfS6: `: No such file or directory ${"a".repeat(40)} unable to exec ${"b".repeat(50)}`,
  platform: `requested image's platform (linux/amd64) does not match the detected host platform (${"a".repeat(300)}`,
  addStat: `ADD failed: stat /${"a/".repeat(200)}tmp/docker-builder123/${"x".repeat(300)} no such file or director x`,
  addStat2: `ADD failed: stat /${"tmp/docker-builder1/".repeat(50)}x: no such file or directorx`,
  pullDenied: `Error response from daemon: pull access denied for ${"a".repeat(400)})).`,
  npipe: `failed to connect to the docker API at npipe:${"/".repeat(300)}`,
  urllib3: `urllib3.exceptions.ProtocolError: ('Connection aborted.', FileNotFoundError(2`.repeat(10),
  unableFind: `Unable to find image '${"a".repeat(500)} locally`,
  composePull: `Pulling ${"a".repeat(500)} (${"b".repeat(300)} ...`,
  pullingFrom: `${"a".repeat(127)}: Pulling from ${"b/".repeat(300)} x`,
  failedSolve: `failed to solve: ${"a.".repeat(200)}:${"b".repeat(100)}`,
  failedSolve2: `failed to solve: ${"a/".repeat(300)}a:b`,
  failedSolve3: `failed to solve: `.repeat(50) + "a/b",
  failedPush: `failed to push ${"a-".repeat(300)}a`,
  workspace: `${"a/".repeat(100)}b ${"c:".repeat(20)}: #x `,
  workspace2: `${"a".repeat(80)}:${"b:".repeat(20)}: #`,
  workspace3: `${"a@".repeat(40)}/${"b".repeat(40)}${":".repeat(40)}: #1`,
  workspace4: `${"(a)/".repeat(6)}b${" x:".repeat(1)}${":-".repeat(30)}: # ` ,
};
const only = process.argv[2];
for (const [k, line] of Object.entries(cases)) {
  if (only && k !== only) continue;
  const text = build(line);
  const t0 = performance.now();
  let r: any; try { r = engine.diagnose(text); } catch (e: any) { r = { err: String(e).slice(0, 80) }; }
  const ms = performance.now() - t0;
  console.log(k.padEnd(18), (ms / 1000).toFixed(2) + "s", r.err ?? r.diagnoses?.map((d: any) => d.ruleId + "/" + d.variant).join(","));
}
