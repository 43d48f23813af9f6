// The Discord adapter end to end through interactions: the real discord.js client logged in to
// a fake Discord on 127.0.0.1 (REST + gateway WebSocket), INTERACTION_CREATE dispatches shaped
// like Discord's, and assertions on the REST calls the bot made.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCORD_LIMITS, embedLength } from "../src/renderers/discord-embed.js";
import {
  CHINESE_LOG,
  type DiscordBot,
  HUGE_LOG,
  LOAD_FIX,
  LOAD_LOG,
  LOAD_RULE,
  SECRET_LOG,
  SECRET_PASSWORD,
  SECRET_TOKEN,
  startDiscordBot,
} from "./helpers/discord-harness.js";
import { type Call, type FakeGuild, PLAIN_PERMISSIONS, eventually, user } from "./helpers/fake-discord.js";

const MAX = 64 * 1024;
let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot({ MAX_LOG_BYTES: String(MAX), DISCORD_USER_RATE_LIMIT: "5" });
});
afterAll(async () => {
  await bot?.stop();
});

const alice = user("alice");
const bob = user("bob");
const EPHEMERAL = 64;

function place(locale?: string): { g: FakeGuild; ch: string } {
  const g = bot.fake.addGuild(locale ? { locale } : {});
  return { g, ch: bot.fake.addChannel(g) };
}

type Interaction = { id: string; token: string };
const callbacks = (i: Interaction) => bot.fake.interactionCalls(i).filter((c) => c.route === "/interactions/:id/:id/callback");
const callback = (i: Interaction) => eventually(() => callbacks(i)[0], "the interaction callback");
/** The first successful edit of the interaction's original response. */
const edited = (i: Interaction, n = 1) =>
  eventually(() => bot.fake.interactionCalls(i).filter((c) => c.method === "PATCH" && c.status === 200)[n - 1], `edit ${n} of the interaction response`);
const handledFor = (i: Interaction) => bot.waitHandled((h) => h.id === i.id && h.outcome !== "ignored", "the interaction to be handled");
const embedOf = (c: Call) => c.body.embeds[0] as { title: string; description: string; fields: Array<{ name: string; value: string }>; footer?: { text: string } };
const buttons = (c: Call) => (c.body.components as Array<{ components: Array<{ style: number; label: string; url?: string; custom_id?: string }> }>).flatMap((r) => r.components);

