// CI alerts in Discord that link a GitHub Actions run instead of carrying the log: a webhook's
// embed ("[owner/repo] Build failed" linking the run), a person's plain link with a mention,
// the "Diagnose build log" context menu. The bot reads the failed job's log from a fake GitHub
// API and answers with the job and step that failed; without a token it says what to configure
// when asked, and stays quiet otherwise; GitHub's refusals get a short reply.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordBot, LOAD_LOG, LOAD_RULE, startDiscordBot } from "./helpers/discord-harness.js";
import { BOT_USER, type Call, type FakeGuild, eventually, user } from "./helpers/fake-discord.js";
import { FakeGitHub, GITHUB_TOKEN } from "./helpers/fake-github.js";

const bob = user("bob");
const alice = user("alice");
const ci = user("GitHub Actions", { bot: true });
const me = BOT_USER as ReturnType<typeof user>;
const WEBHOOK = "1300000000000000009";

let github: FakeGitHub;
let bot: DiscordBot;
let bare: DiscordBot;
let runCounter = 9000;
beforeAll(async () => {
  github = await FakeGitHub.start();
  bot = await startDiscordBot({ GITHUB_TOKEN, GITHUB_API_URL: github.apiUrl, GITHUB_REPOS: "acme/*" });
  bare = await startDiscordBot();
});
afterAll(async () => {
  await bot?.stop();
  await bare?.stop();
  await github?.close();
});

const timestamped = (log: string) => log.split("\n").map((l) => `2026-11-27T10:00:00.0000000Z ${l}`).join("\n");
const posts = (b: DiscordBot, channel: string) => b.fake.callsTo("POST /channels/:id/messages").filter((c) => c.path === `/channels/${channel}/messages`);
const postIn = (b: DiscordBot, channel: string) => eventually(() => posts(b, channel)[0], `a message in ${channel}`);
const handled = (b: DiscordBot, id: string) => b.waitHandled((h) => h.id === id && h.outcome !== "ignored", `${id} to be handled`);
const place = (b: DiscordBot): { g: FakeGuild; ch: string } => {
  const g = b.fake.addGuild();
  return { g, ch: b.fake.addChannel(g) };
};

function failedRun(repo: string): { runId: number; jobId: number; url: string } {
  const runId = ++runCounter;
  const jobId = runId * 10 + 1;
  github.addRun(repo, runId, [
    { id: jobId, name: "build", conclusion: "failure", steps: [{ name: "Set up job", conclusion: "success", number: 1 }, { name: "Build and push", conclusion: "failure", number: 2 }] },
    { id: jobId + 1, name: "test", conclusion: "success" },
  ]);
  github.setJobLog(jobId, timestamped(LOAD_LOG));
  return { runId, jobId, url: `https://github.com/${repo}/actions/runs/${runId}` };
}

/** A GitHub Actions step's Discord webhook post for a failed run. */
const alertEmbed = (repo: string, url: string) => [{ title: `[${repo}] Build failed`, url, description: "Workflow **Docker image** failed on `main`", color: 0xcb2431 }];

function expectAnswer(post: Call): void {
  expect(post.body.content).toContain("failed at build › Build and push");
  expect(JSON.stringify(post.body.embeds)).toContain(LOAD_RULE);
}

describe("with GITHUB_TOKEN", () => {
  it("answers a webhook's embed alert (auto-detect) in a thread with the log's diagnosis, job and step", async () => {
    const { g, ch } = place(bot);
    const repo = `acme/web-${runCounter}`;
    const run = failedRun(repo);
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: ci, webhookId: WEBHOOK, embeds: alertEmbed(repo, run.url) });
    // Discord's thread on a message has the message's id.
    const answer = await postIn(bot, msg.id);
    expectAnswer(answer);
    expect(answer.body.content).toContain(repo);
    expect((await handled(bot, msg.id)).outcome).toBe("answered");
    const calls = github.calls.filter((c) => c.path.includes(String(run.runId)) || c.path.includes(String(run.jobId)));
    expect(calls.map((c) => c.route)).toEqual(["jobs", "job-log", "download"]);
  });

  it("answers a person's plain link when they mention the bot", async () => {
    const { g, ch } = place(bot);
    const run = failedRun(`acme/api-${runCounter}`);
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: `<@${me.id}> why did ${run.url}/job/${run.jobId} fail?`, mentions: [me] });
    const answer = await postIn(bot, ch);
    expect(answer.body.message_reference).toMatchObject({ message_id: msg.id });
    expectAnswer(answer);
  });

  it("answers the context menu on a webhook's alert by replying to it", async () => {
    const { g, ch } = place(bot);
    const repo = `acme/cm-${runCounter}`;
    const run = failedRun(repo);
    const target = bot.fake.messageObject({ guild: g, channelId: ch, author: ci, webhookId: WEBHOOK, embeds: alertEmbed(repo, run.url) });
    const i = bot.fake.contextMenu({ guild: g, channelId: ch, from: alice, target });
    const answer = await postIn(bot, ch);
    expect(answer.body.message_reference).toMatchObject({ message_id: target.id });
    expectAnswer(answer);
    expect((await handled(bot, i.id)).outcome).toBe("answered");
  });

  it("replies that the logs could not be read when GitHub answers 404, for an alert that reports a failure", async () => {
    const { g, ch } = place(bot);
    const repo = "acme/missing";
    const url = `https://github.com/${repo}/actions/runs/${++runCounter}`;
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: ci, webhookId: WEBHOOK, embeds: alertEmbed(repo, url) });
    const reply = await postIn(bot, ch);
    expect(reply.body.message_reference).toMatchObject({ message_id: msg.id });
    expect(reply.body.content).toContain(`Could not read the logs of ${url}`);
    expect(reply.body.content).toContain("404");
    expect(await handled(bot, msg.id)).toMatchObject({ outcome: "replied", detail: "run link: unreadable" });
  });
});

describe("without GITHUB_TOKEN", () => {
  it("says what to configure when asked (context menu, mention), and stays quiet on auto-detect", async () => {
    const { g, ch } = place(bare);
    const url = `https://github.com/acme/notoken/actions/runs/${++runCounter}`;
    const target = bare.fake.messageObject({ guild: g, channelId: ch, author: ci, webhookId: WEBHOOK, embeds: alertEmbed("acme/notoken", url) });
    const i = bare.fake.contextMenu({ guild: g, channelId: ch, from: alice, target });
    const note = await eventually(() => bare.fake.interactionCalls(i).find((c) => c.method === "PATCH" && c.status === 200), "the private note");
    expect(note.body.content).toMatch(/GITHUB_TOKEN.*actions:read/);

    const { g: g2, ch: ch2 } = place(bare);
    const asked = bare.fake.postMessage({ guild: g2, channelId: ch2, author: bob, content: `<@${me.id}> ${url}`, mentions: [me] });
    const reply = await postIn(bare, ch2);
    expect(reply.body.message_reference).toMatchObject({ message_id: asked.id });
    expect(reply.body.content).toMatch(/GITHUB_TOKEN/);

    const { g: g3, ch: ch3 } = place(bare);
    const alert = bare.fake.postMessage({ guild: g3, channelId: ch3, author: ci, webhookId: WEBHOOK, embeds: alertEmbed("acme/notoken", url) });
    expect(await bare.waitHandled((h) => h.id === alert.id, "the alert handled")).toMatchObject({ outcome: "ignored", detail: "run link: no-token" });
    expect(posts(bare, ch3)).toHaveLength(0);
    expect(posts(bare, alert.id)).toHaveLength(0);
  });
});
