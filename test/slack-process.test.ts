// `npm start` with Slack settings, as a real process: the adapter replaces local mode, in HTTP
// mode on the same port as /healthz, in Socket Mode over the fake's WebSocket.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBot } from "./helpers/bot-process.js";
import { APP_TOKEN, BOT_TOKEN, FakeSlack, TEAM, until } from "./helpers/fake-slack.js";
import { SIGNING_SECRET, signature, uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE, channel, personMessage } from "./helpers/slack-payloads.js";

let fake: FakeSlack;
beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake?.close();
});

const health = async (bot: BotProcess) => (await (await fetch(`${bot.url}/healthz`)).json()) as { adapters: string[] };

describe("npm start with Slack configured", () => {
  it("HTTP mode: serves signed Slack requests on POST /slack/events next to /healthz", async () => {
    const bot = await startBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_FILES_URL: fake.filesUrl });
    try {
      expect(bot.output()).toMatch(/Slack adapter running in HTTP mode/);
      expect(bot.output()).not.toMatch(/local mode/);
      expect((await health(bot)).adapters).toEqual(["slack"]);
      const ch = channel();
      const body = new URLSearchParams({ team_id: TEAM, channel_id: ch, user_id: "U0ALICE", command: "/buildx-fix", text: LOAD_LOG, response_url: fake.responseUrl(uniq("R")), trigger_id: uniq("T") }).toString();
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(`${bot.url}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(ts), "x-slack-signature": signature(SIGNING_SECRET, ts, body) },
        body,
      });
      expect(res.status).toBe(200);
      const post = await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "the answer");
      expect(JSON.stringify(post.body.blocks)).toContain(LOAD_RULE);
    } finally {
      await bot.stop();
    }
  });

  it("Socket Mode: connects to the WebSocket apps.connections.open hands out and answers from there", async () => {
    const before = fake.sockets.length;
    const bot = await startBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl, SLACK_FILES_URL: fake.filesUrl });
    try {
      expect(bot.output()).toMatch(/Slack adapter running in Socket Mode/);
      expect((await health(bot)).adapters).toEqual(["slack"]);
      const ws = await until(() => fake.sockets[before], "the bot's WebSocket");
      const ch = channel();
      const msg = personMessage(ch, LOAD_LOG);
      ws.send(JSON.stringify({ envelope_id: "env-process-1", type: "events_api", accepts_response_payload: false, payload: { team_id: TEAM, type: "event_callback", event_id: uniq("Ev"), event: msg } }));
      await until(() => fake.socketMessages.find((m) => m.envelope_id === "env-process-1"), "the ack");
      const post = await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "the answer");
      expect(post.body.thread_ts).toBe(msg.ts);
    } finally {
      await bot.stop();
    }
  });

  it("a bot token alone is not enough: says what is missing and stays in local mode", async () => {
    const bot = await startBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl });
    try {
      expect(bot.output()).toMatch(/Slack adapter not started: SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN \(Socket Mode\) or SLACK_SIGNING_SECRET \(HTTP mode\)/);
      expect((await health(bot)).adapters).toEqual(["local"]);
    } finally {
      await bot.stop();
    }
  });

  it("refuses a token of the wrong kind, naming the variable", async () => {
    const err = (await startBot({ SLACK_BOT_TOKEN: "xapp-oops", SLACK_SIGNING_SECRET: SIGNING_SECRET }).then(
      (b) => (b.stop(), new Error("started")),
      (e: unknown) => e,
    )) as Error & { output?: string };
    expect(err.output ?? err.message).toMatch(/SLACK_BOT_TOKEN: must be a bot token/);
  });
});
