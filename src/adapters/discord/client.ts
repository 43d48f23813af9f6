// The Discord adapter: a discord.js gateway client with every entry point wired up, its REST
// base at DISCORD_API_URL (the gateway URL comes from that API's /gateway/bot). All diagnosis,
// state and limits go through the shared BotService; this folder only speaks Discord.
//
// Intents: Guilds (channels, threads), GuildMessages and DirectMessages (mentions, DMs; not
// privileged), and MessageContent only with DISCORD_MESSAGE_CONTENT=true (auto-detect of pasted
// logs; Discord refuses the connection with 4014 when the intent is not enabled in the portal).
import { once } from "node:events";
import {
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Partials,
} from "discord.js";
import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import type { BotService } from "../../core/bot-service.js";
import { redact } from "../../redact/secrets.js";
import { pickLang } from "./answer.js";
import { CONTEXT_MENU_NAME, COMMAND_NAME } from "./commands.js";
import { keyedQueue } from "../../core/keyed-queue.js";
import { type DiscordDeps, type Entry, type Handled, reporter } from "./deps.js";
import { onContextMenu } from "./handlers/context-menu.js";
import { onButton } from "./handlers/feedback.js";
import { onMessage } from "./handlers/messages.js";
import { onModalSubmit } from "./handlers/modal.js";
import { onSlashCommand } from "./handlers/command.js";
import { ensureCommands } from "./register.js";
import { inviteUrl } from "./invite.js";
import { discordText } from "./text.js";

export interface DiscordAdapterOptions {
  config: Config;
  service: BotService;
  log: Logger;
  /** Register the commands at start-up when their definitions changed (not in shard processes). */
  registerCommands?: boolean;
  /** Called with what each incoming event led to (tests and diagnostics). */
  onHandled?: (h: Handled) => void;
}

export interface DiscordAdapter {
  client: Client;
  /** Registers commands if needed, logs in and waits until the gateway session is ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For /readyz: the gateway session is ready. */
  connected(): boolean;
}

export class DiscordStartError extends Error {
  override readonly name = "DiscordStartError";
}

/** Whether these settings enable the adapter; when half of them are there, what is missing. */
export function discordConfigured(config: Config): { ok: boolean; why?: string } {
  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) return { ok: true };
  if (config.DISCORD_TOKEN) return { ok: false, why: "DISCORD_TOKEN is set but DISCORD_APPLICATION_ID is not (Developer Portal → General Information → Application ID)" };
  if (config.DISCORD_APPLICATION_ID) return { ok: false, why: "DISCORD_APPLICATION_ID is set but DISCORD_TOKEN is not" };
  return { ok: false };
}

export function intentsFor(config: Config): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  if (config.DISCORD_MESSAGE_CONTENT) intents.push(GatewayIntentBits.MessageContent);
  return intents;
}

const CLOSE_REASONS: Record<number, string> = {
  4004: "Discord rejected DISCORD_TOKEN (Developer Portal → Bot → Reset Token)",
  4013: "Discord rejected the requested intents",
  4014: "the Message Content intent is not enabled for this bot: enable it in Developer Portal → Bot → Privileged Gateway Intents, or set DISCORD_MESSAGE_CONTENT=false",
};

