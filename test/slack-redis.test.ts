// Two bot instances behind a load balancer, sharing the real Redis (KEYV_URL): a log answered by
// one instance is recognised as a repeat by the other, and feedback counts in one place.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack, TEAM, until } from "./helpers/fake-slack.js";
import { REDIS_URL, SKIP_REASON, inCI, redisAvailable } from "./helpers/redis.js";
import { type SlackBot, startSlackBot, uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE, buttonClick, channel, personMessage } from "./helpers/slack-payloads.js";

describe("Slack adapter on a shared Redis store", () => {
  it("runs where CI requires it", () => {
    if (!redisAvailable && inCI) throw new Error(`CI must run the Redis tests, but ${SKIP_REASON}`);
  });

  describe.skipIf(!redisAvailable)(redisAvailable ? "two instances, one Redis" : SKIP_REASON, () => {
    let fake: FakeSlack;
    let a: SlackBot;
    let b: SlackBot;
    beforeAll(async () => {
      fake = await FakeSlack.start();
      const namespace = uniq("bxf-slack-redis-");
      a = await startSlackBot({ KEYV_URL: REDIS_URL }, fake, namespace);
      b = await startSlackBot({ KEYV_URL: REDIS_URL }, fake, namespace);
    });
    afterAll(async () => {
      await a?.stop();
      await b?.stop();
      await fake?.close();
    });

    it("dedupes across instances and keeps one tally", async () => {
      const ch = channel();
      const msg = personMessage(ch, LOAD_LOG);
      await a.event(msg);
      // Done means posted, located and counted (the answer is posted before it is recorded).
      await a.waitHandled((h) => h.ts === msg.ts && h.outcome === "answered", "instance A done");
      const first = await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "answer from instance A");
      const again = personMessage(ch, LOAD_LOG);
      await b.event(again);
      const short = await until(() => fake.callsTo("chat.postMessage").filter((c) => c.body.channel === ch)[1], "reply from instance B");
      expect(short.body.thread_ts).toBe(again.ts);
      expect(String(short.body.text)).toContain(`p${String(first.response!.ts).replace(".", "")}`);

      const posted = { channel: ch, ts: String(first.response!.ts), text: String(first.body.text), blocks: first.body.blocks as unknown[] };
      // One click after the other: BotService counts with read-modify-write on the store, which
      // each instance queues for itself but two instances do not coordinate.
      await a.interaction(buttonClick(fake, posted, "bxf_feedback_fixed", "U0ONE"));
      await until(() => fake.callsTo("chat.update").some((c) => JSON.stringify(c.body.blocks).includes("✅ 1 fixed it")), "tally of the first vote");
      await b.interaction(buttonClick(fake, posted, "bxf_feedback_fixed", "U0TWO"));
      await until(() => fake.callsTo("chat.update").some((c) => JSON.stringify(c.body.blocks).includes("✅ 2 fixed it")), "tally of two votes");
      expect((await a.service.stats(TEAM)).find((r) => r.ruleId === LOAD_RULE)).toMatchObject({ hits: 1, fixed: 2, wrong: 0 });
    });

    it("counts every vote when many people click at once on one instance", async () => {
      const ch = channel();
      await a.command(LOAD_LOG.replace("cloudsmithy", "many"), { channel_id: ch });
      await a.waitHandled((h) => h.channel === ch && h.outcome === "answered", "the answer recorded");
      const answer = await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "the answer");
      const posted = { channel: ch, ts: String(answer.response!.ts), text: String(answer.body.text), blocks: answer.body.blocks as unknown[] };
      const users = ["U01", "U02", "U03", "U04", "U05", "U06"];
      await Promise.all(users.map((u) => a.interaction(buttonClick(fake, posted, "bxf_feedback_wrong", u))));
      const updates = () => fake.callsTo("chat.update").filter((c) => c.body.ts === posted.ts);
      await until(() => updates().length >= users.length, "an update per click");
      const counts = updates().map((c) => Number(/❌ (\d+) wrong/.exec(JSON.stringify(c.body.blocks))?.[1]));
      expect(Math.max(...counts)).toBe(users.length);
    });
  });
});
