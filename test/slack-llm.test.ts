// An unknown failure in Slack with the LLM fallback configured (OPENAI_BASE_URL pointed at a
// fake OpenAI-compatible server): the answer is posted, marked as an AI suggestion, and what
// went to the model carried no secret from the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI, answerContent } from "./helpers/fake-openai.js";
import { until } from "./helpers/fake-slack.js";
import { type SlackBot, startSlackBot } from "./helpers/slack-harness.js";
import { channel } from "./helpers/slack-payloads.js";

const UNKNOWN_LOG = [
  "#1 [internal] load build definition from Dockerfile",
  "#9 [3/5] RUN ./frobnicate --token=s3cr3t-value-123 --all",
  "#9 0.512 frobnicate: matrix alignment lost in sector 7",
  "#9 0.513 frobnicate: giving up",
].join("\n");

let openai: FakeOpenAI;
let bot: SlackBot;
beforeAll(async () => {
  openai = await FakeOpenAI.start();
  bot = await startSlackBot({ OPENAI_BASE_URL: openai.baseURL, OPENAI_MODEL: "fake-model", OPENAI_API_KEY: "sk-test-not-real" });
});
afterAll(async () => {
  await bot?.stop();
  await openai?.close();
});

describe("Slack with the LLM fallback", () => {
  it("posts a marked AI suggestion for a failure no rule knows, and sends the model no secret", async () => {
    openai.script({ content: answerContent({ summary: "The frobnicate tool lost its matrix alignment; pin the tool version." }) });
    const ch = channel();
    await bot.command(UNKNOWN_LOG, { channel_id: ch });
    const post = await until(() => bot.fake.callsTo("chat.postMessage").find((c) => c.body.channel === ch), "the AI answer");
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain("AI suggestion, not a verified rule");
    expect(blocks).toContain("pin the tool version");
    expect(openai.requests).toHaveLength(1);
    expect(openai.sentText()).toContain("matrix alignment lost");
    expect(openai.requests[0]!.raw).not.toContain("s3cr3t-value-123");
  });

  it("never asks the model about a pasted log it would not answer unasked", async () => {
    const before = openai.requests.length;
    const ch = channel();
    await bot.event({ type: "message", channel: ch, user: "U0PERSON", text: UNKNOWN_LOG, ts: `${Date.now() / 1000}` });
    await until(() => bot.handled.find((h) => h.channel === ch), "the paste handled");
    expect(openai.requests.length).toBe(before);
  });
});
