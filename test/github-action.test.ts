// The GitHub Action (action.yml): its entry run as the runner runs it — INPUT_* variables,
// GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, workflow commands on stdout — on a recorded
// failing docker/build-push-action job log served by the fake GitHub API, notifying a real bot.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { CI_SECRET, type CiBot, startCiBot } from "./helpers/ci-harness.js";
import { ROOT } from "./helpers/cli.js";
import { FakeGitHub, GITHUB_TOKEN } from "./helpers/fake-github.js";
import { BOT_TOKEN, FakeSlack, until } from "./helpers/fake-slack.js";
import { uniq } from "./helpers/slack-harness.js";

const FIXTURE = "build-push-action-git-context--gha-maven-jar-not-in-git-context.log";
const RULE = "build-push-action-git-context";
/** The job log as GitHub serves it: the fixture without its `# source` header line. */
const jobLog = readFileSync(join(ROOT, "test", "fixtures", "logs", FIXTURE), "utf8").replace(/^# source:.*\n/, "");

let github: FakeGitHub;
let slack: FakeSlack;
let bot: CiBot;
const CHANNEL = "CACTION01";
let runCounter = 7700;

beforeAll(async () => {
  github = await FakeGitHub.start();
  slack = await FakeSlack.start();
  bot = await startCiBot({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, CI_ALERT_SLACK_CHANNEL: CHANNEL });
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await github?.close();
});

interface Ran {
  code: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

/** GITHUB_OUTPUT's `name<<DELIM` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([\w-]+)<<(\S+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    out[m[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return out;
}

/** Runs the action's entry with the environment a runner gives a step. */
function runAction(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Ran> {
  const dir = mkdtempSync(join(tmpdir(), "buildx-fix-action-"));
  const summary = join(dir, "summary.md");
  const output = join(dir, "output.txt");
  writeFileSync(summary, "");
  writeFileSync(output, "");
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  const child = spawn(process.execPath, [join(ROOT, "dist", "src", "action", "main.js")], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: "acme/orders-api",
      GITHUB_WORKFLOW: "docker",
      GITHUB_JOB: "diagnose",
      GITHUB_REF_NAME: "main",
      GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_API_URL: github.apiUrl,
      GITHUB_WORKSPACE: dir,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      "INPUT_GITHUB-TOKEN": GITHUB_TOKEN,
      INPUT_LANG: "auto",
      ...inputEnv,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, summary: readFileSync(summary, "utf8"), outputs: parseOutputs(readFileSync(output, "utf8")) })));
}

/** A finished run of `acme/orders-api` whose build job failed at "Build and push". */
function failedRun(): number {
  const runId = ++runCounter;
  const jobId = runId * 10 + 1;
  github.addRun("acme/orders-api", runId, [
    { id: jobId - 1, name: "test", conclusion: "success" },
    { id: jobId, name: "image", conclusion: "failure", steps: [{ name: "Set up job", conclusion: "success", number: 1 }, { name: "Build and push", conclusion: "failure", number: 5 }] },
  ]);
  github.setJobLog(jobId, jobLog);
  return runId;
}

describe("action.yml", () => {
  const action = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: Array<{ id?: string; run?: string; env?: Record<string, string> }> };
  };

  it("is a composite action whose step runs the built entry with every input", () => {
    expect(action.runs.using).toBe("composite");
    const step = action.runs.steps.find((s) => s.id === "diagnose")!;
    expect(step.run).toContain("dist/src/action/main.js");
    for (const name of Object.keys(action.inputs)) expect(step.env?.[`INPUT_${name.toUpperCase().replace(/-/g, "_")}`]).toBe(`\${{ inputs.${name} }}`);
    expect(Object.keys(action.outputs).sort()).toEqual(["confidence", "rule-id", "summary"]);
    expect(action.inputs["github-token"]!.default).toBe("${{ github.token }}");
  });
});

