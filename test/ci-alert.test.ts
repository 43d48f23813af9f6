// POST /ci/alert end to end over real HTTP: signatures, bodies, limits, logUrl, rendering in
// Slack and Discord (fakes on 127.0.0.1), routing, retries and dedupe of repeated failures.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRoutes } from "../src/alerts/routing.js";
import { ConfigError } from "../src/config/config.js";
import { CI_SECRET, type CiBot, signedPost, startCiBot } from "./helpers/ci-harness.js";
import { FakeDiscord, TOKEN as DISCORD_TOKEN, type FakeGuild } from "./helpers/fake-discord.js";
import { BOT_TOKEN, FakeSlack, until } from "./helpers/fake-slack.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";
import { uniq } from "./helpers/slack-harness.js";

let slack: FakeSlack;
let discord: FakeDiscord;
let guild: FakeGuild;
let bot: CiBot;
const DEFAULT_CHANNEL = "CDEFAULT01";
const slackPosts = (ch: string) => slack.callsTo("chat.postMessage").filter((c) => c.body.channel === ch);

beforeAll(async () => {
  slack = await FakeSlack.start();
  discord = await FakeDiscord.start();
  guild = discord.addGuild();
  bot = await startCiBot({
    CI_WEBHOOK_SECRET: CI_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN,
    DISCORD_API_URL: discord.apiUrl,
    CI_ALERT_SLACK_CHANNEL: DEFAULT_CHANNEL,
    // The log servers of these tests run on this machine.
    CI_LOG_HOSTS: "127.0.0.1",
  });
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await discord?.close();
});

const alertUrl = () => `${bot.url}/ci/alert`;
const meta = (extra: Record<string, unknown> = {}) => ({
  repo: uniq("acme/web-"),
  workflow: "docker",
  job: "build",
  branch: "main",
  commit: "0123456789abcdef0123456789abcdef01234567",
  runUrl: "https://github.com/acme/web/actions/runs/42",
  ...extra,
});

