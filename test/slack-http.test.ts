// The Slack adapter end to end in HTTP mode: the bot's express app with the real Bolt app on
// POST /slack/events, requests signed like Slack's, a fake Slack Web API on 127.0.0.1, and
// assertions on what the bot sent to it.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_ID, BOT_TOKEN, BOT_USER, type Call, FakeSlack, TEAM, until } from "./helpers/fake-slack.js";
import { type SlackBot, SIGNING_SECRET, signature, startSlackBot, uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE, SECRET_LOG, SECRET_PASSWORD, SECRET_TOKEN, buttonClick, channel, messageShortcut, newTs, personMessage } from "./helpers/slack-payloads.js";

let bot: SlackBot;
let fake: FakeSlack;
beforeAll(async () => {
  bot = await startSlackBot();
  fake = bot.fake;
});
afterAll(async () => {
  await bot?.stop();
});

type Posted = Call & { body: { channel: string; text: string; blocks: Array<Record<string, unknown>>; thread_ts?: string }; response: { ts: string } };

const postsTo = (ch: string) => fake.callsTo("chat.postMessage").filter((c) => c.body.channel === ch) as Posted[];
const postTo = (ch: string, n = 1) => until(() => postsTo(ch).length >= n && postsTo(ch)[n - 1], `message ${n} in ${ch}`);
const responses = (id: string) => fake.callsTo("response_url").filter((c) => c.body.response_url_id === id);
const responseTo = (id: string) => until(() => responses(id)[0], `response_url ${id}`);
const header = (p: { body: { blocks: Array<Record<string, unknown>> } }) => (p.body.blocks.find((b) => b.type === "header")?.text as { text: string } | undefined)?.text;
const blockText = (p: { body: Record<string, unknown> }) => JSON.stringify(p.body.blocks ?? []);

