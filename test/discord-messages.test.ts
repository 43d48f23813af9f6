// Logs that show up in conversation (MESSAGE_CREATE over the fake gateway): auto-detect with
// the Message Content intent, @mentions, the bot's own messages, and a bot without the intent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordBot, LOAD_FIX, LOAD_LOG, LOAD_RULE, SECRET_LOG, SECRET_PASSWORD, SECRET_TOKEN, startDiscordBot } from "./helpers/discord-harness.js";
import { BOT_USER, type Call, type FakeGuild, eventually, user } from "./helpers/fake-discord.js";

const bob = user("bob");
const alice = user("alice");
const me = BOT_USER as ReturnType<typeof user>;

describe("with the Message Content intent", () => {
  let bot: DiscordBot;
  beforeAll(async () => {
    bot = await startDiscordBot({ MAX_LOG_BYTES: "65536" });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  function place(): { g: FakeGuild; ch: string } {
    const g = bot.fake.addGuild();
    return { g, ch: bot.fake.addChannel(g) };
  }
  const posts = (channel: string) => bot.fake.callsTo("POST /channels/:id/messages").filter((c) => c.path === `/channels/${channel}/messages`);
  const postIn = (channel: string) => eventually(() => posts(channel)[0], `a message in ${channel}`);
  const threadsOn = (ch: string, msg: string) => bot.fake.callsTo("POST /channels/:id/messages/:id/threads").filter((c) => c.path === `/channels/${ch}/messages/${msg}/threads`);
  const handled = (id: string) => bot.waitHandled((h) => h.id === id, `message ${id} to be handled`);
  const embed = (c: Call) => c.body.embeds[0] as { title: string; description: string; fields: Array<{ name: string; value: string }> };

  it("answers a pasted log in a thread on it when a rule is sure, and ignores its own answer when Discord echoes it", async () => {
    const { g, ch } = place();
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: `CI broke:\n\`\`\`\n${LOAD_LOG}\n\`\`\`` });
    const thread = await eventually(() => threadsOn(ch, msg.id)[0], "the thread");
    expect(thread.body).toMatchObject({ auto_archive_duration: 1440 });
    expect(thread.body.name).toMatch(/^buildx-fix: .*--load/);
    expect(thread.body.name.length).toBeLessThanOrEqual(100);
    // Discord's thread on a message has the message's id.
    const answer = await postIn(msg.id);
    expect(embed(answer).description).toContain(LOAD_FIX);
    expect(answer.body.allowed_mentions).toEqual({ parse: [] });
    expect((await handled(msg.id)).outcome).toBe("answered");
    // The fake echoes the bot's own message as MESSAGE_CREATE, like Discord: it is ignored.
    expect(await handled(answer.response.id)).toMatchObject({ outcome: "ignored", detail: "self" });
    expect(posts(msg.id)).toHaveLength(1);
  });

  it("stays silent on a log it is not sure about, and on chatter", async () => {
    const { g, ch } = place();
    const unsure = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: SECRET_LOG });
    expect(await handled(unsure.id)).toMatchObject({ outcome: "not-confident", detail: "run-step-failed: medium" });
    const chat = bot.fake.postMessage({ guild: g, channelId: ch, author: alice, content: "anyone up for lunch?" });
    expect((await handled(chat.id)).outcome).toBe("not-confident");
    expect(threadsOn(ch, unsure.id)).toHaveLength(0);
    expect(posts(ch)).toHaveLength(0);
  });

  it("does nothing after `/buildx-fix auto off` in the channel, and answers again after `auto on`", async () => {
    const { g, ch } = place();
    const off = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "auto", options: { state: "off" } });
    await bot.waitHandled((h) => h.id === off.id, "auto off");
    const quiet = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: LOAD_LOG });
    expect(await handled(quiet.id)).toMatchObject({ outcome: "ignored", detail: "auto off" });
    expect(threadsOn(ch, quiet.id)).toHaveLength(0);

    const on = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "auto", options: { state: "on" } });
    await bot.waitHandled((h) => h.id === on.id, "auto on");
    const loud = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: LOAD_LOG });
    expect((await handled(loud.id)).outcome).toBe("answered");
    await postIn(loud.id);
  });

  it("ignores a log posted by the bot itself", async () => {
    const { g, ch } = place();
    const own = bot.fake.postMessage({ guild: g, channelId: ch, author: me, content: LOAD_LOG });
    expect(await handled(own.id)).toMatchObject({ outcome: "ignored", detail: "self" });
    expect(threadsOn(ch, own.id)).toHaveLength(0);
  });

  it("ignores another buildx-fix's answer (its feedback buttons), so two instances never talk to each other", async () => {
    const { g, ch } = place();
    const other = user("buildx-fix-staging", { bot: true });
    const components = [{ type: 1, components: [{ type: 2, style: 3, label: "Fixed it", custom_id: "bxf:fb:fixed:AAAAAAAAAAAA" }] }];
    const answer = bot.fake.postMessage({ guild: g, channelId: ch, author: other, embeds: [{ title: "cause", description: LOAD_LOG }], components });
    expect(await handled(answer.id)).toMatchObject({ outcome: "ignored", detail: "a buildx-fix answer" });
  });

  it("answers a CI webhook's post with the log in an embed", async () => {
    const { g, ch } = place();
    const ci = user("GitHub Actions", { bot: true });
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: ci, webhookId: "1300000000000000009", embeds: [{ title: "❌ build failed", description: LOAD_LOG }] });
    expect((await handled(msg.id)).outcome).toBe("answered");
    expect(embed(await postIn(msg.id)).title).toMatch(/--load/);
  });

  it("replies to the message instead when it may not start a thread", async () => {
    const { g, ch } = place();
    bot.fake.failNext("POST /channels/:id/messages/:id/threads", 403, 50013, "Missing Permissions");
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: LOAD_LOG });
    const reply = await postIn(ch);
    expect(reply.body.message_reference).toMatchObject({ message_id: msg.id });
    expect(embed(reply).title).toMatch(/--load/);
  });

  it("points at the first answer when the same failure is pasted again in the channel", async () => {
    const { g, ch } = place();
    const first = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: LOAD_LOG });
    const answer = await postIn(first.id);
    const again = bot.fake.postMessage({ guild: g, channelId: ch, author: alice, content: LOAD_LOG.replace("0.1s", "3.4s") });
    const note = await postIn(ch);
    expect(note.body.content).toBe(`Same failure as [the answer above](https://discord.com/channels/${g.id}/${first.id}/${answer.response.id}) (seen 2 times in the last hour).`);
    expect(note.body.message_reference).toMatchObject({ message_id: again.id });
    expect((await handled(again.id)).outcome).toBe("duplicate");
  });

  it("downloads a .log attachment of a pasted message, and says so when one is over the size limit", async () => {
    const { g, ch } = place();
    const log = bot.fake.addAttachment("build.log", LOAD_LOG);
    const withLog = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: "", attachments: [log] });
    expect(embed(await postIn(withLog.id)).fields).toContainEqual({ name: "Log", value: "from build.log", inline: true });

    const big = bot.fake.addAttachment("full.log", "x", { size: 200_000 });
    const tooBig = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: "", attachments: [big] });
    const reply = await postIn(ch);
    expect(reply.body.content).toBe("`full.log` is 195 KB, over the 64 KB limit: send the last part of the log (the failing step and the ERROR lines).");
    expect(reply.body.message_reference).toMatchObject({ message_id: tooBig.id });
    // Images and the like are not downloaded at all.
    const png = bot.fake.addAttachment("cat.png", Buffer.from([0x89, 0x50]), { contentType: "image/png" });
    const pic = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: "", attachments: [png] });
    expect(await handled(pic.id)).toMatchObject({ outcome: "ignored", detail: "no text" });
    expect(bot.fake.calls.some((c) => png.url.includes(c.path))).toBe(false);
  });

  it("answers an @mention with a log whatever the confidence, as a reply, masking secrets", async () => {
    const { g, ch } = place();
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: `<@${me.id}> why?\n${SECRET_LOG}`, mentions: [me] });
    const reply = await postIn(ch);
    expect(reply.body.message_reference).toMatchObject({ message_id: msg.id });
    expect(embed(reply).fields.find((f) => f.name === "Confidence")?.value).toMatch(/^medium · `run-step-failed/);
    expect((await handled(msg.id)).entry).toBe("mention");
    const sent = bot.fake.everythingSent();
    expect(sent).not.toContain(SECRET_TOKEN);
    expect(sent).not.toContain(SECRET_PASSWORD);
  });

  it("answers an @mention in a reply to a log message by replying to the log", async () => {
    const { g, ch } = place();
    bot.fake.postMessage({ guild: g, channelId: bot.fake.addChannel(g), author: bob, content: "warm-up" });
    const logMsg = bot.fake.messageObject({ guild: g, channelId: ch, author: bob, content: LOAD_LOG });
    const ask = bot.fake.postMessage({ guild: g, channelId: ch, author: alice, content: `<@${me.id}> what is this?`, mentions: [me], reference: logMsg });
    const reply = await postIn(ch);
    expect(reply.body.message_reference).toMatchObject({ message_id: logMsg.id });
    expect(embed(reply).fields).toContainEqual({ name: "Confidence", value: `high · \`${LOAD_RULE}\``, inline: true });
    expect((await handled(ask.id)).outcome).toBe("answered");
  });

  it("explains itself when mentioned without a log", async () => {
    const { g, ch } = place();
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: alice, content: `<@${me.id}> hi!`, mentions: [me] });
    const reply = await postIn(ch);
    expect(reply.body.content).toMatch(/^Mention me together with a build log/);
    expect((await handled(msg.id)).outcome).toBe("replied");
  });

  it("answers every log in a direct message, whatever the confidence, and explains itself otherwise", async () => {
    const dm = "1500000000000000001";
    const msg = bot.fake.postMessage({ channelId: dm, author: bob, content: SECRET_LOG });
    const reply = await postIn(dm);
    expect(reply.body.message_reference).toMatchObject({ message_id: msg.id });
    expect(embed(reply).fields.find((f) => f.name === "Confidence")?.value).toMatch(/^medium/);
    expect((await handled(msg.id)).outcome).toBe("answered");
    const hi = bot.fake.postMessage({ channelId: dm, author: bob, content: "hello?" });
    expect(await handled(hi.id)).toMatchObject({ outcome: "replied", detail: "no log" });
    expect(posts(dm)[1]!.body.content).toMatch(/^Mention me together with a build log/);
  });

  it("answers in Chinese when the pasted message is Chinese", async () => {
    const { g, ch } = place();
    const msg = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: `又失败了，怎么回事？\n${LOAD_LOG}` });
    const answer = await postIn(msg.id);
    expect(embed(answer).description).toContain("**解决方法**");
    expect(embed(answer).fields.map((f) => f.name)).toContain("置信度");
  });
});

