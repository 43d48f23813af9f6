// Long logs (uploads, attachments, CI logs) are diagnosed in a worker thread so the bot's event
// loop keeps acking; the answer must be the one the main thread would give, team rules included.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BotService } from "../src/core/bot-service.js";
import { createEngine } from "../src/engine/index.js";
import { InputError } from "../src/engine/normalize.js";
import { OffThreadDiagnoser } from "../src/engine/off-thread.js";
import { Store } from "../src/store/store.js";
import { ROOT } from "./helpers/cli.js";
import { ruleData, ruleDir } from "./helpers/rules.js";
import { pino } from "pino";

// The compiled worker (npm test builds first): a worker thread cannot load TypeScript.
const workerUrl = new URL(`file://${join(ROOT, "dist", "src", "engine", "diagnose-worker.js")}`);
const LOGS = join(import.meta.dirname, "fixtures", "logs");
/** A corpus log with a known cause. */
const LOG = readFileSync(join(LOGS, readdirSync(LOGS).filter((f) => f.endsWith(".log") && !f.startsWith("none")).sort()[0]!), "utf8");
/** The log behind a lot of benign build chatter, past the worker threshold. */
const long = (log: string, chars: number) => `${"#7 12.3 Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\n".repeat(Math.ceil(chars / 70))}${log}`;

const open: OffThreadDiagnoser[] = [];
afterAll(async () => Promise.all(open.map((d) => d.close())));
function diagnoser(engine = createEngine(), o: ConstructorParameters<typeof OffThreadDiagnoser>[1] = {}): OffThreadDiagnoser {
  const d = new OffThreadDiagnoser(engine, { workerUrl, minChars: 50_000, ...o });
  open.push(d);
  return d;
}

describe("OffThreadDiagnoser", () => {
  it("gives a long log the same answer as the main thread, from the worker", async () => {
    const engine = createEngine();
    const d = diagnoser(engine);
    const text = long(LOG, 200_000);
    const got = await d.diagnose(text, { lang: "en" });
    expect(d.completed).toBe(1);
    expect(got).toEqual(engine.diagnose(text, { lang: "en" }));
    expect(got.diagnoses[0]?.ruleId).toBeTruthy();
  });

  it("keeps a short paste on the main thread", async () => {
    const d = diagnoser();
    await d.diagnose(LOG);
    expect(d.completed).toBe(0);
  });

  it("loads the team's rule folders in the worker too", async () => {
    const dir = ruleDir({ "team-boom.yaml": ruleData("team-boom", { match: { keywords: ["kaboom-from-the-team"], any: ["kaboom-from-the-team (?<thing>\\w+)"] } }) });
    const engine = createEngine({ extraDirs: [dir] });
    const d = diagnoser(engine, { extraDirs: [dir] });
    const got = await d.diagnose(long("#9 ERROR: kaboom-from-the-team now\n", 100_000));
    expect(d.completed).toBe(1);
    expect(got.diagnoses[0]?.ruleId).toBe("team-boom");
  });

  it("refuses binary input with the same InputError as the main thread", async () => {
    const d = diagnoser();
    await expect(d.diagnose("\u0000\u0001\u0002\u0003".repeat(40_000))).rejects.toBeInstanceOf(InputError);
  });

  it("answers on the main thread when the worker cannot start", async () => {
    const engine = createEngine();
    const d = diagnoser(engine, { extraDirs: ["/nonexistent/rules"] });
    const text = long(LOG, 100_000);
    expect(await d.diagnose(text)).toEqual(engine.diagnose(text));
  });
});

describe("BotService with a worker", () => {
  it("answers a long log through the worker", async () => {
    const engine = createEngine();
    const d = diagnoser(engine);
    const service = new BotService(engine, Store.create(undefined, pino({ level: "silent" }), "off-thread-test"), undefined, d);
    const text = long(LOG, 120_000);
    const answered = await service.answer(text, { llm: false });
    expect(d.completed).toBe(1);
    expect(answered).toEqual(service.diagnose(text));
  });
});
