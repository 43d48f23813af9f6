// Run links pasted in chat are read with the bot's GITHUB_TOKEN, which may see private
// repositories the people in the channel cannot: only repositories allowed by GITHUB_REPOS (or,
// without it, those that sent the bot a signed GitHub webhook) are read, and a link whose path
// would leave the API's /repos/ prefix (`..`) is never requested. Real Bolt app over signed
// HTTP, fake Slack and fake GitHub on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubApiError, GitHubClient } from "../src/adapters/github/client.js";
import { findRunLinks, readRunLogs, runLinkHosts, runLinkProblem } from "../src/adapters/github/run-links.js";
import { GH_SECRET, type CiBot, signedPost, startCiBot } from "./helpers/ci-harness.js";
import { FakeGitHub, GITHUB_TOKEN } from "./helpers/fake-github.js";
import { BOT_TOKEN, BOT_USER, type Call, FakeSlack, until } from "./helpers/fake-slack.js";
import { type SlackBot, startSlackBot, uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE, channel, newTs } from "./helpers/slack-payloads.js";

let github: FakeGitHub;
let fake: FakeSlack;
let bot: SlackBot;
let open: SlackBot;
let runCounter = 51_000;
type Posted = Call & { body: { channel: string; text: string; blocks: unknown[]; thread_ts?: string } };

beforeAll(async () => {
  github = await FakeGitHub.start();
  fake = await FakeSlack.start();
  bot = await startSlackBot({ GITHUB_TOKEN, GITHUB_API_URL: github.apiUrl, GITHUB_REPOS: "acme/*, tools/ci" }, fake);
  // Every repository allowed: what is left to stop a `..` link is the path check itself.
  open = await startSlackBot({ GITHUB_TOKEN, GITHUB_API_URL: github.apiUrl, GITHUB_REPOS: "*" }, fake);
});
afterAll(async () => {
  await bot?.stop();
  await open?.stop();
  await fake?.close();
  await github?.close();
});

const postsTo = (ch: string) => fake.callsTo("chat.postMessage").filter((c) => c.body.channel === ch) as Posted[];
const callsFor = (runId: number) => github.calls.filter((c) => c.path.includes(String(runId)));

function failedRun(repo: string): { runId: number; url: string } {
  const runId = ++runCounter;
  github.addRun(repo, runId, [{ id: runId * 10, name: "build", conclusion: "failure", steps: [{ name: "Build and push", conclusion: "failure", number: 1 }] }]);
  github.setJobLog(runId * 10, LOAD_LOG);
  return { runId, url: `https://github.com/${repo}/actions/runs/${runId}` };
}

const mention = (b: SlackBot, ch: string, text: string) => {
  const ts = newTs();
  return b.event({ type: "app_mention", channel: ch, user: "U0MALLORY", text: `<@${BOT_USER}> ${text}`, ts, event_ts: ts }).then(() => ts);
};

describe("GITHUB_REPOS", () => {
  it("a link to a repository outside it: the asker is told how to allow it, and GitHub is never asked", async () => {
    const ch = channel();
    const run = failedRun("private-org/secrets");
    const ts = await mention(bot, ch, `what broke in <${run.url}>?`);
    const post = await until(() => postsTo(ch)[0], "the reply");
    expect(post.body.thread_ts).toBe(ts);
    expect(post.body.text).toContain("private-org/secrets");
    expect(post.body.text).toMatch(/GITHUB_REPOS/);
    expect(post.body.text).toContain("private-org/*");
    expect(JSON.stringify(post.body)).not.toContain(LOAD_RULE);
    expect(callsFor(run.runId)).toHaveLength(0);
  });

  it("unasked (a pasted alert) it stays quiet about such a link", async () => {
    const ch = channel();
    const run = failedRun("private-org/payroll");
    const msg = { type: "message", channel: ch, channel_type: "channel", user: "U0MALLORY", text: `build failed: ${run.url}`, ts: newTs() };
    await bot.event(msg);
    expect(await bot.waitHandled((h) => h.ts === msg.ts, "the message handled")).toMatchObject({ outcome: "ignored", detail: "run link: not-allowed" });
    expect(postsTo(ch)).toHaveLength(0);
    expect(callsFor(run.runId)).toHaveLength(0);
  });

  it("reads repositories that match an org/* or exact entry", async () => {
    for (const repo of ["acme/web", "tools/ci"]) {
      const ch = channel();
      const run = failedRun(repo);
      await mention(bot, ch, run.url);
      const post = await until(() => postsTo(ch)[0], `the answer for ${repo}`);
      expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
    }
  });
});

