// Connecting and registering: what the real discord.js client speaks to the gateway (plain JSON,
// no compression), which intents it asks for, clear failures for a refused intent or a bad
// token, command registration at start-up (only when the definitions changed) and with
// `npm run discord:register`, and the sharding entry point running real shard processes.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createDiscordAdapter } from "../src/adapters/discord/client.js";
import { COMMAND_NAME, CONTEXT_MENU_NAME, commandDefinitions } from "../src/adapters/discord/commands.js";
import { INVITE_PERMISSIONS, inviteUrl } from "../src/adapters/discord/invite.js";
import { loadConfig } from "../src/config/config.js";
import { BotService } from "../src/core/bot-service.js";
import { Store } from "../src/store/store.js";
import { ROOT } from "./helpers/cli.js";
import { LOAD_LOG, startDiscordBot } from "./helpers/discord-harness.js";
import { APP_ID, FakeDiscord, TOKEN, eventually, user } from "./helpers/fake-discord.js";
import { builtinEngine } from "./helpers/engine.js";

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const GUILDS = 1 << 0;
const GUILD_MESSAGES = 1 << 9;
const DIRECT_MESSAGES = 1 << 12;
const MESSAGE_CONTENT = 1 << 15;

describe("the gateway connection", () => {
  it("speaks plain JSON (zlib-sync is not installed), identifies with the token and the intents, and gets READY", async () => {
    expect(() => createRequire(import.meta.url).resolve("zlib-sync")).toThrow();
    const bot = await startDiscordBot();
    cleanup.push(() => bot.stop());
    const [conn] = bot.fake.connections;
    expect(conn!.url.searchParams.get("v")).toBe("10");
    expect(conn!.url.searchParams.get("encoding")).toBe("json");
    expect(conn!.url.searchParams.has("compress")).toBe(false);
    expect(conn!.frames.some((f) => f.binary)).toBe(false);
    expect(conn!.identify).toMatchObject({ token: TOKEN, compress: false, intents: GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT });
    expect(bot.fake.callsTo("GET /gateway/bot")[0]!.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(bot.adapter.client.user?.id).toBe("1100000000000000002");
    expect(bot.adapter.client.application?.id).toBe(APP_ID);
  });

  it("fails to start with a clear message when Discord refuses the Message Content intent (close 4014)", async () => {
    const err = await startDiscordBot({}, { messageContentAllowed: false }).then(
      async (b) => (await b.stop(), new Error("started")),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/Message Content intent is not enabled for this bot: enable it in Developer Portal → Bot → Privileged Gateway Intents, or set DISCORD_MESSAGE_CONTENT=false/);
  });

  it("fails to start with a clear message for a wrong token, without showing the token", async () => {
    const wrong = "MTEwMDAwMDAwMDAwMDAwMDAwMg.Gwrong.not-the-right-token";
    const err = await startDiscordBot({ DISCORD_TOKEN: wrong }).then(
      async (b) => (await b.stop(), new Error("started")),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/could not log in: An invalid token was provided/);
    expect(err.message).not.toContain(wrong);
  });

  it("answers in a guild that appears after start-up (GUILD_CREATE)", async () => {
    const bot = await startDiscordBot();
    cleanup.push(() => bot.stop());
    const g = bot.fake.addGuild();
    const i = bot.fake.slashCommand({ guild: g, channelId: g.channels[0]!.id, from: user("alice"), sub: "diagnose", options: { log: LOAD_LOG } });
    await eventually(() => bot.fake.interactionCalls(i).find((c) => c.method === "PATCH" && c.status === 200), "the answer");
    expect(bot.adapter.client.guilds.cache.has(g.id)).toBe(true);
  });
});

describe("command definitions", () => {
  const [slash, menu] = commandDefinitions() as Array<Record<string, any>>;

  it("are /buildx-fix with diagnose (log, file, lang), help, rules, stats, auto, and the message command", () => {
    expect(slash!.name).toBe(COMMAND_NAME);
    expect(slash!.options.map((o: { name: string; type: number }) => [o.name, o.type])).toEqual([
      ["diagnose", 1],
      ["help", 1],
      ["rules", 1],
      ["stats", 1],
      ["auto", 1],
    ]);
    const diagnose = slash!.options[0];
    expect(diagnose.options.map((o: { name: string; type: number; required?: boolean }) => [o.name, o.type, o.required ?? false])).toEqual([
      ["log", 3, false],
      ["file", 11, false],
      ["lang", 3, false],
    ]);
    expect(diagnose.options[0].max_length).toBe(6000);
    expect(diagnose.options[2].choices.map((c: { value: string }) => c.value)).toEqual(["auto", "en", "zh"]);
    expect(slash!.options[4].options[0].choices.map((c: { value: string }) => c.value)).toEqual(["on", "off"]);
    expect(menu).toMatchObject({ name: CONTEXT_MENU_NAME, type: 3, name_localizations: { "zh-CN": "诊断构建日志" } });
    // Usable in servers and in the bot's DMs.
    for (const c of [slash!, menu!]) expect(c.contexts).toEqual([0, 1]);
    expect(slash!.description_localizations["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
  });

  it("stay within Discord's limits (names 32, descriptions 100, 4 000 characters per command)", () => {
    const texts = (o: Record<string, any>): string[] => [o.name, o.description ?? "", ...(o.choices ?? []).flatMap((c: { name: string; value: string }) => [c.name, String(c.value)]), ...(o.options ?? []).flatMap(texts)];
    for (const c of [slash!, menu!]) expect(texts(c).join("").length).toBeLessThanOrEqual(4000);
    const walk = (o: Record<string, any>) => {
      if (o.type !== 3 || o.options) expect(o.name).toMatch(o === menu ? /^.{1,32}$/ : /^[-_\p{L}\p{N}]{1,32}$/u);
      if (o.description !== undefined && o !== menu) expect(o.description.length).toBeLessThanOrEqual(100);
      for (const d of Object.values(o.description_localizations ?? {})) expect((d as string).length).toBeLessThanOrEqual(100);
      (o.options ?? []).forEach(walk);
    };
    walk(slash!);
    walk(menu!);
  });
});

describe("command registration", () => {
  it("registers in DISCORD_GUILD_ID at start-up, and not again while the definitions are unchanged", async () => {
    const fake = await FakeDiscord.start();
    cleanup.push(() => fake.close());
    const store = Store.create(undefined, log);
    const service = new BotService(builtinEngine(), store);
    const guildId = "1400000000000000001";
    const start = async (env: Record<string, string>) => {
      const config = loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.apiUrl, ...env });
      const adapter = createDiscordAdapter({ config, service, log })!;
      await adapter.start();
      await adapter.stop();
    };
    await start({ DISCORD_GUILD_ID: guildId });
    const puts = () => fake.calls.filter((c) => c.method === "PUT");
    expect(puts().map((c) => c.path)).toEqual([`/applications/${APP_ID}/guilds/${guildId}/commands`]);
    expect(puts()[0]!.body).toEqual(JSON.parse(JSON.stringify(commandDefinitions())));
    expect(puts()[0]!.headers.authorization).toBe(`Bot ${TOKEN}`);

    await start({ DISCORD_GUILD_ID: guildId });
    expect(puts()).toHaveLength(1);
    // Globally is another target: registered there too.
    await start({});
    expect(puts().map((c) => c.path)).toEqual([`/applications/${APP_ID}/guilds/${guildId}/commands`, `/applications/${APP_ID}/commands`]);
  });
});

function run(script: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(ROOT, "dist", "src", "adapters", "discord", script)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", KEYV_URL: "", DISCORD_GUILD_ID: "", DISCORD_MESSAGE_CONTENT: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe("npm run discord:register", () => {
  it("registers the commands globally and exits 0", async () => {
    const fake = await FakeDiscord.start();
    cleanup.push(() => fake.close());
    const p = run("register-main.js", { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.apiUrl });
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain("registered 2 global commands");
    expect(fake.callsTo("PUT /applications/:id/commands")).toHaveLength(1);
  });

  it("exits 2 naming what is missing", async () => {
    const p = run("register-main.js", { DISCORD_TOKEN: "", DISCORD_APPLICATION_ID: "" });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain("set DISCORD_TOKEN and DISCORD_APPLICATION_ID");
  });
});

