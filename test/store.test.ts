// The keyv store against both backends: in-process, and the real Redis on this machine.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Store } from "../src/store/store.js";
import { REDIS_URL, SKIP_REASON, inCI, redisAvailable } from "./helpers/redis.js";

function contract(make: () => Store) {
  it("stores, reads back and deletes values", async () => {
    const store = make();
    const key = `t:${randomUUID()}`;
    expect(await store.get(key)).toBeUndefined();
    expect(await store.set(key, { hits: 2, rule: "disk-full" })).toBe(true);
    expect(await store.get(key)).toEqual({ hits: 2, rule: "disk-full" });
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
    await store.close();
  });

  it("counts atomically: 50 concurrent increments give 1..50, and hash fields add up", async () => {
    const store = make();
    const key = `t:${randomUUID()}`;
    const got = await Promise.all(Array.from({ length: 50 }, () => store.incr(key, 60_000)));
    expect([...got].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.hincr(`h:${key}`, i % 3 === 0 ? "wrong" : "fixed")));
    await store.hincr(`h:${key}`, "wrong", -1);
    expect(await store.hgetall(`h:${key}`)).toEqual({ fixed: 20, wrong: 9 });
    await store.close();
  });

  it("lets values expire", async () => {
    const store = make();
    const key = `t:${randomUUID()}`;
    await store.set(key, "x", 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.get(key)).toBeUndefined();
    await store.close();
  });
}

describe("in-process store", () => {
  contract(() => Store.create(undefined));
  it("drops expired entries that nobody reads again", async () => {
    // A plain Map kept each answer's state (~3.7 KB) forever: only a read of an expired key removed it.
    const store = Store.create(undefined, undefined, "t-purge", { purgeIntervalMs: 20 });
    await Promise.all(Array.from({ length: 300 }, (_, i) => store.set(`k${i}`, { answer: "x".repeat(100) }, 10)));
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.incr(`c${i}`, 10)));
    await store.set("kept", 1);
    expect(store.localEntries()).toBe(401);
    await new Promise((r) => setTimeout(r, 150));
    expect(store.localEntries()).toBe(1);
    expect(await store.get("kept")).toBe(1);
    await store.close();
  });

  it("refuses a KEYV_URL it cannot serve", () => {
    expect(() => Store.create("sqlite://x.db")).toThrow(/redis:\/\//);
  });
});

describe("Redis store", () => {
  it("is available in CI", () => {
    if (!redisAvailable && inCI) throw new Error(`CI must run the Redis tests, but ${SKIP_REASON}`);
  });

  describe.skipIf(!redisAvailable)(redisAvailable ? "against the real Redis" : SKIP_REASON, () => {
    contract(() => Store.create(REDIS_URL));

    it("is shared by two instances", async () => {
      const a = Store.create(REDIS_URL);
      const b = Store.create(REDIS_URL);
      const key = `t:${randomUUID()}`;
      await a.set(key, 41);
      expect(await b.get(key)).toBe(41);
      await Promise.all([a.close(), b.close()]);
    });
  });

  it("keeps answering (soft failures, healthy=false) when Redis is not there", async () => {
    const store = Store.create("redis://127.0.0.1:1");
    expect(await store.get("k")).toBeUndefined();
    expect(await store.set("k", 1)).toBe(false);
    expect(store.healthy).toBe(false);
    await store.close();
  });
});
