// POST /github/webhook end to end: GitHub's signature, workflow_run / workflow_job failures, the
// job logs read from a fake GitHub REST API (job log redirect, the run's zip archive), and API
// failures turning into a short "logs could not be read" alert.
import { zipSync, strToU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GH_SECRET, type CiBot, signedPost, startCiBot } from "./helpers/ci-harness.js";
import { FakeGitHub, GITHUB_TOKEN } from "./helpers/fake-github.js";
import { BOT_TOKEN, FakeSlack, until } from "./helpers/fake-slack.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";
import { uniq } from "./helpers/slack-harness.js";

let slack: FakeSlack;
let github: FakeGitHub;
let bot: CiBot;
let runCounter = 9000;
const posts = (ch: string) => slack.callsTo("chat.postMessage").filter((c) => c.body.channel === ch);

beforeAll(async () => {
  slack = await FakeSlack.start();
  github = await FakeGitHub.start();
});
afterAll(async () => {
  await bot?.stop();
  await github?.close();
  await slack?.close();
});

/** A bot whose repos each route to their own channel (CI_ALERT_ROUTES set per test run). */
async function botFor(routes: Record<string, string>, extra: Record<string, string> = {}): Promise<CiBot> {
  return startCiBot({
    GITHUB_WEBHOOK_SECRET: GH_SECRET,
    GITHUB_TOKEN,
    GITHUB_API_URL: github.apiUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    CI_ALERT_ROUTES: JSON.stringify(routes),
    ...extra,
  });
}

const deliver = (url: string, event: string, payload: unknown, o: { secret?: string; signature?: string | null } = {}) =>
  signedPost(`${url}/github/webhook`, payload, { header: "x-hub-signature-256", secret: o.secret ?? GH_SECRET, ...(o.signature !== undefined ? { signature: o.signature } : {}), headers: { "x-github-event": event, "x-github-delivery": uniq("d") } });

function runPayload(repo: string, runId: number, conclusion = "failure") {
  return {
    action: "completed",
    repository: { full_name: repo },
    workflow_run: { id: runId, name: "Docker image", conclusion, head_branch: "main", head_sha: "feedfacecafebeef00000000000000000000beef", html_url: `https://github.com/${repo}/actions/runs/${runId}` },
  };
}

function jobPayload(repo: string, runId: number, jobId: number, name: string) {
  return {
    action: "completed",
    repository: { full_name: repo },
    workflow_job: { id: jobId, run_id: runId, name, workflow_name: "Docker image", conclusion: "failure", head_branch: "main", head_sha: "feedfacecafebeef00000000000000000000beef", html_url: `https://github.com/${repo}/actions/runs/${runId}/job/${jobId}` },
  };
}

const timestamped = (log: string) => log.split("\n").map((l) => `2026-11-27T10:00:00.0000000Z ${l}`).join("\n");