describe("without the Message Content intent", () => {
  let bot: DiscordBot;
  beforeAll(async () => {
    bot = await startDiscordBot({ DISCORD_MESSAGE_CONTENT: "false" });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it("does not ask for the intent, cannot auto-detect (Discord sends no content), but mentions, commands and the menu work", async () => {
    const identify = bot.fake.connections[0]!.identify;
    expect(identify.intents & (1 << 15)).toBe(0);
    const g = bot.fake.addGuild();
    const ch = bot.fake.addChannel(g);
    // What Discord delivers for someone else's message without the intent: no content.
    const blind = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: "" });
    expect(await bot.waitHandled((h) => h.id === blind.id, "the blind message")).toMatchObject({ outcome: "ignored", detail: "no content (no Message Content intent)" });

    // Mentions of the bot carry their content anyway.
    const mention = bot.fake.postMessage({ guild: g, channelId: ch, author: bob, content: `<@${BOT_USER.id}> ${LOAD_LOG}`, mentions: [BOT_USER as ReturnType<typeof user>] });
    expect((await bot.waitHandled((h) => h.id === mention.id, "the mention")).outcome).toBe("answered");

    const auto = bot.fake.slashCommand({ guild: g, channelId: ch, from: alice, sub: "auto" });
    const cb = await eventually(() => bot.fake.interactionCalls(auto)[0], "the auto reply");
    expect(cb.body.data.content).toContain("without the Message Content intent");
  });
});
