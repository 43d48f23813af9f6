// Which receiver the settings choose, and Socket Mode end to end: apps.connections.open on the
// fake Web API hands out a ws:// URL on the fake, which says hello and sends envelopes; the
// bot acks each one and posts its answer through the Web API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseSlackMode } from "../src/adapters/slack/receiver.js";
import { APP_TOKEN, FakeSlack, TEAM, until } from "./helpers/fake-slack.js";
import { type SlackBot, startSlackBot, uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE, channel, newTs, personMessage } from "./helpers/slack-payloads.js";

describe("choosing the Slack mode", () => {
  it("Socket Mode with an app token, HTTP with a signing secret, nothing (and why) otherwise", () => {
    expect(chooseSlackMode({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_SIGNING_SECRET: "s" })).toEqual({ mode: "socket" });
    expect(chooseSlackMode({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" })).toEqual({ mode: "http" });
    expect(chooseSlackMode({})).toEqual({ mode: undefined });
    expect(chooseSlackMode({ SLACK_BOT_TOKEN: "xoxb-1" }).why).toMatch(/SLACK_APP_TOKEN.*SLACK_SIGNING_SECRET/);
    expect(chooseSlackMode({ SLACK_APP_TOKEN: "xapp-1" }).why).toMatch(/SLACK_BOT_TOKEN is missing/);
  });
});

describe("Socket Mode", () => {
  let fake: FakeSlack;
  let bot: SlackBot;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    bot = await startSlackBot({ SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: "" }, fake);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it("connects with the app token through apps.connections.open", () => {
    expect(bot.adapter.mode).toBe("socket");
    const open = fake.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]!.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(fake.sockets).toHaveLength(1);
  });

  it("acks an events_api envelope and answers the pasted log in its thread", async () => {
    const ch = channel();
    const msg = personMessage(ch, LOAD_LOG);
    const envelope = uniq("env-");
    fake.socketSend({
      envelope_id: envelope,
      type: "events_api",
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: "",
      payload: { team_id: TEAM, api_app_id: "A0APP", type: "event_callback", event_id: uniq("Ev"), event_time: 1690000000, event: msg },
    });
    await until(() => fake.socketMessages.find((m) => m.envelope_id === envelope), "the envelope's ack");
    const post = await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "the answer");
    expect(post.body.thread_ts).toBe(msg.ts);
    expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
  });

  it("acks a slash command envelope and posts the answer in the channel", async () => {
    const ch = channel();
    const envelope = uniq("env-");
    fake.socketSend({
      envelope_id: envelope,
      type: "slash_commands",
      accepts_response_payload: true,
      payload: {
        token: "verification-token",
        team_id: TEAM,
        team_domain: "fake-team",
        channel_id: ch,
        channel_name: "builds",
        user_id: "U0ALICE",
        user_name: "alice",
        command: "/buildx-fix",
        text: LOAD_LOG,
        api_app_id: "A0APP",
        response_url: fake.responseUrl(uniq("R")),
        trigger_id: uniq("TRIG"),
      },
    });
    await until(() => fake.socketMessages.find((m) => m.envelope_id === envelope), "the command's ack");
    const post = await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "the answer");
    expect(post.body.thread_ts).toBeUndefined();
    expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
  });

  it("does not serve POST /slack/events (Socket Mode needs no public endpoint)", async () => {
    const res = await fetch(`${bot.url}/slack/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ts: newTs() }) });
    expect(res.status).toBe(404);
  });

  it("closes the WebSocket on stop", async () => {
    const ws = fake.sockets[0]!;
    const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
    await bot.adapter.stop();
    await closed;
  });
});
