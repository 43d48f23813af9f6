// Registering the commands with Discord: a PUT of the whole set, to one guild (instant; for
// development and single-server installs) or globally (Discord may take a while to show
// changes). At start-up this only happens when the definitions changed since the last
// registration, which is remembered in the store (per application and target).
import { REST, Routes } from "discord.js";
import type { Logger } from "pino";
import type { Store } from "../../store/store.js";
import { commandDefinitions, definitionsHash } from "./commands.js";

export interface RegisterOptions {
  rest: REST;
  applicationId: string;
  guildId?: string | undefined;
}

export function restClient(api: string, token: string): REST {
  return new REST({ api, version: "10" }).setToken(token);
}

function route(o: RegisterOptions): `/${string}` {
  return o.guildId ? Routes.applicationGuildCommands(o.applicationId, o.guildId) : Routes.applicationCommands(o.applicationId);
}

const hashKey = (o: RegisterOptions) => `discord:commands:${o.applicationId}:${o.guildId ?? "global"}`;

/** Registers every command now; returns how many Discord accepted. */
export async function registerCommands(o: RegisterOptions, store?: Store): Promise<number> {
  const defs = commandDefinitions();
  const res = (await o.rest.put(route(o), { body: defs })) as unknown[];
  await store?.set(hashKey(o), definitionsHash(defs));
  return Array.isArray(res) ? res.length : defs.length;
}

/** Registers the commands unless these definitions were registered before (per the store). */
export async function ensureCommands(o: RegisterOptions, store: Store, log: Logger): Promise<"registered" | "unchanged"> {
  const hash = definitionsHash();
  if ((await store.get<string>(hashKey(o))) === hash) {
    log.debug({ hash }, "Discord commands unchanged since the last registration");
    return "unchanged";
  }
  const n = await registerCommands(o, store);
  log.info({ commands: n, guild: o.guildId ?? "global", hash }, o.guildId ? `registered ${n} Discord commands in guild ${o.guildId}` : `registered ${n} global Discord commands (Discord may take a while to show changes)`);
  return "registered";
}