describe("npm run discord:shards", () => {
  it("runs one bot process per recommended shard; each serves its own guilds", async () => {
    const fake = await FakeDiscord.start({ shards: 2, maxConcurrency: 16 });
    cleanup.push(() => fake.close());
    // A guild on shard 1 ((id >> 22) % 2 === 1).
    let g = fake.addGuild();
    while (Number((BigInt(g.id) >> 22n) % 2n) !== 1) g = fake.addGuild();
    const p = run("shards-main.js", { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.apiUrl });
    cleanup.push(async () => {
      if (p.child.exitCode === null) {
        p.child.kill("SIGTERM");
        await p.exited;
      }
    });
    await eventually(() => p.output().includes("all 2 Discord shards are ready"), `the shards to be ready:\n${p.output()}`, 45_000);
    expect(fake.connections.map((c) => c.identify?.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Registered once, by the manager.
    expect(fake.callsTo("PUT /applications/:id/commands")).toHaveLength(1);

    const i = fake.slashCommand({ guild: g, channelId: g.channels[0]!.id, from: user("alice"), sub: "diagnose", options: { log: LOAD_LOG } });
    const edit = await eventually(() => fake.interactionCalls(i).find((c) => c.method === "PATCH" && c.status === 200), "the answer from shard 1");
    expect(edit.body.embeds[0].title).toMatch(/--load/);

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    await eventually(() => fake.connections.every((c) => c.ws.readyState === c.ws.CLOSED), "the shards to disconnect");
  }, 60_000);
});

describe("the documentation", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  it("gives the invite link with the scopes and the permission integer the code asks for", () => {
    expect(readme).toContain(inviteUrl("APPLICATION_ID"));
    expect(INVITE_PERMISSIONS).toBe(309237730304n);
    expect(readme).toContain("Scopes `bot applications.commands`; permissions `309237730304`");
  });

  it("documents every DISCORD_ variable in .env.example and the README", () => {
    const vars = new Set(readFileSync(join(ROOT, "src", "config", "config.ts"), "utf8").match(/\bDISCORD_[A-Z_]+(?=:)/g));
    expect(vars.size).toBeGreaterThanOrEqual(8);
    const env = readFileSync(join(ROOT, ".env.example"), "utf8");
    for (const v of vars) {
      expect(env).toMatch(new RegExp(`^${v}=`, "m"));
      expect(readme).toContain(`\`${v}\``);
    }
  });
});
