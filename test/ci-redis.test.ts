// Dedupe of CI alerts across instances: Store.add is atomic in-process and on the real Redis,
// and two `npm start` processes behind a load balancer, sharing Redis (KEYV_URL), post one
// alert for the same failure and note the repeat in its thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../src/store/store.js";
import { type BotProcess, startBot } from "./helpers/bot-process.js";
import { CI_SECRET, signedPost } from "./helpers/ci-harness.js";
import { BOT_TOKEN, FakeSlack, until } from "./helpers/fake-slack.js";
import { REDIS_URL, SKIP_REASON, inCI, redisAvailable } from "./helpers/redis.js";
import { uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";

describe("Store.add (set if absent)", () => {
  it("in-process: exactly one of many concurrent adds wins; get reads the value; it expires", async () => {
    const store = Store.create(undefined);
    const key = uniq("claim:");
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.add(key, { who: i }, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.get(key)).toEqual({ who: wins.indexOf(true) });
    const short = uniq("claim:");
    expect(await store.add(short, 1, 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.add(short, 2, 60_000)).toBe(true);
    expect(await store.get(short)).toBe(2);
  });

  it("runs where CI requires it", () => {
    if (!redisAvailable && inCI) throw new Error(`CI must run the Redis tests, but ${SKIP_REASON}`);
  });

  it.skipIf(!redisAvailable)(redisAvailable ? "Redis: two stores (two instances) race; one wins, both read the winner's value" : SKIP_REASON, async () => {
    const a = Store.create(REDIS_URL);
    const b = Store.create(REDIS_URL);
    try {
      const key = uniq("claim:");
      const wins = await Promise.all([...Array.from({ length: 10 }, (_, i) => a.add(key, { who: `a${i}` }, 60_000)), ...Array.from({ length: 10 }, (_, i) => b.add(key, { who: `b${i}` }, 60_000))]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = wins.indexOf(true);
      const expected = { who: winner < 10 ? `a${winner}` : `b${winner - 10}` };
      expect(await a.get(key)).toEqual(expected);
      expect(await b.get(key)).toEqual(expected);
      const short = uniq("claim:");
      expect(await a.add(short, 1, 50)).toBe(true);
      await new Promise((r) => setTimeout(r, 120));
      expect(await b.add(short, 2, 60_000)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe.skipIf(!redisAvailable)(redisAvailable ? "two bot processes, one Redis" : SKIP_REASON, () => {
  let fake: FakeSlack;
  let a: BotProcess;
  let b: BotProcess;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    const env = { CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, KEYV_URL: REDIS_URL, CI_ALERT_SLACK_CHANNEL: "CREDISDEF" };
    [a, b] = await Promise.all([startBot(env), startBot(env)]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await fake?.close();
  });

  it("the same failure sent to both at once: one alert, one 'seen 2 times' in its thread", async () => {
    const ch = uniq("CREDIS");
    const body = (run: number) => ({ log: LOAD_LOG, repo: uniq("acme/redis-"), branch: "main", target: `slack:${ch}`, runUrl: `https://ci.example.com/runs/${run}` });
    const first = body(1);
    const second = { ...first, runUrl: "https://ci.example.com/runs/2" };
    const [ra, rb] = await Promise.all([signedPost(`${a.url}/ci/alert`, first), signedPost(`${b.url}/ci/alert`, second)]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    expect(((await ra.json()) as { ruleId: string }).ruleId).toBe(LOAD_RULE);
    const posted = () => fake.callsTo("chat.postMessage").filter((c) => c.body.channel === ch);
    const [x, y] = await until(() => (posted().length >= 2 ? posted() : undefined), "both posts");
    const alert = [x!, y!].find((c) => c.body.blocks)!;
    const note = [x!, y!].find((c) => !c.body.blocks)!;
    expect(alert).toBeDefined();
    expect(note).toBeDefined();
    expect(note.body.thread_ts).toBe(alert.response!.ts);
    expect(String(note.body.text)).toContain("Seen 2 times");

    // A third from either instance counts on.
    expect((await signedPost(`${a.url}/ci/alert`, { ...first, runUrl: "https://ci.example.com/runs/3" })).status).toBe(202);
    const third = await until(() => posted()[2], "the third");
    expect(String(third.body.text)).toContain("Seen 3 times");
    expect(third.body.thread_ts).toBe(alert.response!.ts);
    expect(posted().filter((c) => c.body.blocks)).toHaveLength(1);
  });
});