describe("POST /ci/alert: accepted alerts", () => {
  it("answers 202 with the diagnosis and posts one alert with the run's details and the diagnosis blocks", async () => {
    const ch = uniq("CALERT");
    const m = meta({ target: `slack:${ch}` });
    const res = await signedPost(alertUrl(), { log: LOAD_LOG, ...m });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["id", "ruleId", "summary"]);
    expect(body.ruleId).toBe(LOAD_RULE);
    expect(String(body.summary)).toMatch(/--load|manifest list/i);
    const post = await until(() => slackPosts(ch)[0], "the alert in Slack");
    const blocks = JSON.stringify(post.body.blocks);
    const head = (post.body.blocks as Array<{ text?: { text: string } }>)[0]!.text!.text;
    expect(head).toContain(m.repo);
    expect(head).toContain("docker / build");
    expect(head).toContain("`main`");
    expect(head).toContain("`0123456`");
    expect(head).not.toContain("0123456789abcdef");
    expect(head).toContain("<https://github.com/acme/web/actions/runs/42|run>");
    // The diagnosis as the Slack adapter renders it: fix command, feedback buttons naming this alert.
    expect(blocks).toContain("docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest --push .");
    expect(blocks).toContain(`"value":"${String(body.id)}:${LOAD_RULE}"`);
    expect(blocks).toContain("bxf_feedback_fixed");
    expect(String(post.body.text)).toContain(m.repo);
  });

  it("fetches logUrl (gzip too) and diagnoses what it got", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/build.log.gz") {
        res.writeHead(200, { "content-type": "application/gzip" });
        res.end(gzipSync(LOAD_LOG));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ch = uniq("CURL");
      const ok = await signedPost(alertUrl(), { logUrl: `${base}/build.log.gz`, ...meta({ target: `slack:${ch}` }) });
      expect(ok.status).toBe(202);
      expect(((await ok.json()) as { ruleId: string }).ruleId).toBe(LOAD_RULE);
      await until(() => slackPosts(ch)[0], "the alert from logUrl");
      const missing = await signedPost(alertUrl(), { logUrl: `${base}/nope.log`, ...meta({ target: `slack:${uniq("CNOPE")}` }) });
      expect(missing.status).toBe(502);
      expect(((await missing.json()) as { error: string }).error).toMatch(/could not fetch logUrl: HTTP 404/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("posts to Discord through REST: headline, embed, feedback buttons; feedback record kept", async () => {
    const channel = guild.channels[0]!.id;
    const m = meta({ target: `discord:${channel}` });
    const res = await signedPost(alertUrl(), { log: LOAD_LOG, ...m });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const post = await until(() => discord.callsTo("POST /channels/:id/messages").find((c) => c.path === `/channels/${channel}/messages` && String(c.body.content).includes(m.repo)), "the Discord alert");
    expect(post.headers.authorization).toBe(`Bot ${DISCORD_TOKEN}`);
    expect(post.body.content).toContain("`0123456`");
    expect(post.body.content).toContain("(<https://github.com/acme/web/actions/runs/42>)");
    expect(post.body.embeds[0].title).toBeTruthy();
    expect(JSON.stringify(post.body.components)).toContain(`bxf:fb:fixed:${id}`);
    expect(post.body.allowed_mentions).toEqual({ parse: [] });
    await bot.ci!.alerts.idle();
    expect(await bot.service.store.get(`discord:answer:${id}`)).toMatchObject({ ruleId: LOAD_RULE, workspace: `discord:${guild.id}` });
  });
});

describe("POST /ci/alert: refused requests post nothing", () => {
  it("401 without a signature, with a wrong one, or one over other bytes; 400 for malformed JSON or no log", async () => {
    const ch = uniq("CREFUSED");
    const body = { log: LOAD_LOG, ...meta({ target: `slack:${ch}` }) };
    const none = await signedPost(alertUrl(), body, { signature: null });
    expect(none.status).toBe(401);
    const wrong = await signedPost(alertUrl(), body, { secret: "not-the-secret-at-all-0000" });
    expect(wrong.status).toBe(401);
    const garbage = await signedPost(alertUrl(), body, { signature: "sha256=zz" });
    expect(garbage.status).toBe(401);
    // Signed over the JSON as sent; the same object re-serialised with other spacing no longer matches.
    const raw = JSON.stringify(body);
    const tampered = await signedPost(alertUrl(), JSON.stringify(body, null, 1), { signature: (await import("../src/alerts/signature.js")).sign(CI_SECRET, raw) });
    expect(tampered.status).toBe(401);

    const malformed = await signedPost(alertUrl(), '{"log": "x",');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toMatch(/malformed JSON/);
    const noLog = await signedPost(alertUrl(), { repo: "acme/web", target: `slack:${ch}` });
    expect(noLog.status).toBe(400);
    expect(((await noLog.json()) as { error: string }).error).toMatch(/missing log/);
    const badTarget = await signedPost(alertUrl(), { log: LOAD_LOG, target: "email:someone" });
    expect(badTarget.status).toBe(400);
    expect(((await badTarget.json()) as { error: string }).error).toMatch(/target: must be slack:<channel id> or discord:<channel id>/);

    // A good request after them is posted; the refused ones never were.
    const marker = uniq("CAFTER");
    expect((await signedPost(alertUrl(), { log: LOAD_LOG, ...meta({ target: `slack:${marker}` }) })).status).toBe(202);
    await until(() => slackPosts(marker)[0], "the good alert");
    expect(slackPosts(ch)).toHaveLength(0);
  });

  it("413 over MAX_LOG_BYTES, for the body and for a fetched logUrl; 404 when CI_WEBHOOK_SECRET is not set", async () => {
    const small = await startCiBot({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, CI_ALERT_SLACK_CHANNEL: DEFAULT_CHANNEL, MAX_LOG_BYTES: "4096", CI_LOG_HOSTS: "127.0.0.1" });
    const big = `${"#5 0.1 downloading layer\n".repeat(400)}${LOAD_LOG}`;
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(big);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const ch = uniq("CBIG");
      const res = await signedPost(`${small.url}/ci/alert`, { log: big, target: `slack:${ch}` });
      expect(res.status).toBe(413);
      const fetched = await signedPost(`${small.url}/ci/alert`, { logUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.log`, target: `slack:${ch}` });
      expect(fetched.status).toBe(413);
      expect(((await fetched.json()) as { error: string }).error).toMatch(/limit/);
      const fits = await signedPost(`${small.url}/ci/alert`, { log: LOAD_LOG, target: `slack:${ch}` });
      expect(fits.status).toBe(202);
      await until(() => slackPosts(ch)[0], "the alert that fits");
      await small.ci!.alerts.idle();
      expect(slackPosts(ch)).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      server.close();
      await small.stop();
    }
    const off = await startCiBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl });
    try {
      expect(off.ci).toBeUndefined();
      expect((await signedPost(`${off.url}/ci/alert`, { log: LOAD_LOG })).status).toBe(404);
    } finally {
      await off.stop();
    }
  });

  it("400 when there is no channel to post to (nothing configured, or the platform has no token)", async () => {
    const bare = await startCiBot({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl });
    try {
      const res = await signedPost(`${bare.url}/ci/alert`, { log: LOAD_LOG, repo: "acme/web" });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/CI_ALERT_ROUTES, CI_ALERT_SLACK_CHANNEL or CI_ALERT_DISCORD_CHANNEL/);
      const discordOnly = await signedPost(`${bare.url}/ci/alert`, { log: LOAD_LOG, target: "discord:1300000000000000001" });
      expect(discordOnly.status).toBe(400);
      expect(((await discordOnly.json()) as { error: string }).error).toMatch(/DISCORD_TOKEN is not configured/);
    } finally {
      await bare.stop();
    }
  });
});

describe("routing", () => {
  it("CI_ALERT_ROUTES (JSON): exact repo, org/*, then the defaults", async () => {
    const web = uniq("CWEB");
    const org = uniq("CORG");
    const routed = await startCiBot({
      CI_WEBHOOK_SECRET: CI_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      CI_ALERT_SLACK_CHANNEL: DEFAULT_CHANNEL,
      CI_ALERT_ROUTES: JSON.stringify({ "acme/web": `slack:${web}`, "acme/*": [`slack:${org}`, `discord:${guild.channels[0]!.id}`] }),
    });
    try {
      const log = (tag: string) => LOAD_LOG.replace("cloudsmithy/shuangpin", `routing/${tag}`);
      expect((await signedPost(`${routed.url}/ci/alert`, { log: log("a"), repo: "acme/web", branch: uniq("b") })).status).toBe(202);
      expect((await signedPost(`${routed.url}/ci/alert`, { log: log("b"), repo: "ACME/api", branch: uniq("b") })).status).toBe(202);
      const other = uniq("other/repo-");
      expect((await signedPost(`${routed.url}/ci/alert`, { log: log("c"), repo: other, branch: uniq("b") })).status).toBe(202);
      await routed.ci!.alerts.idle();
      expect(slackPosts(web).map((c) => String(c.body.text))).toEqual([expect.stringContaining("acme/web")]);
      expect(slackPosts(org).map((c) => String(c.body.text))).toEqual([expect.stringContaining("ACME/api")]);
      expect(discord.callsTo("POST /channels/:id/messages").some((c) => String(c.body.content).includes("ACME/api"))).toBe(true);
      expect(slackPosts(DEFAULT_CHANNEL).some((c) => String(c.body.text).includes(other))).toBe(true);
    } finally {
      await routed.stop();
    }
  });

  it("reads a YAML routes file and refuses bad routes at start-up with the variable named", () => {
    const dir = mkdtempSync(join(tmpdir(), "bxf-routes-"));
    const file = join(dir, "routes.yaml");
    writeFileSync(file, "acme/web: slack:CYAMLWEB\n'*':\n  - discord:1300000000000000009\n");
    const routes = loadRoutes({ CI_ALERT_ROUTES: file, CI_ALERT_SLACK_CHANNEL: "CDEF", CI_ALERT_DISCORD_CHANNEL: undefined });
    expect(routes.resolve("acme/web", undefined)).toEqual([{ platform: "slack", channel: "CYAMLWEB" }]);
    expect(routes.resolve("x/y", undefined)).toEqual([{ platform: "discord", channel: "1300000000000000009" }]);
    expect(routes.resolve("acme/web", "slack:CEXPLICIT")).toEqual([{ platform: "slack", channel: "CEXPLICIT" }]);
    expect(() => loadRoutes({ CI_ALERT_ROUTES: '{"acme/web": "email:x"}', CI_ALERT_SLACK_CHANNEL: undefined, CI_ALERT_DISCORD_CHANNEL: undefined })).toThrow(ConfigError);
    expect(() => loadRoutes({ CI_ALERT_ROUTES: '{"acme/web": "email:x"}', CI_ALERT_SLACK_CHANNEL: undefined, CI_ALERT_DISCORD_CHANNEL: undefined })).toThrow(/CI_ALERT_ROUTES: acme\/web/);
    expect(() => loadRoutes({ CI_ALERT_ROUTES: join(dir, "missing.yaml"), CI_ALERT_SLACK_CHANNEL: undefined, CI_ALERT_DISCORD_CHANNEL: undefined })).toThrow(/CI_ALERT_ROUTES: cannot read/);
  });
});

describe("no alert storms", () => {
  it("the same failure on the same repo and branch: one alert, then 'seen N times' with the latest run in its thread", async () => {
    const ch = uniq("CDEDUPE");
    const m = meta({ target: `slack:${ch}` });
    const send = (run: number, extra: Record<string, unknown> = {}) => signedPost(alertUrl(), { log: LOAD_LOG, ...m, runUrl: `https://github.com/acme/web/actions/runs/${run}`, ...extra });
    expect((await send(1)).status).toBe(202);
    const first = await until(() => slackPosts(ch)[0], "the first alert");
    expect((await send(2)).status).toBe(202);
    const seen2 = await until(() => slackPosts(ch)[1], "the second");
    expect(seen2.body.thread_ts).toBe(first.response!.ts);
    expect(String(seen2.body.text)).toContain("Seen 2 times");
    expect(String(seen2.body.text)).toContain("https://github.com/acme/web/actions/runs/2");
    expect(seen2.body.blocks).toBeUndefined();
    // The same run delivered again (a retried webhook) is not a new occurrence.
    expect((await send(2)).status).toBe(202);
    expect((await send(3)).status).toBe(202);
    const seen3 = await until(() => slackPosts(ch)[2], "the third");
    expect(String(seen3.body.text)).toContain("Seen 3 times");
    expect(String(seen3.body.text)).toContain("runs/3");
    await bot.ci!.alerts.idle();
    expect(slackPosts(ch)).toHaveLength(3);

    // Another branch is another failure.
    expect((await send(4, { branch: "release" })).status).toBe(202);
    const other = await until(() => slackPosts(ch)[3], "the other branch's alert");
    expect(other.body.thread_ts).toBeUndefined();
    expect(JSON.stringify(other.body.blocks)).toContain("`release`");
  });

  it("Discord: repeats go into a thread on the first alert", async () => {
    const channel = guild.channels[0]!.id;
    const m = meta({ target: `discord:${channel}` });
    expect((await signedPost(alertUrl(), { log: LOAD_LOG, ...m })).status).toBe(202);
    const first = await until(() => discord.callsTo("POST /channels/:id/messages").find((c) => String(c.body.content).includes(m.repo)), "first alert");
    expect((await signedPost(alertUrl(), { log: LOAD_LOG, ...m, runUrl: "https://github.com/acme/web/actions/runs/43" })).status).toBe(202);
    const threadId = first.response.id as string;
    const seen = await until(() => discord.calls.find((c) => c.method === "POST" && c.path === `/channels/${threadId}/messages`), "the note in the thread");
    expect(discord.calls.some((c) => c.method === "POST" && c.path === `/channels/${channel}/messages/${threadId}/threads`)).toBe(true);
    expect(seen.body.content).toContain("Seen 2 times");
    expect(seen.body.content).toContain("<https://github.com/acme/web/actions/runs/43>");
  });

  it("every accepted alert is answered when chat fails for a while: 429 (Retry-After) and 5xx are retried", async () => {
    const ch = uniq("CRETRY");
    slack.rateLimitNext("chat.postMessage", ch);
    expect((await signedPost(alertUrl(), { log: LOAD_LOG, ...meta({ target: `slack:${ch}` }) })).status).toBe(202);
    await until(() => slackPosts(ch)[0], "the alert after the rate limit");
    expect(slack.calls.filter((c) => c.method === "chat.postMessage" && c.body.channel === ch && c.status === 429)).toHaveLength(1);

    const channel = guild.channels[0]!.id;
    discord.failNext("POST /channels/:id/messages", 502, 0, "Bad Gateway");
    discord.failNext("POST /channels/:id/messages", 500, 0, "Internal Server Error");
    const m = meta({ target: `discord:${channel}` });
    expect((await signedPost(alertUrl(), { log: LOAD_LOG, ...m })).status).toBe(202);
    await until(() => discord.callsTo("POST /channels/:id/messages").find((c) => String(c.body.content).includes(m.repo)), "the Discord alert after two 5xx");
    expect(discord.calls.filter((c) => c.route === "/channels/:id/messages" && c.status >= 500).length).toBeGreaterThanOrEqual(2);
  });
});
