// An unknown failure in Discord with the LLM fallback configured (OPENAI_BASE_URL pointed at a
// fake OpenAI-compatible server): the embed is marked as an AI suggestion.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordBot, startDiscordBot } from "./helpers/discord-harness.js";
import { eventually, user } from "./helpers/fake-discord.js";
import { FakeOpenAI, answerContent } from "./helpers/fake-openai.js";

const UNKNOWN_LOG = [
  "#1 [internal] load build definition from Dockerfile",
  "#9 [3/5] RUN ./frobnicate --all",
  "#9 0.512 frobnicate: matrix alignment lost in sector 7",
].join("\n");

let openai: FakeOpenAI;
let bot: DiscordBot;
beforeAll(async () => {
  openai = await FakeOpenAI.start();
  bot = await startDiscordBot({ OPENAI_BASE_URL: openai.baseURL, OPENAI_MODEL: "fake-model", OPENAI_API_KEY: "sk-test-not-real" });
});
afterAll(async () => {
  await bot?.stop();
  await openai?.close();
});

describe("Discord with the LLM fallback", () => {
  it("answers a failure no rule knows with an embed marked as an AI suggestion", async () => {
    openai.script({ content: answerContent({ summary: "The frobnicate tool lost its matrix alignment; pin the tool version." }) });
    const g = bot.fake.addGuild({});
    const ch = bot.fake.addChannel(g);
    const i = bot.fake.slashCommand({ guild: g, channelId: ch, from: user("carol"), sub: "diagnose", options: { log: UNKNOWN_LOG } });
    const edit = await eventually(() => bot.fake.interactionCalls(i).find((c) => c.method === "PATCH" && c.status === 200), "the answer");
    const embed = JSON.stringify(edit.body.embeds);
    expect(embed).toContain("AI suggestion, not a verified rule");
    expect(embed).toContain("pin the tool version");
    expect(openai.requests).toHaveLength(1);
  });
});
