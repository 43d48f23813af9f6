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
