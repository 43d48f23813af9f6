// Answers per rule per day (the web console's "causes over time"): counted by BotService's
// recordHit, summed over workspaces, aligned on days ending today.
import { describe, expect, it } from "vitest";
import { BotService } from "../src/core/bot-service.js";
import { StatsHistory, dayOf } from "../src/core/stats-history.js";
import { Store } from "../src/store/store.js";
import { builtinEngine } from "./helpers/engine.js";

const DAY = 24 * 60 * 60 * 1000;

describe("stats history", () => {
  it("counts per rule and day, over the workspaces asked for", async () => {
    const history = new StatsHistory(Store.create(undefined));
    const now = Date.parse("2026-12-03T10:00:00Z");
    await history.record("T1", "platform-mismatch", now - 2 * DAY);
    await history.record("T1", "platform-mismatch", now);
    await history.record("T2", "platform-mismatch", now);
    await history.record("T2", "rate-limited", now - DAY);
    await history.record("T2", "rate-limited", now - 9 * DAY);

    const both = await history.series(["T1", "T2"], 3, now);
    expect(both.days).toEqual(["2026-12-01", "2026-12-02", "2026-12-03"]);
    expect(Object.fromEntries(both.byRule)).toEqual({ "platform-mismatch": [1, 0, 2], "rate-limited": [0, 1, 0] });
    const one = await history.series(["T1"], 3, now);
    expect(Object.fromEntries(one.byRule)).toEqual({ "platform-mismatch": [1, 0, 1] });
    expect(new Set(await history.workspaces())).toEqual(new Set(["T1", "T2"]));
    expect(dayOf(now)).toBe("2026-12-03");
  });

  it("is fed by BotService.recordHit (every adapter's answers)", async () => {
    const service = new BotService(builtinEngine(), Store.create(undefined));
    await service.recordHit("T9", "network-failure");
    await service.recordHit("T9", "network-failure");
    const s = await service.history.series(await service.history.workspaces(), 1);
    expect(s.byRule.get("network-failure")).toEqual([2]);
  });
});