describe("/buildx-fix diagnose", () => {
  it("with a pasted log defers publicly, then edits in the embed answer with link and feedback buttons", async () => {
    const { g, ch } = place();
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", options: { log: LOAD_LOG } });
    const cb = await callback(i);
    expect(cb.body).toEqual({ type: 5, data: { flags: 0 } });
    const edit = await edited(i);
    const e = embedOf(edit);
    expect(e.title).toMatch(/--load/);
    expect(e.description).toContain(`\`\`\`sh\n${LOAD_FIX}\n\`\`\``);
    expect(e.fields).toContainEqual({ name: "Confidence", value: `high · \`${LOAD_RULE}\``, inline: true });
    expect(e.fields.find((f) => f.name === "Evidence")?.value).toContain("3 | ERROR: docker exporter does not currently support exporting manifest lists");
    const b = buttons(edit);
    expect(b.filter((x) => x.style === 5).every((x) => x.url?.startsWith("https://docs.docker.com/"))).toBe(true);
    const feedback = b.filter((x) => x.custom_id);
    expect(feedback.map((x) => x.label)).toEqual(["Fixed it", "Wrong diagnosis"]);
    // Only an answer id in the custom id: the rule and votes live in the store.
    for (const x of feedback) expect(x.custom_id).toMatch(/^bxf:fb:(fixed|wrong):[A-Za-z0-9_-]{12}$/);
    expect(callbacks(i)).toHaveLength(1);
    expect((await handledFor(i)).outcome).toBe("answered");
  });

  it("with a log file downloads it at once (gzip unpacked) and says where the log came from", async () => {
    const { g, ch } = place();
    const file = bot.fake.addAttachment("build.log.gz", gzipSync(LOAD_LOG), { contentType: "application/gzip" });
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", attachment: file });
    const edit = await edited(i);
    expect(embedOf(edit).title).toMatch(/--load/);
    expect(embedOf(edit).fields).toContainEqual({ name: "Log", value: "from build.log.gz", inline: true });
    expect(bot.fake.calls.filter((c) => c.route === "/attachments/:id/:name" && file.url.includes(c.path))).toHaveLength(1);
  });

  it("refuses a file over MAX_LOG_BYTES by its declared size without downloading it, with a clear reply", async () => {
    const { g, ch } = place();
    const file = bot.fake.addAttachment("huge.log", "x", { size: 3 * 1024 * 1024 });
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", attachment: file });
    const edit = await edited(i);
    expect(edit.body.content).toBe("`huge.log` is 3.0 MB, over the 64 KB limit: send the last part of the log (the failing step and the ERROR lines).");
    expect(edit.body.embeds).toEqual([]);
    expect(bot.fake.calls.some((c) => c.route === "/attachments/:id/:name" && file.url.includes(c.path))).toBe(false);
    expect((await handledFor(i)).outcome).toBe("file-problem");
  });

  it("stops a download that turns out bigger than declared (no Content-Length)", async () => {
    const { g, ch } = place();
    const file = bot.fake.addAttachment("ci.log", Buffer.alloc(MAX + 4096, "a"), { size: 1000, chunked: true });
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", attachment: file });
    expect((await edited(i)).body.content).toMatch(/^`ci\.log` is \d+ KB, over the 64 KB limit/);
  });

  it("says so when the attached file is not a log", async () => {
    const { g, ch } = place();
    const file = bot.fake.addAttachment("screenshot.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]), { contentType: "image/png" });
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", attachment: file });
    expect((await edited(i)).body.content).toBe("`screenshot.png` is not a log file: attach a `.log` or `.txt` file, or gzip of one.");
  });

  it("without a log or file opens the paste-a-log modal as the first response; its submission is answered in the chosen language", async () => {
    const { g, ch } = place();
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose" });
    const cb = await callback(i);
    expect(cb.body.type).toBe(9);
    const modal = cb.body.data;
    expect(modal.custom_id).toBe("bxf:modal:auto");
    expect(modal.title.length).toBeLessThanOrEqual(45);
    const inner = modal.components.map((c: { type: number; component: { type: number; custom_id: string } }) => [c.type, c.component.type, c.component.custom_id]);
    expect(inner).toEqual([
      [18, 4, "log"],
      [18, 19, "file"],
      [18, 3, "lang"],
    ]);
    expect(modal.components[0].component).toMatchObject({ style: 2, max_length: 4000, required: false });
    expect(callbacks(i)).toHaveLength(1);

    const submit = bot.fake.modalSubmit({ guild: g, channelId: ch, from: alice, customId: modal.custom_id, log: LOAD_LOG, lang: "zh" });
    expect((await callback(submit)).body).toEqual({ type: 5, data: { flags: 0 } });
    const e = embedOf(await edited(submit));
    expect(e.title).toMatch(/[\u4e00-\u9fff]/);
    expect(e.description).toContain("**解决方法**");
    expect(e.description).toContain(LOAD_FIX);
  });

  it("answers a modal submission that carries an uploaded file instead of text", async () => {
    const { g, ch } = place();
    const file = bot.fake.addAttachment("build.txt", LOAD_LOG);
    const submit = bot.fake.modalSubmit({ guild: g, channelId: ch, from: alice, customId: "bxf:modal:en", attachment: file });
    const e = embedOf(await edited(submit));
    expect(e.title).toMatch(/--load/);
    expect(e.fields).toContainEqual({ name: "Log", value: "from build.txt", inline: true });
  });

  it("asks again, privately, when the modal comes back empty", async () => {
    const { g, ch } = place();
    const submit = bot.fake.modalSubmit({ guild: g, channelId: ch, from: alice, customId: "bxf:modal:auto", log: "   " });
    const cb = await callback(submit);
    expect(cb.body).toMatchObject({ type: 4, data: { content: "Paste a build log or upload the log file, then submit again.", flags: EPHEMERAL } });
  });

  it("answers in Chinese for a zh-CN (or zh-TW) Discord, unless lang says otherwise", async () => {
    const { g, ch } = place();
    const zhCN = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", options: { log: LOAD_LOG }, locale: "zh-CN" });
    expect(embedOf(await edited(zhCN)).fields.map((f) => f.name)).toContain("置信度");
    const ch2 = bot.fake.addChannel(g);
    const zhTW = bot.fake.slashCommand({ guild: g, channelId: ch2, from: alice, sub: "diagnose", options: { log: LOAD_LOG }, locale: "zh-TW" });
    expect(embedOf(await edited(zhTW)).description).toContain("**解决方法**");
    const ch3 = bot.fake.addChannel(g);
    const en = bot.fake.slashCommand({ guild: g, channelId: ch3, from: alice, sub: "diagnose", options: { log: LOAD_LOG, lang: "en" }, locale: "zh-CN" });
    expect(embedOf(await edited(en)).description).toContain("**Fix**");
  });

  it("answers in Chinese when the paste is Chinese, whatever the locale", async () => {
    const { g, ch } = place();
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", options: { log: CHINESE_LOG }, locale: "en-US" });
    expect(embedOf(await edited(i)).description).toContain("**解决方法**");
  });

  it("points at the earlier answer when the same failure comes again in the channel", async () => {
    const { g, ch } = place();
    const first = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", options: { log: LOAD_LOG } });
    await edited(first);
    const firstMessage = bot.fake.original(first);
    const again = bot.fake.slashCommand({ guild: g, channelId: ch, from: bob, sub: "diagnose", options: { log: LOAD_LOG.replace("0.1s", "2.7s") } });
    const edit = await edited(again);
    expect(edit.body.content).toBe(`Same failure as [the answer above](https://discord.com/channels/${g.id}/${ch}/${firstMessage.id}) (seen 2 times in the last hour).`);
    expect(edit.body.embeds).toEqual([]);
    expect((await handledFor(again)).outcome).toBe("duplicate");
  });

  it("tells a person who sends too many logs in a minute to wait, privately and without deferring (also when they arrive at once)", async () => {
    const { g } = place();
    const carol = user("carol");
    // DISCORD_USER_RATE_LIMIT is 5 here; six commands reach the bot in the same moment.
    const sent = Array.from({ length: 6 }, () => bot.fake.slashCommand({ guild: g, channelId: bot.fake.addChannel(g), from: carol, sub: "diagnose", options: { log: LOAD_LOG } }));
    const bodies = await Promise.all(sent.map(async (i) => (await callback(i)).body));
    expect(bodies.filter((b) => b.type === 5)).toHaveLength(5);
    const limited = bodies.filter((b) => b.type === 4);
    expect(limited).toEqual([{ type: 4, data: expect.objectContaining({ content: "That is a lot of logs in a short time: try again in a minute.", flags: EPHEMERAL }) }]);
    const reports = await Promise.all(sent.map((i) => handledFor(i)));
    expect(reports.filter((h) => h.outcome === "rate-limited")).toHaveLength(1);
  });

  it("cuts an answer too big for Discord at its limits and says so; it stays within them after votes", async () => {
    const { g, ch } = place();
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", options: { log: HUGE_LOG.slice(0, 6000) } });
    const edit = await edited(i);
    const e = edit.body.embeds[0];
    expect(e.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    for (const f of e.fields) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(embedLength(e)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(e.description).toMatch(/✂️ \*Cut to fit Discord's limits\. The whole answer: `npx buildx-fix diagnose build\.log`\*$/);
    // Code blocks stay closed: an even number of fences.
    expect((e.description.match(/```/g) ?? []).length % 2).toBe(0);

    const msg = bot.fake.original(i);
    const fixed = buttons(edit).find((b) => b.custom_id?.includes(":fixed:"))!;
    const click = bot.fake.buttonClick({ guild: g, from: alice, message: msg, customId: fixed.custom_id! });
    const update = await callback(click);
    expect(update.body.type).toBe(7);
    expect(embedLength(update.body.data.embeds[0])).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(update.body.data.embeds[0].footer.text).toBe("✅ 1 fixed it · ❌ 0 wrong diagnosis");
  });
});

describe("message context menu: Diagnose build log", () => {
  it("replies to the target message (a CI webhook's post with the log in an embed) and tells the asker privately", async () => {
    const { g, ch } = place();
    const ci = user("GitHub Actions", { bot: true });
    const target = bot.fake.messageObject({ guild: g, channelId: ch, author: ci, webhookId: "1300000000000000001", embeds: [{ title: "Build failed: main", description: LOAD_LOG, color: 0xff0000 }] });
    const i = bot.fake.contextMenu({ guild: g, channelId: ch, from: alice, target });
    expect((await callback(i)).body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const post = await eventually(() => bot.fake.callsTo("POST /channels/:id/messages").find((c) => c.path === `/channels/${ch}/messages`), "the reply in the channel");
    expect(post.body.message_reference).toMatchObject({ message_id: target.id });
    expect(post.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(embedOf(post).title).toMatch(/--load/);
    const note = await edited(i);
    expect(note.body.content).toBe(`Answered: https://discord.com/channels/${g.id}/${ch}/${post.response.id}`);
    expect((await handledFor(i)).outcome).toBe("answered");
  });

  it("answers a medium-confidence log too (someone asked), and reads a log attached to the message", async () => {
    const { g, ch } = place();
    const file = bot.fake.addAttachment("build.log", SECRET_LOG);
    const target = bot.fake.messageObject({ guild: g, channelId: ch, author: bob, content: "CI failed again", attachments: [file] });
    const i = bot.fake.contextMenu({ guild: g, channelId: ch, from: alice, target });
    const post = await eventually(() => bot.fake.callsTo("POST /channels/:id/messages").find((c) => c.path === `/channels/${ch}/messages`), "the reply");
    expect(embedOf(post).fields.find((f) => f.name === "Confidence")?.value).toMatch(/^medium · `run-step-failed(?:\/\w+)?`$/);
    expect(embedOf(post).fields).toContainEqual({ name: "Log", value: "from build.log", inline: true });
    await handledFor(i);
  });

  it("shows the answer privately when the bot may not post in the channel", async () => {
    const { g, ch } = place();
    const target = bot.fake.messageObject({ guild: g, channelId: ch, author: bob, content: LOAD_LOG });
    bot.fake.failNext("POST /channels/:id/messages", 403, 50013, "Missing Permissions");
    const i = bot.fake.contextMenu({ guild: g, channelId: ch, from: alice, target });
    const edit = await edited(i);
    expect(edit.body.content).toBe("I cannot post in this channel (missing permissions), so only you see this answer.");
    expect(embedOf(edit).title).toMatch(/--load/);
    expect(buttons(edit).some((b) => b.custom_id?.startsWith("bxf:fb:fixed:"))).toBe(true);
  });

  it("says privately when the message holds nothing to read", async () => {
    const { g, ch } = place();
    const target = bot.fake.messageObject({ guild: g, channelId: ch, author: bob, content: "" });
    const i = bot.fake.contextMenu({ guild: g, channelId: ch, from: alice, target });
    expect((await callback(i)).body).toMatchObject({ type: 4, data: { content: "That message has no text or log file I can read.", flags: EPHEMERAL } });
  });
});

describe("feedback buttons and stats", () => {
  it("records one changeable vote per person, updates the answer in place, and /buildx-fix stats shows the tally", async () => {
    const { g, ch } = place();
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", options: { log: LOAD_LOG } });
    const edit = await edited(i);
    const msg = bot.fake.original(i);
    const id = (vote: string) => buttons(edit).find((b) => b.custom_id?.startsWith(`bxf:fb:${vote}:`))!.custom_id!;

    const vote = async (from: typeof alice, v: string) => {
      const click = bot.fake.buttonClick({ guild: g, from, message: msg, customId: id(v) });
      const cb = await callback(click);
      expect(cb.body.type).toBe(7);
      return cb.body.data.embeds[0].footer.text as string;
    };
    expect(await vote(alice, "fixed")).toBe("✅ 1 fixed it · ❌ 0 wrong diagnosis");
    expect(await vote(bob, "wrong")).toBe("✅ 1 fixed it · ❌ 1 wrong diagnosis");
    expect(await vote(alice, "wrong")).toBe("✅ 0 fixed it · ❌ 2 wrong diagnosis");
    // The updated message keeps the answer itself.
    expect(msg.embeds[0].title).toMatch(/--load/);
    expect(msg.embeds[0].footer.text).toBe("✅ 0 fixed it · ❌ 2 wrong diagnosis");

    const stats = bot.fake.slashCommand({ guild: g, channelId: ch, from: bob, sub: "stats" });
    const cb = await callback(stats);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.embeds[0].description).toBe(`\`${LOAD_RULE}\` · 1 answer · ✅ 0 · ❌ 2`);
  });

  it("counts votes that arrive at the same moment", async () => {
    const { g, ch } = place();
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", options: { log: LOAD_LOG } });
    const edit = await edited(i);
    const msg = bot.fake.original(i);
    const fixed = buttons(edit).find((b) => b.custom_id?.startsWith("bxf:fb:fixed:"))!.custom_id!;
    const voters = [alice, bob, user("carol"), user("dave")];
    const clicks = voters.map((from) => bot.fake.buttonClick({ guild: g, from, message: msg, customId: fixed }));
    const footers = await Promise.all(clicks.map(async (c) => (await callback(c)).body.data.embeds[0].footer.text as string));
    expect(footers).toContain("✅ 4 fixed it · ❌ 0 wrong diagnosis");
    expect(await bot.service.stats(`discord:${g.id}`)).toEqual([{ ruleId: LOAD_RULE, hits: 1, fixed: 4, wrong: 0 }]);
  });

  it("says so privately for a button of an answer it no longer knows", async () => {
    const { g, ch } = place();
    const msg = bot.fake.messageObject({ guild: g, channelId: ch, author: { id: "1100000000000000002", username: "buildx-fix", discriminator: "0", global_name: null, avatar: null, bot: true }, embeds: [{ title: "old" }] });
    const click = bot.fake.buttonClick({ guild: g, from: alice, message: msg, customId: "bxf:fb:fixed:AAAAAAAAAAAA" });
    expect((await callback(click)).body).toMatchObject({ type: 4, data: { content: "This answer is too old to take feedback.", flags: EPHEMERAL } });
  });

  it("stats in a server with no answers yet says so", async () => {
    const { g, ch } = place();
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "stats" });
    expect((await callback(i)).body.data.embeds[0].description).toBe("No answers recorded yet.");
  });
});

describe("help, rules, auto", () => {
  it("help and rules answer only the asker, within the embed limits", async () => {
    const { g, ch } = place();
    const help = await callback(bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "help" }));
    expect(help.body.data.flags).toBe(EPHEMERAL);
    expect(help.body.data.embeds[0].description).toContain("Apps → Diagnose build log");
    const rules = await callback(bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "rules", locale: "zh-CN" }));
    const e = rules.body.data.embeds[0];
    expect(e.title).toBe(`buildx-fix 认识的 ${bot.service.engine.rules.length} 种原因`);
    expect(e.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.description).toContain(`\`${LOAD_RULE}\``);
  });

  it("auto on|off needs Manage Channels and is kept per channel", async () => {
    const { g, ch } = place();
    const workspace = `discord:${g.id}`;
    const denied = await callback(bot.fake.slashCommand({ guild: g, channelId: ch, from: bob, sub: "auto", options: { state: "off" }, permissions: PLAIN_PERMISSIONS }));
    expect(denied.body.data).toMatchObject({ content: "Changing auto-detect for a channel needs the **Manage Channels** permission.", flags: EPHEMERAL });
    expect(await bot.service.channelSetting(workspace, ch, "auto", true)).toBe(true);

    const off = await callback(bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "auto", options: { state: "off" } }));
    expect(off.body.data.content).toMatch(/^I will no longer answer pasted logs in this channel/);
    expect(await bot.service.channelSetting(workspace, ch, "auto", true)).toBe(false);
    const state = await callback(bot.fake.slashCommand({ guild: g, channelId: ch, from: bob, sub: "auto", permissions: PLAIN_PERMISSIONS }));
    expect(state.body.data.content).toBe("Answering pasted logs in this channel is **off** (`/buildx-fix auto on|off`).");
  });
});

describe("masking", () => {
  it("masks secrets from the log in everything it posts: command answers, file names, context-menu replies", async () => {
    const { g, ch } = place();
    const a = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "diagnose", options: { log: SECRET_LOG } });
    const e = embedOf(await edited(a));
    expect(e.fields.find((f) => f.name === "Evidence")?.value).toContain("Authorization: Bearer ****");

    const file = bot.fake.addAttachment(`build-${SECRET_TOKEN}.log`, SECRET_LOG);
    const b = bot.fake.slashCommand({ guild: g, channelId: bot.fake.addChannel(g), from: alice, sub: "diagnose", attachment: file });
    expect(embedOf(await edited(b)).fields).toContainEqual({ name: "Log", value: "from build-****.log", inline: true });

    const ch3 = bot.fake.addChannel(g);
    const target = bot.fake.messageObject({ guild: g, channelId: ch3, author: bob, content: SECRET_LOG });
    const c = bot.fake.contextMenu({ guild: g, channelId: ch3, from: alice, target });
    await edited(c);

    const sent = bot.fake.everythingSent();
    expect(sent).toContain("Bearer ****");
    expect(sent).not.toContain(SECRET_TOKEN);
    expect(sent).not.toContain(SECRET_PASSWORD);
  });
});