describe("the CI examples", () => {
  const action = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, unknown> };

  it("GitHub: a later job runs this action on the failed build-push-action job, with inputs it has", () => {
    const wf = parseYaml(readFileSync(join(ROOT, "examples", "github-actions-docker.yml"), "utf8")) as {
      jobs: Record<string, { needs?: string; if?: string; permissions?: Record<string, string>; steps: Array<{ uses?: string; with?: Record<string, string> }> }>;
    };
    const build = Object.entries(wf.jobs).find(([, j]) => j.steps.some((s) => s.uses?.startsWith("docker/build-push-action@")))!;
    const diagnose = Object.values(wf.jobs).find((j) => j.steps.some((s) => /\/buildx-fix@/.test(s.uses ?? "")))!;
    expect(diagnose.needs).toBe(build[0]);
    expect(diagnose.if).toBe("failure()");
    expect(diagnose.permissions?.actions).toBe("read");
    const step = diagnose.steps.find((s) => /\/buildx-fix@/.test(s.uses ?? ""))!;
    for (const k of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(k);
  });

  it("GitLab: installs the package the README way and prints the diagnosis into the job log", () => {
    const text = readFileSync(join(ROOT, "examples", "gitlab-ci.yml"), "utf8");
    expect(text).not.toMatch(/npx (--yes )?buildx-fix/);
    expect(text).toMatch(/npm install -g .*"\$\{BUILDX_FIX_PACKAGE:-buildx-fix\}"/);
    expect(text).toMatch(/^\s+buildx-fix diagnose build\.log/m);
  });
});

describe("the action's entry", () => {
  it("reads the run's failed job through the API, summarises, annotates at the Dockerfile line, sets outputs and notifies the bot", async () => {
    const runId = failedRun();
    const r = await runAction({ "run-id": String(runId), "bot-url": bot.url, secret: CI_SECRET });
    expect(r.code, r.stdout).toBe(0);
    expect(r.summary).toContain("## buildx-fix: image › Build and push");
    expect(r.summary).toContain(RULE);
    expect(r.outputs["rule-id"]).toBe(RULE);
    expect(r.outputs.confidence).toMatch(/^(high|medium)$/);
    expect(r.outputs.summary!.length).toBeGreaterThan(20);
    const annotation = r.stdout.split("\n").find((l) => l.startsWith("::error "))!;
    expect(annotation).toMatch(/^::error file=Dockerfile,line=4,title=buildx-fix%3A .*\[build-push-action-git-context\]::/);
    // The message is one line for the runner: newlines escaped.
    expect(annotation).toContain("%0AFix: ");
    const calls = github.calls.filter((c) => c.path.includes(`/runs/${runId}/`) || c.path.includes(`/jobs/${runId * 10 + 1}/`));
    expect(calls.map((c) => c.route)).toEqual(["jobs", "job-log"]);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    const post = await until(() => slack.callsTo("chat.postMessage").find((c) => c.body.channel === CHANNEL && JSON.stringify(c.body.blocks ?? "").includes("image › Build and push")), "the bot's alert");
    expect(JSON.stringify(post.body.blocks)).toContain(RULE);
    expect(r.stdout).toMatch(/alert .* accepted: build-push-action-git-context/);
  });

  it("with an empty secret (a fork's pull request) diagnoses but does not notify, quietly", async () => {
    const runId = failedRun();
    const before = slack.callsTo("chat.postMessage").length;
    const r = await runAction({ "run-id": String(runId), "bot-url": bot.url, secret: "" });
    expect(r.code).toBe(0);
    expect(r.outputs["rule-id"]).toBe(RULE);
    expect(r.stdout).toContain("the team's channel is not notified");
    expect(r.stdout).not.toMatch(/^::(warning|error) .*notif/m);
    await bot.ci!.alerts.idle();
    expect(slack.callsTo("chat.postMessage").length).toBe(before);
  });

  it("reads log-file from the workspace without any API call", async () => {
    const dir = mkdtempSync(join(tmpdir(), "buildx-fix-action-ws-"));
    writeFileSync(join(dir, "build.log"), jobLog);
    const callsBefore = github.calls.length;
    const r = await runAction({ "log-file": "build.log", "github-token": "" }, { GITHUB_WORKSPACE: dir });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs["rule-id"]).toBe(RULE);
    expect(r.summary).toContain("## buildx-fix: build.log");
    expect(github.calls.length).toBe(callsBefore);
  });

  it("in the job that is still running (no finished failed job yet): a warning saying to run it in a later job, exit 0", async () => {
    const runId = ++runCounter;
    github.addRun("acme/orders-api", runId, [{ id: runId * 10, name: "image", conclusion: "success" }]);
    const r = await runAction({ "run-id": String(runId) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^::warning title=buildx-fix::.*later job/m);
    expect(r.outputs).toEqual({});
  });

  it("a log it cannot place under a rule: a notice, empty outputs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "buildx-fix-action-ws-"));
    writeFileSync(join(dir, "build.log"), `${uniq("step")} finished\nall good here\n`);
    const r = await runAction({ "log-file": "build.log" }, { GITHUB_WORKSPACE: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^::notice title=buildx-fix%3A no known cause::/m);
    expect(r.outputs["rule-id"]).toBe("");
  });
});
