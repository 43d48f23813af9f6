// Rate limits that hold under a burst: one person fires 200 slash commands at once with a limit
// of 10 a minute. Across two instances sharing Redis, and within one in-process instance,
// exactly 10 are answered and the other 190 are told to wait. (Counted with a read, then a
// write, 181 of 200 were answered across two instances.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack, until } from "./helpers/fake-slack.js";
import { REDIS_URL, SKIP_REASON, inCI, redisAvailable } from "./helpers/redis.js";
import { type SlackBot, startSlackBot, uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG } from "./helpers/slack-payloads.js";

const LIMIT = { SLACK_USER_RATE_LIMIT: "10", SLACK_CHANNEL_RATE_LIMIT: "1000" };

/** Fires `n` commands from one person, spread over `bots`, all at once; counts the outcomes. */
async function burst(bots: SlackBot[], n: number) {
  const user = uniq("U");
  const channel = uniq("C");
  await Promise.all(
    Array.from({ length: n }, (_, i) => bots[i % bots.length]!.command(LOAD_LOG.replace("shuangpin", `burst${i}`), { user_id: user, channel_id: channel })),
  );
  const mine = () => bots.flatMap((b) => b.handled.filter((h) => h.channel === channel));
  await until(() => mine().length >= n && mine(), `${n} commands handled`, 60_000);
  const outcomes = mine().map((h) => h.outcome);
  // A repeat of a failure gets a link to the first answer: served all the same.
  return { answered: outcomes.filter((o) => o === "answered" || o === "duplicate").length, limited: outcomes.filter((o) => o === "rate-limited").length };
}

describe("in-process store", () => {
  let fake: FakeSlack;
  let bot: SlackBot;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    bot = await startSlackBot(LIMIT, fake);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it("answers exactly 10 of 200 concurrent commands", async () => {
    expect(await burst([bot], 200)).toEqual({ answered: 10, limited: 190 });
  });
});

describe("two instances sharing Redis", () => {
  it("runs where CI requires it", () => {
    if (!redisAvailable && inCI) throw new Error(`CI must run the Redis tests, but ${SKIP_REASON}`);
  });

  describe.skipIf(!redisAvailable)(redisAvailable ? "one Redis" : SKIP_REASON, () => {
    let fake: FakeSlack;
    let a: SlackBot;
    let b: SlackBot;
    beforeAll(async () => {
      fake = await FakeSlack.start();
      const namespace = uniq("bxf-rate-");
      a = await startSlackBot({ ...LIMIT, KEYV_URL: REDIS_URL }, fake, namespace);
      b = await startSlackBot({ ...LIMIT, KEYV_URL: REDIS_URL }, fake, namespace);
    });
    afterAll(async () => {
      await a?.stop();
      await b?.stop();
      await fake?.close();
    });

    it("answers exactly 10 of 200 concurrent commands, wherever they land", async () => {
      expect(await burst([a, b], 200)).toEqual({ answered: 10, limited: 190 });
    });
  });
});