describe("POST /github/webhook", () => {
  const repo = uniq("acme/gh-");
  const ch = uniq("CGH");

  beforeAll(async () => {
    bot = await botFor({ [repo]: `slack:${ch}`, "*": `slack:${uniq("CELSE")}` });
  });

  it("refuses missing and wrong signatures (401) and malformed bodies (400); ignores pings, other events and successful runs", async () => {
    const runId = ++runCounter;
    expect((await deliver(bot.url, "workflow_run", runPayload(repo, runId), { signature: null })).status).toBe(401);
    expect((await deliver(bot.url, "workflow_run", runPayload(repo, runId), { secret: "wrong" })).status).toBe(401);
    expect((await deliver(bot.url, "workflow_run", "{not json")).status).toBe(400);
    expect((await deliver(bot.url, "ping", { zen: "Keep it logically awesome." })).status).toBe(200);
    const push = await deliver(bot.url, "push", { ref: "refs/heads/main", repository: { full_name: repo } });
    expect(push.status).toBe(200);
    expect(await push.json()).toEqual({ ignored: "event push" });
    const ok = await deliver(bot.url, "workflow_run", runPayload(repo, runId, "success"));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { ignored: string }).ignored).toMatch(/success/);
    await bot.ci!.alerts.idle();
    expect(github.calls.filter((c) => c.path.includes(`/runs/${runId}/`))).toHaveLength(0);
    expect(posts(ch)).toHaveLength(0);
  });

  it("workflow_job failure: reads the job log through GitHub's redirect (no token sent there) and alerts with job and step", async () => {
    const runId = ++runCounter;
    const jobId = runId * 10 + 1;
    github.addRun(repo, runId, [
      { id: jobId, name: "build (linux/arm64)", conclusion: "failure", steps: [{ name: "Set up job", conclusion: "success", number: 1 }, { name: "Build and push", conclusion: "failure", number: 2 }] },
      { id: jobId + 1, name: "lint", conclusion: "success" },
    ]);
    github.setJobLog(jobId, timestamped(LOAD_LOG));
    const res = await deliver(bot.url, "workflow_job", jobPayload(repo, runId, jobId, "build (linux/arm64)"));
    expect(res.status).toBe(202);
    const post = await until(() => posts(ch).find((c) => JSON.stringify(c.body.blocks).includes(`runs/${runId}/job/${jobId}`)), "the alert");
    const head = (post.body.blocks as Array<{ text?: { text: string } }>)[0]!.text!.text;
    expect(head).toContain("Docker image / build (linux/arm64) › Build and push");
    expect(head).toContain("`feedfac`");
    expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
    const calls = github.calls.filter((c) => c.path.includes(String(runId)) || c.path.includes(String(jobId)));
    expect(calls.map((c) => c.route)).toEqual(["jobs", "job-log", "download"]);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    expect(calls[2]!.headers.authorization).toBeUndefined();
    expect(calls[2]!.status).toBe(200);
  });

  it("workflow_run failure whose job logs are gone from the job endpoint: reads the run's zip archive", async () => {
    const zrepo = uniq("acme/zip-");
    const zch = uniq("CZIP");
    const zbot = await botFor({ [zrepo]: `slack:${zch}` });
    try {
      const runId = ++runCounter;
      const jobId = runId * 10 + 1;
      const zip = Buffer.from(
        zipSync({
          "1_lint.txt": strToU8("all good\n"),
          "2_build.txt": strToU8(timestamped(LOAD_LOG)),
          "build/1_Set up job.txt": strToU8("setting up\n"),
          "lint/1_Run lint.txt": strToU8("ok\n"),
        }),
      );
      github.addRun(zrepo, runId, [{ id: jobId + 1, name: "lint", conclusion: "success" }, { id: jobId, name: "build", conclusion: "failure" }], zip);
      const res = await deliver(zbot.url, "workflow_run", runPayload(zrepo, runId));
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ accepted: true, repo: zrepo, run: runId });
      const post = await until(() => posts(zch)[0], "the alert from the zip");
      expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
      expect(JSON.stringify(post.body.blocks)).toContain(`runs/${runId}/job/${jobId}`);
      expect(github.calls.filter((c) => c.path.includes(String(runId)) || c.path.includes(String(jobId))).map((c) => `${c.route}:${c.status}`)).toEqual(["jobs:200", "job-log:404", "run-logs:302", "download:200"]);
    } finally {
      await zbot.stop();
    }
  });

  const failures: Array<{ name: string; inject: (runId: number) => void; expected: RegExp }> = [
    { name: "401 (bad token)", inject: () => github.failNext("jobs", 401, {}, { message: "Bad credentials" }), expected: /GITHUB_TOKEN \(HTTP 401\)/ },
    { name: "404 (no such run or no access)", inject: () => github.failNext("jobs", 404), expected: /404/ },
    // Retried twice with backoff (Octokit's retry plugin): an outage is three 503s in a row.
    { name: "5xx", inject: () => [1, 2, 3].forEach(() => github.failNext("job-log", 503)), expected: /GitHub API error \(HTTP 503\)/ },
    { name: "rate limit (403, x-ratelimit-remaining: 0)", inject: () => github.failNext("jobs", 403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600) }), expected: /rate limit reached until \d\d:\d\d UTC/ },
    { name: "rate limit (429)", inject: () => github.failNext("jobs", 429, { "retry-after": "60" }), expected: /rate limit reached/ },
    { name: "both the job log and the zip missing (404)", inject: () => undefined, expected: /404/ },
  ];
  for (const f of failures) {
    it(`GitHub API failure, ${f.name}: a short alert that the logs could not be read`, async () => {
      const runId = ++runCounter;
      const jobId = runId * 10 + 1;
      github.addRun(repo, runId, [{ id: jobId, name: "build", conclusion: "failure" }]);
      if (f.name.startsWith("5xx")) github.setJobLog(jobId, LOAD_LOG);
      f.inject(runId);
      const res = await deliver(bot.url, "workflow_run", runPayload(repo, runId));
      expect(res.status).toBe(202);
      const post = await until(() => posts(ch).find((c) => String(c.body.text).includes(`runs/${runId}`)), "the could-not-read alert");
      expect(String(post.body.text)).toContain("logs could not be read");
      expect(String(post.body.text)).toMatch(f.expected);
      expect(String(post.body.text)).toContain(repo);
      expect(post.body.blocks).toBeUndefined();
    });
  }

  it("a single 5xx from GitHub is retried: the alert has the diagnosis", async () => {
    // A repo of its own: the same failure in `repo` would be deduped into a thread reply.
    const rrepo = uniq("acme/retry-");
    const rch = uniq("CRETRY");
    const rbot = await botFor({ [rrepo]: `slack:${rch}` });
    try {
      const runId = ++runCounter;
      const jobId = runId * 10 + 1;
      github.addRun(rrepo, runId, [{ id: jobId, name: "build", conclusion: "failure" }]);
      github.setJobLog(jobId, LOAD_LOG);
      github.failNext("job-log", 502);
      expect((await deliver(rbot.url, "workflow_run", runPayload(rrepo, runId))).status).toBe(202);
      const post = await until(() => posts(rch)[0], "the alert");
      expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
      expect(github.callsTo("job-log").filter((c) => c.path.includes(String(jobId))).map((c) => c.status)).toEqual([502, 302]);
    } finally {
      await rbot.stop();
    }
  });

  it("without GITHUB_TOKEN: the alert says what to configure", async () => {
    const nrepo = uniq("acme/notoken-");
    const nch = uniq("CNOTOKEN");
    const nbot = await botFor({ [nrepo]: `slack:${nch}` }, { GITHUB_TOKEN: "" });
    try {
      const runId = ++runCounter;
      expect((await deliver(nbot.url, "workflow_run", runPayload(nrepo, runId))).status).toBe(202);
      const post = await until(() => posts(nch)[0], "the alert");
      expect(String(post.body.text)).toMatch(/GITHUB_TOKEN is not configured/);
      expect(github.calls.some((c) => c.path.includes(String(runId)))).toBe(false);
    } finally {
      await nbot.stop();
    }
  });

  it("workflow_run and workflow_job for the same failed job alert once", async () => {
    const drepo = uniq("acme/dup-");
    const dch = uniq("CDUP");
    const dbot = await botFor({ [drepo]: `slack:${dch}` });
    try {
      const runId = ++runCounter;
      const jobId = runId * 10 + 1;
      github.addRun(drepo, runId, [{ id: jobId, name: "build", conclusion: "failure" }]);
      github.setJobLog(jobId, LOAD_LOG);
      expect((await deliver(dbot.url, "workflow_job", jobPayload(drepo, runId, jobId, "build"))).status).toBe(202);
      expect((await deliver(dbot.url, "workflow_run", runPayload(drepo, runId))).status).toBe(202);
      await until(() => posts(dch)[0], "the alert");
      await dbot.ci!.alerts.idle();
      expect(posts(dch)).toHaveLength(1);
      expect(github.callsTo("job-log").filter((c) => c.path.includes(String(jobId)))).toHaveLength(2);
    } finally {
      await dbot.stop();
    }
  });
});
