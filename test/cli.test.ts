import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runBin } from "./helpers/cli.js";
import { ruleData, ruleDir } from "./helpers/rules.js";

const LOAD_LOG = `docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest . --load
[+] Building 0.0s (0/0) docker-container:stoic_hellman
ERROR: docker exporter does not currently support exporting manifest lists
`;

function tmpFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "bxf-cli-"));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe("buildx-fix diagnose", () => {
  it("prints exactly the JSON contract with --json, best first", async () => {
    const r = await runBin(["diagnose", "--json"], { input: LOAD_LOG });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { source: string; diagnoses: Array<Record<string, unknown>> };
    expect(Object.keys(out)).toEqual(["source", "diagnoses"]);
    expect(out.source).toBe("rules");
    const d = out.diagnoses[0]!;
    expect(Object.keys(d)).toEqual(["ruleId", "family", "title", "confidence", "summary", "fix", "docs", "evidence", "facts"]);
    expect(d.ruleId).toBe("load-manifest-list-unsupported");
    expect(d.family).toBe("load-manifest-list-unsupported");
    expect(d.evidence).toEqual([{ line: 3, text: "ERROR: docker exporter does not currently support exporting manifest lists" }]);
    expect(d.facts).toMatchObject({ image: "cloudsmithy/shuangpin:latest", builder: "stoic_hellman" });
  });

  it("reads a file, a gzip file and `-` for stdin alike", async () => {
    const plain = await runBin(["diagnose", tmpFile("build.log", LOAD_LOG), "--format", "json"]);
    const gz = await runBin(["diagnose", tmpFile("build.log.gz", gzipSync(LOAD_LOG)), "--json"]);
    const dash = await runBin(["diagnose", "-", "--json"], { input: LOAD_LOG });
    // A pipe given as a file (`diagnose <(kubectl logs …)`, `/dev/stdin`) reads once and cannot seek.
    const fifo = join(mkdtempSync(join(tmpdir(), "bxf-cli-")), "log.fifo");
    execFileSync("mkfifo", [fifo]);
    const running = runBin(["diagnose", fifo, "--json"]);
    createWriteStream(fifo).end(LOAD_LOG);
    const pipe = await running;
    const devStdin = await runBin(["diagnose", "/dev/stdin", "--json"], { input: LOAD_LOG });
    expect(plain.stdout).toBe(gz.stdout);
    expect(plain.stdout).toBe(dash.stdout);
    expect([pipe.stderr, devStdin.stderr]).toEqual(["", ""]);
    expect(pipe.stdout).toBe(plain.stdout);
    expect(devStdin.stdout).toBe(plain.stdout);
  });

  it("prints [] and source none for a log with no known cause", async () => {
    const r = await runBin(["diagnose", "--json"], { input: "FAIL src/sum.test.ts\n  expected 3 to be 4\nTests: 1 failed, 12 passed\n" });
    expect(JSON.parse(r.stdout)).toEqual({ source: "none", diagnoses: [] });
  });

  it("renders text and Markdown, in Chinese on request", async () => {
    const text = await runBin(["diagnose", "--lang", "zh"], { input: LOAD_LOG });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/[\u4e00-\u9fff]/);
    expect(text.stdout).toContain("cloudsmithy/shuangpin:latest");
    const md = await runBin(["diagnose", "--format", "markdown"], { input: LOAD_LOG });
    expect(md.stdout).toMatch(/^### buildx-fix: /);
    expect(md.stdout).toContain("```sh");
  });

  it("refuses a stream over the size limit as it arrives, leaving no spooled file behind", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "bxf-spool-"));
    // An endless stream: read whole, it would never end. (Past the 8 MiB kept in memory, the rest
    // was going to a temporary file.)
    const r = await runBin(["diagnose", "/dev/zero"], { env: { MAX_LOG_BYTES: String(10 * 1024 * 1024), TMPDIR: tmp } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the 10(?:\.0)? MB limit/);
    expect(readdirSync(tmp)).toEqual([]);
  }, 20_000);

  it("exits 2 with one line on usage errors and unreadable input", async () => {
    for (const args of [["diagnose", "--format", "yaml"], ["diagnose", "/no/such/file.log"], ["diagnose", "--bogus"], ["nonsense"]]) {
      const r = await runBin(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n").length, args.join(" ")).toBeLessThanOrEqual(2);
    }
    const empty = await runBin(["diagnose", "-"], { input: "" });
    expect([empty.code, empty.stderr.trim()]).toEqual([2, "buildx-fix: the log is empty: paste the output of the failed build"]);
    const binary = await runBin(["diagnose", "-"], { input: Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 1]) });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/binary/);
  });

  it("loads team rules with --rules and RULES_DIR, and names a broken team rule file", async () => {
    const dir = ruleDir({ "team-boom.yaml": ruleData("team-boom") });
    const viaFlag = await runBin(["diagnose", "--json", "--rules", dir], { input: "#1 [internal] load build definition\nboom thing\n" });
    expect(JSON.parse(viaFlag.stdout).diagnoses[0].ruleId).toBe("team-boom");
    const viaEnv = await runBin(["diagnose", "--json"], { input: "#1 [internal] load build definition\nboom thing\n", env: { RULES_DIR: dir } });
    expect(JSON.parse(viaEnv.stdout).diagnoses[0].ruleId).toBe("team-boom");
    const broken = ruleDir({ "bad.yaml": ruleData("bad", { priority: "high" }) });
    const r = await runBin(["diagnose", "--rules", broken], { input: LOAD_LOG });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: rule "bad", field priority/);
  });
});

describe("buildx-fix rules", () => {
  it("lists the causes it knows", async () => {
    const r = await runBin(["rules", "list", "--json"]);
    const list = JSON.parse(r.stdout) as Array<{ id: string }>;
    expect(list.map((x) => x.id)).toContain("non-ascii-context-path");
  });

  it("tests a team's rules: passes good examples, reports and fails on bad ones", async () => {
    const good = await runBin(["rules", "test", ruleDir({ "team-boom.yaml": ruleData("team-boom") })]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/1 rules, 5 examples: 5 passed, 0 failed/);
    const bad = await runBin(["rules", "test", ruleDir({ "team-boom.yaml": ruleData("team-boom", { examples: { match: [{ log: "boom a" }, { log: "boom b" }, { log: "nothing" }], nearMiss: [{ log: "boom x" }, { log: "y" }] } }) })]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL team-boom examples\.match\[2\]/);
    expect(bad.stdout).toMatch(/FAIL team-boom examples\.nearMiss\[0\]/);
  });
});

describe("buildx-fix chat", () => {
  it("answers each pasted log, including logs with empty lines inside, until Ctrl-D", async () => {
    const r = await runBin(["chat"], { input: `${LOAD_LOG}\n\nnot a docker log\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("load-manifest-list-unsupported");
    expect(r.stdout.match(/buildx-fix> /g)?.length).toBeGreaterThanOrEqual(2);
  });
});
