// The shared service every chat surface uses, on both store backends.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BotService } from "../src/core/bot-service.js";
import { normalizeForFingerprint } from "../src/core/fingerprint.js";
import { Store } from "../src/store/store.js";
import { engineOf, ruleData } from "./helpers/rules.js";
import { REDIS_URL, SKIP_REASON, redisAvailable } from "./helpers/redis.js";

const engine = engineOf(ruleData("boom-rule"));
const LOG = "#1 [internal] load build definition from Dockerfile\n#7 12.3 boom x after 1.2s";

function suite(makeStore: () => Store) {
  const service = () => new BotService(engine, makeStore());

  it("gives the same failure the same fingerprint across runs, and different failures different ones", () => {
    const s = service();
    const a = s.diagnose(LOG).fingerprint;
    const b = s.diagnose(LOG.replace("12.3", "45.6").replace("1.2s", "9.9s")).fingerprint;
    const c = s.diagnose("#1 [internal] load build definition\nsomething else entirely").fingerprint;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("dedupes within a scope and counts repeats", async () => {
    const s = service();
    const scope = `chan-${randomUUID()}`;
    expect(await s.dedupe(scope, "fp", { ts: "1" })).toBeUndefined();
    expect(await s.dedupe(scope, "fp", { ts: "2" })).toEqual({ ref: { ts: "1" }, count: 2 });
    expect(await s.dedupe(`${scope}-other`, "fp", { ts: "3" })).toBeUndefined();
  });

  it("records one vote per person per answer, and stats per rule", async () => {
    const s = service();
    const ws = `ws-${randomUUID()}`;
    await s.recordHit(ws, "disk-full");
    await s.recordHit(ws, "disk-full");
    await s.recordHit(ws, "rate-limited");
    expect(await s.recordFeedback(ws, "answer-1", "disk-full", "alice", "fixed")).toEqual({ fixed: 1, wrong: 0 });
    expect(await s.recordFeedback(ws, "answer-1", "disk-full", "alice", "fixed")).toEqual({ fixed: 1, wrong: 0 });
    expect(await s.recordFeedback(ws, "answer-1", "disk-full", "bob", "wrong")).toEqual({ fixed: 1, wrong: 1 });
    expect(await s.recordFeedback(ws, "answer-1", "disk-full", "alice", "wrong")).toEqual({ fixed: 0, wrong: 2 });
    expect(await s.stats(ws)).toEqual([
      { ruleId: "disk-full", hits: 2, fixed: 0, wrong: 2 },
      { ruleId: "rate-limited", hits: 1, fixed: 0, wrong: 0 },
    ]);
  });

  it("keeps per-channel settings", async () => {
    const s = service();
    const ws = `ws-${randomUUID()}`;
    expect(await s.channelSetting(ws, "C1", "auto", true)).toBe(true);
    await s.setChannelSetting(ws, "C1", "auto", false);
    expect(await s.channelSetting(ws, "C1", "auto", true)).toBe(false);
    expect(await s.channelSetting(ws, "C2", "auto", true)).toBe(true);
  });

  it("rate-limits per key within a window", async () => {
    const s = service();
    const key = `user-${randomUUID()}`;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await s.allow(key, 3, 60_000));
    expect(results).toEqual([true, true, true, false]);
  });
}

describe("BotService on the in-process store", () => suite(() => Store.create(undefined)));
describe.skipIf(!redisAvailable)(redisAvailable ? "BotService on Redis" : SKIP_REASON, () => suite(() => Store.create(REDIS_URL)));

describe("fingerprint normalisation", () => {
  it("drops what changes between runs of the same failure", () => {
    expect(normalizeForFingerprint("#12 3.456 sha256:4f9c2a1b7e3d8c0a ERROR after 12.5s, 30MB")).toBe(normalizeForFingerprint("#40 0.001 sha256:aaaabbbbccccdddd ERROR after 1s, 2MB"));
  });
});
