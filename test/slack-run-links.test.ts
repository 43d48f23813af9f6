// CI alerts in Slack that link a GitHub Actions run instead of carrying the log: GitHub's Slack
// app (an attachment whose title links the run), a person's plain link, the message shortcut.
// The bot reads the failed job's log from a fake GitHub API and answers in the thread with
// the job and step that failed; without a token it says what to configure when asked, and
// stays quiet otherwise; GitHub's refusals get a short reply.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, GITHUB_TOKEN } from "./helpers/fake-github.js";
import { BOT_USER, type Call, FakeSlack, until } from "./helpers/fake-slack.js";
import { type SlackBot, startSlackBot, uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE, channel, messageShortcut, newTs, personMessage } from "./helpers/slack-payloads.js";

type Posted = Call & { body: { channel: string; text: string; blocks: Array<{ type: string; block_id?: string; text?: { text: string } }>; thread_ts?: string } };

let github: FakeGitHub;
let fake: FakeSlack;
let bot: SlackBot;
let bare: SlackBot;
let runCounter = 7000;
beforeAll(async () => {
  github = await FakeGitHub.start();
  fake = await FakeSlack.start();
  bot = await startSlackBot({ GITHUB_TOKEN, GITHUB_API_URL: github.apiUrl, GITHUB_REPOS: "acme/*" }, fake);
  bare = await startSlackBot({}, fake);
});
afterAll(async () => {
  await bot?.stop();
  await bare?.stop();
  await fake?.close();
  await github?.close();
});

const timestamped = (log: string) => log.split("\n").map((l) => `2026-11-27T10:00:00.0000000Z ${l}`).join("\n");
const postsTo = (ch: string) => fake.callsTo("chat.postMessage").filter((c) => c.body.channel === ch) as Posted[];
const postTo = (ch: string) => until(() => postsTo(ch)[0], `a message in ${ch}`);

/** A failed run: job "build (linux/arm64)" failed at step "Build and push" with LOAD_LOG. */
function failedRun(repo: string): { runId: number; jobId: number; url: string } {
  const runId = ++runCounter;
  const jobId = runId * 10 + 1;
  github.addRun(repo, runId, [
    { id: jobId + 1, name: "lint", conclusion: "success" },
    { id: jobId, name: "build (linux/arm64)", conclusion: "failure", steps: [{ name: "Set up job", conclusion: "success", number: 1 }, { name: "Build and push", conclusion: "failure", number: 2 }] },
  ]);
  github.setJobLog(jobId, timestamped(LOAD_LOG));
  return { runId, jobId, url: `https://github.com/${repo}/actions/runs/${runId}` };
}

/** What GitHub's Slack app posts for a failed workflow run. */
function githubAppAlert(ch: string, repo: string, url: string): Record<string, unknown> {
  return {
    type: "message",
    subtype: "bot_message",
    channel: ch,
    channel_type: "channel",
    bot_id: "B0GITHUBAPP",
    username: "GitHub",
    text: "",
    ts: newTs(),
    event_ts: newTs(),
    attachments: [
      {
        color: "cb2431",
        fallback: `[${repo}] Build failed`,
        pretext: `Workflow run <${url}|Docker image #12> on main`,
        title: "Build failed",
        title_link: url,
        text: "Build failed: 1 failed job, 1 successful",
        footer: `<https://github.com/${repo}|${repo}>`,
      },
    ],
  };
}

const contextOf = (p: Posted) => p.body.blocks.find((b) => b.block_id === "bxf_run_context")?.text?.text ?? "";

describe("with GITHUB_TOKEN", () => {
  it("answers GitHub's Slack app alert (auto-detect) in its thread with the log's diagnosis, job and step", async () => {
    const ch = channel();
    const repo = uniq("acme/web-").toLowerCase();
    const run = failedRun(repo);
    const alert = githubAppAlert(ch, repo, run.url);
    await bot.event(alert);
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(alert.ts);
    expect(contextOf(post)).toContain("build (linux/arm64) › Build and push");
    expect(contextOf(post)).toContain(repo);
    expect(contextOf(post)).toContain(run.url);
    expect(post.body.blocks[0]!.block_id).toBe("bxf_run_context");
    expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
    expect((await bot.waitHandled((h) => h.ts === alert.ts, "the alert handled")).outcome).toBe("answered");
    const calls = github.calls.filter((c) => c.path.includes(String(run.runId)) || c.path.includes(String(run.jobId)));
    expect(calls.map((c) => c.route)).toEqual(["jobs", "job-log", "download"]);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);

    // The same alert again (a re-run that failed the same way): deduped like any answer.
    const again = githubAppAlert(ch, repo, run.url);
    await bot.event(again);
    expect((await bot.waitHandled((h) => h.ts === again.ts, "the repeat handled")).outcome).toBe("duplicate");
  });

  it("answers a person's plain job link when they mention the bot", async () => {
    const ch = channel();
    const repo = uniq("acme/api-").toLowerCase();
    const run = failedRun(repo);
    const ts = newTs();
    await bot.event({ type: "app_mention", channel: ch, user: "U0BOB", text: `<@${BOT_USER}> why did <${run.url}/job/${run.jobId}> fail?`, ts, event_ts: ts });
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(ts);
    expect(contextOf(post)).toContain("build (linux/arm64) › Build and push");
    expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
  });

  it("answers the message shortcut on an alert linking the run", async () => {
    const ch = channel();
    const repo = uniq("acme/sc-").toLowerCase();
    const run = failedRun(repo);
    const alert = githubAppAlert(ch, repo, run.url);
    await bot.interaction(messageShortcut(fake, ch, alert));
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(alert.ts);
    expect(contextOf(post)).toContain("Build and push");
    expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
  });

  it("replies that the logs could not be read when GitHub answers 404, for an alert that reports a failure", async () => {
    const ch = channel();
    const repo = uniq("acme/gone-").toLowerCase();
    const url = `https://github.com/${repo}/actions/runs/${++runCounter}`;
    const alert = githubAppAlert(ch, repo, url);
    await bot.event(alert);
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(alert.ts);
    expect(post.body.text).toContain(`Could not read the logs of ${url}`);
    expect(post.body.text).toContain("404");
    // A plain link that does not read as a failure gets no reply on auto-detect.
    const chat = personMessage(ch, `nice, see ${url}`);
    await bot.event(chat);
    expect(await bot.waitHandled((h) => h.ts === chat.ts, "the chat handled")).toMatchObject({ outcome: "ignored", detail: "run link: unreadable" });
    expect(postsTo(ch)).toHaveLength(1);
  });
});

describe("without GITHUB_TOKEN", () => {
  it("says what to configure when asked (mention), and stays quiet on auto-detect", async () => {
    const ch = channel();
    const url = `https://github.com/acme/notoken/actions/runs/${++runCounter}`;
    const ts = newTs();
    await bare.event({ type: "app_mention", channel: ch, user: "U0BOB", text: `<@${BOT_USER}> ${url}`, ts, event_ts: ts });
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(ts);
    expect(post.body.text).toMatch(/GITHUB_TOKEN.*actions:read/);

    const quiet = channel();
    const alert = githubAppAlert(quiet, "acme/notoken", url);
    await bare.event(alert);
    expect(await bare.waitHandled((h) => h.ts === alert.ts, "the alert handled")).toMatchObject({ outcome: "ignored", detail: "run link: no-token" });
    expect(postsTo(quiet)).toHaveLength(0);
  });
});