/** The adapter for these settings, or undefined when Discord is not configured. */
export function createDiscordAdapter(opts: DiscordAdapterOptions): DiscordAdapter | undefined {
  const { config, service } = opts;
  if (!discordConfigured(config).ok) return undefined;
  const log = opts.log.child({ component: "discord" });
  const client = new Client({
    intents: intentsFor(config),
    // Direct-message channels are not cached before their first message.
    partials: [Partials.Channel],
    rest: { api: config.DISCORD_API_URL },
    // Nothing the bot posts pings anyone, whatever a log contains (@everyone, <@id>).
    allowedMentions: { parse: [], repliedUser: false },
  });
  const deps: DiscordDeps = { service, config, log, messageContent: config.DISCORD_MESSAGE_CONTENT, report: reporter(log, opts.onHandled), serial: keyedQueue() };

  const fail = (entry: Entry, err: unknown, channel?: string | null) => {
    const message = redact(err instanceof Error ? err.message : String(err));
    log.error({ err: message, entry }, "discord handler failed");
    deps.report({ entry, outcome: "failed", detail: message, ...(channel ? { channel } : {}) });
  };

  client.on(Events.InteractionCreate, (i: Interaction) => {
    void (async () => {
      const entry: Entry = i.isButton() ? "feedback" : i.isModalSubmit() ? "modal" : i.isMessageContextMenuCommand() ? "context-menu" : "command";
      try {
        if (i.isChatInputCommand() && i.commandName === COMMAND_NAME) await onSlashCommand(deps, i);
        else if (i.isMessageContextMenuCommand() && i.commandName === CONTEXT_MENU_NAME) await onContextMenu(deps, i);
        else if (i.isModalSubmit()) await onModalSubmit(deps, i);
        else if (i.isButton()) await onButton(deps, i);
        else deps.report({ entry, outcome: "ignored", detail: "not ours", channel: i.channelId ?? "" });
      } catch (err) {
        fail(entry, err, i.channelId);
        // Tell the person, if the interaction can still take an answer.
        if (!i.isRepliable()) return;
        const content = discordText(pickLang({ locale: i.locale })).failed;
        try {
          if (i.deferred || i.replied) await i.editReply({ content, embeds: [], components: [] });
          else await i.reply({ content, flags: MessageFlags.Ephemeral });
        } catch {
          // the interaction expired
        }
      }
    })();
  });

  client.on(Events.MessageCreate, (m: Message) => {
    void onMessage(deps, m).catch((err: unknown) => fail("message", err, m.channelId));
  });
  client.on(Events.Error, (err) => log.error({ err: redact(err.message) }, "discord client error"));
  client.on(Events.Warn, (msg) => log.warn(msg));
  client.on(Events.ShardDisconnect, (ev, shard) => log.warn({ code: ev.code, shard }, `Discord gateway closed: ${CLOSE_REASONS[ev.code] ?? `code ${ev.code}`}`));

  let started = false;
  return {
    client,
    async start() {
      if (opts.registerCommands !== false) {
        client.rest.setToken(config.DISCORD_TOKEN!);
        try {
          await ensureCommands({ rest: client.rest, applicationId: config.DISCORD_APPLICATION_ID!, guildId: config.DISCORD_GUILD_ID }, service.store, log);
        } catch (err) {
          // The bot still answers with commands registered earlier (or by `npm run discord:register`).
          log.error({ err: redact(err instanceof Error ? err.message : String(err)) }, "registering the Discord commands failed");
        }
      }
      const ready = once(client, Events.ClientReady);
      let onClose: ((ev: { code: number }) => void) | undefined;
      const refused = new Promise<never>((_, reject) => {
        onClose = (ev) => reject(new DiscordStartError(`Discord closed the gateway connection: ${CLOSE_REASONS[ev.code] ?? `code ${ev.code}`}`));
        client.once(Events.ShardDisconnect, onClose);
      });
      const loggedIn = client.login(config.DISCORD_TOKEN).then(() => ready);
      // Whichever loses the race below must not surface later as an unhandled rejection.
      for (const p of [ready, refused, loggedIn]) p.catch(() => undefined);
      try {
        await Promise.race([loggedIn, refused]);
      } catch (err) {
        await client.destroy();
        if (err instanceof DiscordStartError) throw err;
        const msg = err instanceof Error ? err.message : String(err);
        throw new DiscordStartError(`the Discord bot could not log in: ${redact(msg)}`);
      } finally {
        if (onClose) client.off(Events.ShardDisconnect, onClose);
      }
      started = true;
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, messageContent: deps.messageContent }, "Discord adapter connected to the gateway");
      if (!client.guilds.cache.size && !client.shard) log.info(`the bot is in no server yet; invite it: ${inviteUrl(config.DISCORD_APPLICATION_ID!)}`);
    },
    async stop() {
      if (started) await client.destroy();
      started = false;
    },
    connected: () => started && client.isReady(),
  };
}
