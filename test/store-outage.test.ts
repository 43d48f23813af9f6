// Redis going away under a running bot: a private redis-server on a free loopback port is
// killed mid-test. The bot must keep answering (within STORE_TIMEOUT_MS, not when Redis is
// back), say so once in its log and on /healthz, say once that Redis is back, and a CI alert
// answered 202 during the outage must survive a crash of the bot (write-ahead journal).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBot } from "./helpers/bot-process.js";
import { signedPost } from "./helpers/ci-harness.js";
import { BOT_TOKEN, FakeSlack, until } from "./helpers/fake-slack.js";
import { NO_REDIS_SERVER, PrivateRedis, redisServerInstalled } from "./helpers/private-redis.js";
import { type SlackBot, startSlackBot, uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, channel } from "./helpers/slack-payloads.js";

const CI_SECRET = "ci-webhook-secret-for-outage-tests-0123";

describe.skipIf(!redisServerInstalled)(redisServerInstalled ? "Redis killed under a running bot" : NO_REDIS_SERVER, () => {
  let redis: PrivateRedis;
  let fake: FakeSlack;
  let bot: SlackBot;
  const lines: Array<{ level: number; msg: string }> = [];
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    fake = await FakeSlack.start();
    const log = pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) });
    bot = await startSlackBot({ KEYV_URL: redis.url, STORE_TIMEOUT_MS: "200" }, fake, uniq("bxf-outage-"), log);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await redis?.kill();
  });

  async function answered(n: number): Promise<void> {
    const ch = channel();
    await bot.command(LOAD_LOG.replace("shuangpin", `outage${n}`), { channel_id: ch });
    await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), `answer ${n} posted`);
  }
  const said = (text: string) => lines.filter((l) => l.msg.startsWith(text)).length;

  it("answers while Redis is down, says so once, and once when it is back", async () => {
    await answered(0);
    expect(bot.service.store.status()).toMatchObject({ kind: "redis", healthy: true });

    await redis.kill();
    // Before the store had timeouts, these answers waited in the Redis client's queue until
    // Redis came back: nothing was posted and `until` gave up.
    for (const n of [1, 2, 3]) await answered(n);
    expect(bot.service.store.status()).toMatchObject({ healthy: false });
    const health = (await (await fetch(`${bot.url}/healthz`)).json()) as { status: string; store: { healthy: boolean; lastError?: string } };
    expect(health.status).toBe("degraded");
    expect(health.store.healthy).toBe(false);
    expect(said("state store unavailable")).toBe(1);

    await redis.start();
    // The client reconnects by itself (backoff up to 2 s); answers go on meanwhile.
    for (let n = 4; !bot.service.store.healthy; n++) {
      if (n > 200) throw new Error("the store did not come back");
      await answered(n);
      await new Promise((r) => setTimeout(r, 50));
    }
    await answered(1000);
    expect(said("state store unavailable")).toBe(1);
    expect(said("state store is back")).toBe(1);
  });
});

describe.skipIf(!redisServerInstalled)(redisServerInstalled ? "a CI alert accepted during an outage, then a crash" : NO_REDIS_SERVER, () => {
  let redis: PrivateRedis;
  let fake: FakeSlack;
  let first: BotProcess | undefined;
  let second: BotProcess | undefined;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    fake = await FakeSlack.start();
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await fake?.close();
    await redis?.kill();
  });

  it("is posted by the restarted bot", async () => {
    const ch = channel();
    const env = {
      CI_WEBHOOK_SECRET: CI_SECRET,
      CI_ALERT_SLACK_CHANNEL: ch,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      KEYV_URL: redis.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), "bxf-journal-")),
    };
    await redis.kill();
    // Slack hangs: the alert is accepted but cannot be posted before the bot dies.
    fake.held.add("chat.postMessage");
    first = await startBot(env);
    const res = await signedPost(`${first.url}/ci/alert`, { repo: "acme/journal", branch: "main", log: LOAD_LOG }, { secret: CI_SECRET });
    expect(res.status).toBe(202);
    await until(() => fake.calls.find((c) => c.method === "chat.postMessage" && c.body.channel === ch), "the post under way");
    const dead = new Promise((r) => first!.child.once("exit", r));
    first.child.kill("SIGKILL");
    await dead;
    first = undefined;
    fake.held.clear();

    second = await startBot(env);
    const posted = await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "the alert posted after the restart");
    expect(String(posted.body.text)).toContain("acme/journal");
    expect(second.output()).toContain("delivering CI alerts accepted before the restart");
  });
});