describe("slash command", () => {
  it("acknowledges at once and posts the Block Kit answer in the channel", async () => {
    const ch = channel();
    const { res } = await bot.command(LOAD_LOG, { channel_id: ch });
    expect(res.status).toBe(200);
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBeUndefined();
    expect(header(post)).toMatch(/--load/);
    const json = blockText(post);
    expect(json).toContain("docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest --push .");
    expect(json).toContain('"url":"https://docs.docker.com/');
    expect(json).toContain("3 | ERROR: docker exporter does not currently support exporting manifest lists");
    expect(json).toMatch(/Confidence: \*high\*/);
    expect(json).toContain(`:${LOAD_RULE}`);
    expect(post.body.text).toMatch(/^buildx-fix: .*--load.*\(Confidence: high\)/);
    expect(post.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it("without text opens the paste-a-log modal; its submission posts the answer in the chosen language", async () => {
    const ch = channel();
    await bot.command("", { channel_id: ch });
    const open = await until(() => fake.callsTo("views.open").find((c) => JSON.stringify(c.body).includes(ch)), "views.open");
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id: string; element: { multiline?: boolean; max_length?: number } }> };
    expect(open.body.trigger_id).toMatch(/^TRIG/);
    expect(view.callback_id).toBe("bxf_diagnose_modal");
    expect(view.blocks.find((b) => b.block_id === "log")?.element).toMatchObject({ multiline: true, max_length: 3000 });

    const res = await bot.interaction({
      type: "view_submission",
      token: "verification-token",
      team: { id: TEAM, domain: "fake-team" },
      user: { id: "U0ALICE", name: "alice", team_id: TEAM },
      api_app_id: "A0APP",
      trigger_id: uniq("TRIG"),
      view: {
        id: "V0MODAL",
        team_id: TEAM,
        type: "modal",
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: {
          values: {
            log: { log_text: { type: "plain_text_input", value: LOAD_LOG } },
            lang: { lang_choice: { type: "radio_buttons", selected_option: { text: { type: "plain_text", text: "中文" }, value: "zh" } } },
          },
        },
        hash: "1690000000.abcdef",
      },
    });
    expect(res.status).toBe(200);
    const post = await postTo(ch);
    expect(header(post)).toMatch(/无法导出多平台镜像/);
  });

  it("help, rules, stats and unknown words answer only the asker", async () => {
    const ch = channel();
    const help = await responseTo((await bot.command("help", { channel_id: ch })).responseUrlId);
    expect(help.body.response_type).toBe("ephemeral");
    expect(String(help.body.text)).toContain("/buildx-fix auto on|off");

    const rules = await responseTo((await bot.command("rules", { channel_id: ch })).responseUrlId);
    expect(String(rules.body.text)).toMatch(/The \d+ causes buildx-fix knows/);
    expect(blockText(rules)).toContain(`\`${LOAD_RULE}\``);
    expect((rules.body.blocks as Array<{ text: { text: string } }>).every((b) => b.text.text.length <= 3000)).toBe(true);

    const typo = await responseTo((await bot.command("halp", { channel_id: ch })).responseUrlId);
    expect(typo.body.response_type).toBe("ephemeral");
    expect(String(typo.body.text)).toMatch(/`halp` is not something I know/);
    expect(postsTo(ch)).toHaveLength(0);
  });

  it("answers a person whose Slack locale is Chinese in Chinese (users.info with include_locale)", async () => {
    const ch = channel();
    fake.locales.set("U0ZHANG", "zh-CN");
    await bot.command(LOAD_LOG, { channel_id: ch, user_id: "U0ZHANG" });
    const post = await postTo(ch);
    expect(header(post)).toMatch(/无法导出多平台镜像/);
    expect(blockText(post)).toContain("bxf_feedback:zh");
    expect(blockText(post)).toContain("已解决");
    const info = fake.callsTo("users.info").find((c) => c.body.user === "U0ZHANG");
    expect(info?.body.include_locale).toBe("true");
  });

  it("when the bot is not in the channel, answers through response_url (in the channel only if no secret is shown)", async () => {
    const ch = channel();
    fake.notInChannel.add(ch);
    const plain = await responseTo((await bot.command(LOAD_LOG, { channel_id: ch })).responseUrlId);
    expect(plain.body.response_type).toBe("in_channel");
    expect(blockText(plain)).toContain(LOAD_RULE);

    const secret = await responseTo((await bot.command(SECRET_LOG, { channel_id: ch })).responseUrlId);
    expect(secret.body.response_type).toBe("ephemeral");
    expect(blockText(secret)).toMatch(/only you see this answer/);
    expect(fake.everythingSent()).not.toContain(SECRET_PASSWORD);
  });
});

describe("pasted logs (auto-detect)", () => {
  it("answers a person's pasted log in its thread", async () => {
    const ch = channel();
    const msg = personMessage(ch, LOAD_LOG);
    expect((await bot.event(msg)).status).toBe(200);
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(msg.ts);
    expect(header(post)).toMatch(/--load/);
  });

  it("answers a CI bot's post (bot_message with the log in an attachment)", async () => {
    const ch = channel();
    const msg = {
      type: "message",
      subtype: "bot_message",
      bot_id: "B0GITHUBCI",
      username: "GitHub Actions",
      channel: ch,
      channel_type: "channel",
      text: "",
      ts: newTs(),
      attachments: [{ color: "danger", title: "build failed: docker/build-push-action", text: LOAD_LOG, fallback: "build failed" }],
    };
    await bot.event(msg);
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(msg.ts);
    expect(blockText(post)).toContain(LOAD_RULE);
  });

  it("never answers itself", async () => {
    const ch = channel();
    const own = { type: "message", subtype: "bot_message", bot_id: BOT_ID, user: BOT_USER, channel: ch, channel_type: "channel", text: LOAD_LOG, ts: newTs() };
    await bot.event(own);
    const h = await bot.waitHandled((x) => x.ts === own.ts, "the bot's own message handled");
    expect(h).toMatchObject({ entry: "message", outcome: "ignored", detail: "self" });
    expect(postsTo(ch)).toHaveLength(0);
  });

  it("answers a log pasted as a thread reply in that thread", async () => {
    const ch = channel();
    const parent = newTs();
    const msg = personMessage(ch, LOAD_LOG, { thread_ts: parent });
    await bot.event(msg);
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(parent);
  });

  it("stays quiet on chatter and on causes it is not sure of", async () => {
    const ch = channel();
    const chat = personMessage(ch, "lunch at noon? the build was green this morning");
    const medium = personMessage(ch, SECRET_LOG);
    await bot.event(chat);
    await bot.event(medium);
    expect(await bot.waitHandled((x) => x.ts === chat.ts, "chatter")).toMatchObject({ outcome: "not-confident" });
    expect(await bot.waitHandled((x) => x.ts === medium.ts, "medium-confidence log")).toMatchObject({ outcome: "not-confident", detail: "run-step-failed: medium" });
    expect(postsTo(ch)).toHaveLength(0);
  });

  it("`/buildx-fix auto off` turns it off for one channel, `auto on` back on", async () => {
    const ch = channel();
    const off = await responseTo((await bot.command("auto off", { channel_id: ch })).responseUrlId);
    expect(String(off.body.text)).toMatch(/no longer answer pasted logs/);
    const m1 = personMessage(ch, LOAD_LOG);
    await bot.event(m1);
    expect(await bot.waitHandled((x) => x.ts === m1.ts, "message with auto off")).toMatchObject({ outcome: "ignored", detail: "auto off" });
    const state = await responseTo((await bot.command("auto", { channel_id: ch })).responseUrlId);
    expect(String(state.body.text)).toMatch(/\*off\*/);

    const on = await responseTo((await bot.command("auto on", { channel_id: ch })).responseUrlId);
    expect(String(on.body.text)).toMatch(/will get an answer in their thread/);
    const m2 = personMessage(ch, LOAD_LOG);
    await bot.event(m2);
    expect((await postTo(ch)).body.thread_ts).toBe(m2.ts);
  });

  it("handles a re-delivered event (same event_id) once", async () => {
    const ch = channel();
    const msg = personMessage(ch, LOAD_LOG);
    await bot.event(msg, { eventId: "EvSAMEEVENT1" });
    await postTo(ch);
    await bot.event(msg, { eventId: "EvSAMEEVENT1" });
    expect(await bot.waitHandled((x) => x.ts === msg.ts && x.outcome === "ignored", "the retry")).toMatchObject({ detail: "retry" });
    expect(postsTo(ch)).toHaveLength(1);
  });

  it("answers the same log pasted again within the hour with a short link to the first answer", async () => {
    const ch = channel();
    const first = personMessage(ch, LOAD_LOG);
    await bot.event(first);
    await bot.waitHandled((h) => h.ts === first.ts && h.outcome === "answered", "the first answer recorded");
    const answer = await postTo(ch);
    const again = personMessage(ch, `#5 12.3s\n${LOAD_LOG.replace("0.1s", "2.7s")}`);
    await bot.event(again);
    const short = await postTo(ch, 2);
    expect(short.body.thread_ts).toBe(again.ts);
    expect(short.body.text).toMatch(/Same failure as <https:\/\/fake-team\.slack\.com\/archives\/.+\|the answer above> \(seen 2 times/);
    expect(short.body.text).toContain(`p${answer.response.ts.replace(".", "")}`);
    expect(fake.callsTo("chat.getPermalink").some((c) => c.body.message_ts === answer.response.ts)).toBe(true);
    expect(blockText(short)).not.toContain("bxf_feedback");
  });

  it("in a direct message answers any log (not only sure ones) and explains itself otherwise", async () => {
    const dm = uniq("D");
    const log = personMessage(dm, SECRET_LOG, { channel_type: "im" });
    await bot.event(log);
    const answer = await postTo(dm);
    expect(answer.body.thread_ts).toBeUndefined();
    expect(blockText(answer)).toContain("run-step-failed");
    await bot.event(personMessage(dm, "hello, what can you do?", { channel_type: "im" }));
    const help = await postTo(dm, 2);
    expect(help.body.text).toMatch(/reads a failed Docker/);
  });

  it("answers in Chinese when the message is Chinese", async () => {
    const ch = channel();
    await bot.event(personMessage(ch, `构建失败了，帮忙看看是什么问题\n${LOAD_LOG}`));
    const post = await postTo(ch);
    expect(header(post)).toMatch(/无法导出多平台镜像/);
    expect(post.body.text).toMatch(/置信度/);
  });
});

describe("uploaded files", () => {
  const fileShare = (ch: string, files: unknown[], text = "") => personMessage(ch, text, { subtype: "file_share", files, upload: true });

  it("downloads a .log file from url_private with the bot token and answers in the thread", async () => {
    const ch = channel();
    const file = fake.addFile("build.log", LOAD_LOG);
    const msg = fileShare(ch, [file]);
    await bot.event(msg);
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(msg.ts);
    expect(blockText(post)).toContain("from build.log");
    const dl = fake.calls.find((c) => c.method === "file_download" && String(c.body.path).includes(String(file.id)));
    expect(dl?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it("unpacks a gzip upload", async () => {
    const ch = channel();
    const file = fake.addFile("build.log.gz", gzipSync(LOAD_LOG), { contentType: "application/gzip", mimetype: "application/gzip", filetype: "gzip" });
    await bot.event(fileShare(ch, [file]));
    expect(blockText(await postTo(ch))).toContain(LOAD_RULE);
  });

  it("replies clearly to a file over the size cap, without downloading it", async () => {
    const ch = channel();
    const file = fake.addFile("huge.log", "tiny", { size: 60 * 1024 * 1024 });
    await bot.event(fileShare(ch, [file]));
    const post = await postTo(ch);
    expect(post.body.text).toMatch(/`huge\.log` is 60 MB, over the 50 MB limit/);
    expect(fake.calls.some((c) => c.method === "file_download" && String(c.body.path).includes(String(file.id)))).toBe(false);
  });

  it("never sends the bot token outside SLACK_FILES_URL", async () => {
    const ch = channel();
    const file = fake.addFile("elsewhere.log", LOAD_LOG);
    const foreign = { ...file, url_private: String(file.url_private).replace("127.0.0.1", "localhost"), url_private_download: undefined };
    await bot.event(fileShare(ch, [foreign]));
    const post = await postTo(ch);
    expect(post.body.text).toMatch(/I could not read `elsewhere\.log`: its address is not on 127\.0\.0\.1/);
    expect(fake.calls.some((c) => c.method === "file_download" && String(c.body.path).includes(String(file.id)))).toBe(false);
  });

  it("ignores images and other files that cannot be logs", async () => {
    const ch = channel();
    const png = { ...fake.addFile("screenshot.png", "PNG"), mimetype: "image/png", filetype: "png" };
    const msg = fileShare(ch, [png]);
    await bot.event(msg);
    expect(await bot.waitHandled((x) => x.ts === msg.ts, "image upload")).toMatchObject({ outcome: "ignored", detail: "no text" });
  });
});

describe("mentions", () => {
  it("answers a log in the mention itself, in its thread (the message event of it is left to the mention)", async () => {
    const ch = channel();
    const text = `<@${BOT_USER}> why?\n${LOAD_LOG}`;
    const ts = newTs();
    await bot.event({ type: "message", channel: ch, channel_type: "channel", user: "U0BOB", text, ts });
    await bot.event({ type: "app_mention", channel: ch, user: "U0BOB", text, ts, event_ts: ts });
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(ts);
    expect(await bot.waitHandled((x) => x.entry === "message" && x.ts === ts, "the message event")).toMatchObject({ outcome: "ignored", detail: "mention" });
    expect(postsTo(ch)).toHaveLength(1);
  });

  it("in a thread under a log, fetches the parent (conversations.replies) and answers in the thread", async () => {
    const ch = channel();
    const parent = newTs();
    fake.addMessage(ch, { ts: parent, user: "U0BOB", text: LOAD_LOG });
    const ts = newTs();
    await bot.event({ type: "app_mention", channel: ch, user: "U0CAROL", text: `<@${BOT_USER}> what broke here?`, ts, thread_ts: parent, event_ts: ts });
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(parent);
    expect(blockText(post)).toContain(LOAD_RULE);
    const replies = fake.callsTo("conversations.replies").find((c) => c.body.channel === ch);
    expect(replies?.body.ts).toBe(parent);
  });

  it("a mention with no log anywhere gets a hint, not a diagnosis", async () => {
    const ch = channel();
    const ts = newTs();
    await bot.event({ type: "app_mention", channel: ch, user: "U0BOB", text: `<@${BOT_USER}> hi!`, ts, event_ts: ts });
    const post = await postTo(ch);
    expect(post.body.text).toMatch(/Mention me together with a build log/);
  });
});

describe("message shortcut", () => {
  it("answers any message in its thread whatever the confidence, with every secret masked", async () => {
    const ch = channel();
    const message = { type: "message", user: "U0BOB", ts: newTs(), text: SECRET_LOG };
    const res = await bot.interaction(messageShortcut(fake, ch, message));
    expect(res.status).toBe(200);
    const post = await postTo(ch);
    expect(post.body.thread_ts).toBe(message.ts);
    expect(blockText(post)).toContain("run-step-failed");
    expect(blockText(post)).toContain("Authorization: Bearer ****");
    const sent = fake.everythingSent();
    expect(sent).not.toContain(SECRET_PASSWORD);
    expect(sent).not.toContain(SECRET_TOKEN);
  });

  it("tells the asker privately when the message holds nothing to diagnose", async () => {
    const ch = channel();
    const payload = messageShortcut(fake, ch, { type: "message", user: "U0BOB", ts: newTs(), text: "" });
    await bot.interaction(payload);
    const id = String(payload.response_url).split("/").pop()!;
    const r = await responseTo(id);
    expect(r.body.response_type).toBe("ephemeral");
    expect(String(r.body.text)).toMatch(/no text or log file/);
  });
});

describe("feedback", () => {
  it("records clicks per rule, updates the answer with the tally, and /buildx-fix stats shows them", async () => {
    const ch = channel();
    await bot.command(LOAD_LOG, { channel_id: ch });
    await bot.waitHandled((h) => h.channel === ch && h.outcome === "answered", "the answer recorded");
    const answer = await postTo(ch);
    const posted = { channel: ch, ts: answer.response.ts, text: answer.body.text, blocks: answer.body.blocks };

    await bot.interaction(buttonClick(fake, posted, "bxf_feedback_fixed", "U0CAROL"));
    const update1 = await until(() => fake.callsTo("chat.update").find((c) => c.body.ts === posted.ts), "chat.update");
    expect(update1.body.channel).toBe(ch);
    expect(blockText(update1)).toContain("Feedback: ✅ 1 fixed it · ❌ 0 wrong diagnosis");
    expect(blockText(update1)).toContain(LOAD_RULE);

    // Another person disagrees; the same person clicking again does not count twice.
    await bot.interaction(buttonClick(fake, { ...posted, blocks: update1.body.blocks as unknown[] }, "bxf_feedback_wrong", "U0DAVE"));
    await bot.interaction(buttonClick(fake, { ...posted, blocks: update1.body.blocks as unknown[] }, "bxf_feedback_wrong", "U0DAVE"));
    await until(() => fake.callsTo("chat.update").filter((c) => c.body.ts === posted.ts).length >= 3, "three updates");
    const last = fake.callsTo("chat.update").filter((c) => c.body.ts === posted.ts).at(-1)!;
    expect(blockText(last)).toContain("Feedback: ✅ 1 fixed it · ❌ 1 wrong diagnosis");
    expect(blockText(last).match(/bxf_tally/g)).toHaveLength(1);

    const stats = await responseTo((await bot.command("stats", { channel_id: ch })).responseUrlId);
    expect(stats.body.response_type).toBe("ephemeral");
    expect(String(stats.body.text)).toMatch(new RegExp(`\`${LOAD_RULE}\` · \\d+ answers? · ✅ 1 · ❌ 1`));
    const row = (await bot.service.stats(TEAM)).find((r) => r.ruleId === LOAD_RULE);
    expect(row).toMatchObject({ fixed: 1, wrong: 1 });
    expect(row!.hits).toBeGreaterThanOrEqual(1);
  });
});

describe("request signatures", () => {
  it("refuses forged, stale and far-future requests with 401 and posts nothing", async () => {
    const ch = channel();
    const body = new URLSearchParams({ team_id: TEAM, channel_id: ch, user_id: "U0EVE", command: "/buildx-fix", text: LOAD_LOG, response_url: fake.responseUrl("forged"), trigger_id: "T1" }).toString();
    const type = "application/x-www-form-urlencoded";
    const now = Math.floor(Date.now() / 1000);
    expect((await bot.send(body, type, { secret: "not-the-signing-secret" })).status).toBe(401);
    expect((await bot.send(body, type, { signature: "v0=deadbeef" })).status).toBe(401);
    expect((await bot.send(body, type, { timestamp: now - 6 * 60, signature: signature(SIGNING_SECRET, now - 6 * 60, body) })).status).toBe(401);
    expect((await bot.send(body, type, { timestamp: now + 6 * 60, signature: signature(SIGNING_SECRET, now + 6 * 60, body) })).status).toBe(401);
    const unsigned = await fetch(`${bot.url}/slack/events`, { method: "POST", headers: { "content-type": type }, body });
    expect(unsigned.status).toBe(401);
    // The same body properly signed goes through, which shows the refusals were about the signature.
    expect((await bot.send(body, type)).status).toBe(200);
    await bot.waitHandled((h) => h.channel === ch && h.outcome === "answered", "the signed request's answer");
    expect(postsTo(ch)).toHaveLength(1);
    expect(bot.handled.filter((h) => h.channel === ch)).toHaveLength(1);
  });

  it("keeps GET /healthz on the same app and reports the adapter", async () => {
    const health = (await (await fetch(`${bot.url}/healthz`)).json()) as { adapters: string[] };
    expect(health.adapters).toEqual(["slack"]);
  });
});

describe("Slack's own rate limit", () => {
  it("waits for Retry-After on a 429 and posts the answer on the retry", async () => {
    const ch = channel();
    fake.rateLimitNext("chat.postMessage", ch);
    await bot.command(LOAD_LOG, { channel_id: ch });
    const post = await postTo(ch);
    const attempts = fake.calls.filter((c) => c.method === "chat.postMessage" && c.body.channel === ch);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(header(post)).toMatch(/--load/);
  });

  it("pauses only the rate-limited channel: others are answered meanwhile", async () => {
    // Slack asks channel A to wait 20 s. The Web API client used to pause every call for it,
    // so channel B's answer waited too (and `postTo` gave up after 10 s).
    const a = channel();
    const b = channel();
    fake.rateLimitNext("chat.postMessage", a, 20);
    await bot.command(LOAD_LOG.replace("shuangpin", "chana"), { channel_id: a });
    await until(() => fake.calls.find((c) => c.method === "chat.postMessage" && c.body.channel === a && c.status === 429), "channel A rate limited");
    await bot.command(LOAD_LOG.replace("shuangpin", "chanb"), { channel_id: b });
    expect(header(await postTo(b))).toMatch(/--load/);
    expect(fake.callsTo("chat.postMessage").filter((c) => c.body.channel === a)).toHaveLength(0);
  });
});

describe("per-user and per-channel limits", () => {
  let limited: SlackBot;
  beforeAll(async () => {
    limited = await startSlackBot({ SLACK_USER_RATE_LIMIT: "2", SLACK_CHANNEL_RATE_LIMIT: "3", MAX_LOG_BYTES: "2000" });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it("tells a person over their limit to wait, and stops answering a busy channel", async () => {
    const ch = channel();
    const f = limited.fake;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await limited.command(`${LOAD_LOG}\n# run ${i}`, { channel_id: ch, user_id: "U0BUSY" })).responseUrlId);
    const third = await until(() => f.callsTo("response_url").find((c) => c.body.response_url_id === ids[2]), "rate-limit reply");
    expect(String(third.body.text)).toMatch(/try again in a minute/);
    expect(third.body.response_type).toBe("ephemeral");

    // The channel allows 3 answers a minute: someone else gets one more, then auto-detect goes quiet.
    await limited.command(LOAD_LOG.replace("cloudsmithy", "other"), { channel_id: ch, user_id: "U0OTHER" });
    await until(() => limited.handled.filter((h) => h.channel === ch && h.entry === "command").length >= 4, "four commands handled");
    const pasted = personMessage(ch, LOAD_LOG.replace("cloudsmithy", "third"));
    await limited.event(pasted);
    expect(await limited.waitHandled((h) => h.ts === pasted.ts, "pasted log in a busy channel")).toMatchObject({ outcome: "rate-limited" });
    const answered = limited.handled.filter((h) => h.channel === ch && (h.outcome === "answered" || h.outcome === "duplicate"));
    expect(answered).toHaveLength(3);
  });

  it("stops reading a download that grows past MAX_LOG_BYTES (size unknown in advance)", async () => {
    const ch = channel();
    const file = limited.fake.addFile("big.log", `${"x".repeat(5000)}\n${LOAD_LOG}`, { size: 100, chunked: true });
    await limited.event(personMessage(ch, "", { subtype: "file_share", files: [file] }));
    const post = await until(() => limited.fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "too-large reply");
    expect(String(post.body.text)).toMatch(/`big\.log` is .* over the 2 KB limit/);
  });
});
