// `npm start` (dist/src/main.js as a real process) with the Discord settings: it logs in to the
// fake Discord, registers the commands, leaves local mode, answers, and shuts down cleanly.
import { afterEach, describe, expect, it } from "vitest";
import { startBot } from "./helpers/bot-process.js";
import { LOAD_LOG } from "./helpers/discord-harness.js";
import { APP_ID, FakeDiscord, TOKEN, eventually, user } from "./helpers/fake-discord.js";

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe("npm start with DISCORD_TOKEN and DISCORD_APPLICATION_ID", () => {
  it("runs the Discord adapter: /healthz lists it, commands are registered, a command is answered", async () => {
    const fake = await FakeDiscord.start();
    cleanup.push(() => fake.close());
    const g = fake.addGuild();
    const bot = await startBot({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: g.id, DISCORD_MESSAGE_CONTENT: "false" });
    cleanup.push(() => bot.stop());
    expect(bot.output()).toContain("Discord adapter connected to the gateway");
    expect(bot.output()).not.toContain("local mode");
    const health = (await (await fetch(`${bot.url}/healthz`)).json()) as { adapters: string[] };
    expect(health.adapters).toEqual(["discord"]);
    expect(fake.callsTo("PUT /applications/:id/guilds/:id/commands")).toHaveLength(1);

    const i = fake.slashCommand({ guild: g, channelId: g.channels[0]!.id, from: user("alice"), sub: "diagnose", options: { log: LOAD_LOG } });
    const edit = await eventually(() => fake.interactionCalls(i).find((c) => c.method === "PATCH" && c.status === 200), "the answer");
    expect(edit.body.embeds[0].title).toMatch(/--load/);

    await bot.stop();
    expect(bot.child.exitCode).toBe(0);
    await eventually(() => fake.connections.every((c) => c.ws.readyState === c.ws.CLOSED), "the gateway connection to close");
  });

  it("with only DISCORD_TOKEN says what is missing and stays in local mode", async () => {
    const bot = await startBot({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: "" });
    cleanup.push(() => bot.stop());
    expect(bot.output()).toContain("Discord adapter not started: DISCORD_TOKEN is set but DISCORD_APPLICATION_ID is not");
    expect(bot.output()).toContain("running in local mode");
  });
});
