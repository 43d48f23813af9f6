// `npm start` with no chat tokens: local mode, in-process storage, /healthz on PORT.
import { describe, expect, it } from "vitest";
import { type BotProcess, startBot } from "./helpers/bot-process.js";
import { ruleData, ruleDir } from "./helpers/rules.js";

describe("npm start without chat tokens", () => {
  it("says it runs in local mode and serves GET /healthz", async () => {
    const bot: BotProcess = await startBot();
    try {
      expect(bot.output()).toMatch(/running in local mode with in-process storage/);
      const res = await fetch(`${bot.url}/healthz`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; rules: number; adapters: string[]; store: { kind: string } };
      expect(body).toMatchObject({ status: "ok", adapters: ["local"], store: { kind: "memory" } });
      expect(body.rules).toBeGreaterThanOrEqual(35);
    } finally {
      await bot.stop();
    }
  });

  it("refuses to start with a broken rule file, naming the file, rule and field", async () => {
    const dir = ruleDir({ "broken.yaml": ruleData("broken", { fix: [] }) });
    const err = (await startBot({ RULES_DIR: dir }).then(
      (b) => (b.stop(), new Error("started")),
      (e: unknown) => e,
    )) as Error & { output?: string };
    expect(err.output ?? err.message).toMatch(/broken\.yaml: rule \\?"broken\\?", field fix/);
  });

  it("refuses a bad setting with the variable's name", async () => {
    const err = (await startBot({ PORT: "not-a-port" }).then(
      (b) => (b.stop(), new Error("started")),
      (e: unknown) => e,
    )) as Error & { output?: string };
    expect(err.output ?? err.message).toMatch(/PORT/);
  });
});
