// Nothing the bot posts in Slack notifies anyone: `<!channel>`, `<!here>`, `<!everyone>`, user
// and group mentions from a log (a failing RUN command quoted in the summary) or from a model
// are escaped in the message's `text` (what notifications show, parsed as mrkdwn) as in its
// blocks. Through the Slack adapter to the fake Slack, and for CI alerts' own lead line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSlackAlert } from "../src/alerts/render.js";
import { renderSlackAnswer } from "../src/renderers/slack-blocks.js";
import type { DiagnoseResult } from "../src/engine/types.js";
import { builtinEngine } from "./helpers/engine.js";
import { FakeSlack, until } from "./helpers/fake-slack.js";
import { type SlackBot, startSlackBot } from "./helpers/slack-harness.js";
import { channel } from "./helpers/slack-payloads.js";

const PINGS = "<!channel> <!here> <!everyone> <@U0BOSS> <!subteam^S0OPS>";
const LOG = [
  "docker buildx build -t acme/api:1.2 .",
  `#7 [4/5] RUN ./notify.sh '${PINGS} build broke' && exit 3`,
  `#7 ERROR: process "/bin/sh -c ./notify.sh '${PINGS} build broke' && exit 3" did not complete successfully: exit code: 3`,
  `ERROR: failed to solve: process "/bin/sh -c ./notify.sh '${PINGS} build broke' && exit 3" did not complete successfully: exit code: 3`,
].join("\n");

/** Every string Slack parses as mrkdwn: `text`, and mrkdwn text objects in blocks. */
function mrkdwnOf(body: { text?: unknown; blocks?: unknown }): string[] {
  const out = [String(body.text ?? "")];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(body.blocks);
  return out;
}

function expectNoPing(body: { text?: unknown; blocks?: unknown }): void {
  for (const s of mrkdwnOf(body)) expect(s).not.toMatch(/<[!@#]/);
}

describe("Slack answers", () => {
  let fake: FakeSlack;
  let bot: SlackBot;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    bot = await startSlackBot({}, fake);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it("escape mentions from the log in the text fallback and the blocks", async () => {
    const ch = channel();
    await bot.command(LOG, { channel_id: ch });
    const post = await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "the answer");
    expectNoPing(post.body);
    // Shown, escaped: the check is not vacuous.
    expect(String(post.body.text)).toContain("&lt;!channel&gt;");
  });
});

describe("rendered text", () => {
  const model: DiagnoseResult = {
    ...builtinEngine().diagnose(LOG),
  };
  const first = model.diagnoses[0]!;
  const ai: DiagnoseResult = {
    ...model,
    source: "llm",
    diagnoses: [{ ...first, title: "<!here> cache corrupted", summary: "Tell <!channel> and <@U0BOSS>.", fix: [{ description: "<!everyone>", command: "echo '<!here>'" }] }, first],
  };

  it("escapes what a model wrote, in the answer and in a CI alert's lead line", () => {
    expectNoPing(renderSlackAnswer(ai, { answerId: "a1" }));
    const alert = renderSlackAlert(ai, { repo: "acme/<!here>", branch: "<!channel>" }, "a1");
    expectNoPing(alert);
    expect(alert.text).toContain("&lt;!here&gt; cache corrupted");
  });
});