describe("without GITHUB_REPOS", () => {
  let ci: CiBot;
  beforeAll(async () => {
    ci = await startCiBot({ GITHUB_WEBHOOK_SECRET: GH_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, CI_ALERT_SLACK_CHANNEL: "CDEFAULT01" });
  });
  afterAll(async () => ci?.stop());

  it("allows only repositories that sent the bot a signed GitHub webhook; a forged delivery adds nothing", async () => {
    const hooked = uniq("acme/hooked-").toLowerCase();
    const other = uniq("acme/other-").toLowerCase();
    const config = { GITHUB_TOKEN, GITHUB_API_URL: github.apiUrl, MAX_LOG_BYTES: 1024 * 1024, GITHUB_REPOS: undefined };
    const ping = (repo: string, secret = GH_SECRET) =>
      signedPost(`${ci.url}/github/webhook`, { zen: "hi", repository: { full_name: repo } }, { header: "x-hub-signature-256", secret, headers: { "x-github-event": "ping" } });
    expect((await ping(hooked)).status).toBe(200);
    expect((await ping(other, "not-the-webhook-secret")).status).toBe(401);
    await ci.ci!.alerts.idle();

    const a = failedRun(hooked);
    const read = await readRunLogs(config, findRunLinks(runLinkHosts(undefined), a.url)[0]!, ci.service.store);
    expect(read.kind).toBe("logs");
    const b = failedRun(other);
    const refused = await readRunLogs(config, findRunLinks(runLinkHosts(undefined), b.url)[0]!, ci.service.store);
    expect(refused).toMatchObject({ kind: "not-allowed", configured: false });
    if (refused.kind !== "not-allowed") throw new Error("unreachable");
    expect(runLinkProblem(refused, "en")).toMatch(/GITHUB_REPOS.*not set/);
    expect(callsFor(b.runId)).toHaveLength(0);
  });
});

describe("paths that would leave the API prefix", () => {
  const sneaky = ["https://github.com/../../actions/runs/77", "https://github.com/../x/actions/runs/78", "https://github.com/acme/../actions/runs/79", "https://github.com/acme/./actions/runs/80"];

  it("are not run links", () => {
    for (const url of sneaky) expect(findRunLinks(runLinkHosts(undefined), url), url).toEqual([]);
  });

  it("pasted in chat with every repository allowed, they cause no request outside /api/v3/repos/", async () => {
    const before = github.calls.length;
    const ch = channel();
    await mention(open, ch, sneaky.map((u) => `<${u}>`).join(" "));
    await open.waitHandled((h) => h.channel === ch, "the mention handled");
    for (const c of github.calls.slice(before)) expect(c.path).toMatch(/^\/api\/v3\/repos\/[^/.][^/]*\/(?!\.\.?\/)[^/]+\/actions\//);
    expect(github.calls.length).toBe(before);
  });

  it("the REST client refuses such names before any request", async () => {
    const client = new GitHubClient(github.apiUrl, GITHUB_TOKEN, 1024);
    const before = github.calls.length;
    for (const repo of ["../..", "acme/..", "../x", "acme/.", "acme/web/../../x"]) await expect(client.runJobs(repo, 1), repo).rejects.toBeInstanceOf(GitHubApiError);
    expect(github.calls.length).toBe(before);
  });
});
