// What every Discord handler gets: the shared bot service, the settings, the log, and a report
// of what each incoming event led to (logged at debug; tests and diagnostics listen to it).
import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import type { BotService } from "../../core/bot-service.js";
import type { Serial } from "../../core/keyed-queue.js";
import { type Outcome, eventReporter } from "../../core/outcome.js";

export type Entry = "command" | "modal" | "context-menu" | "message" | "mention" | "feedback";

export type { Outcome };

export interface Handled {
  entry: Entry;
  outcome: Outcome;
  /** Why, for `ignored` and failures ("self", "auto off", ...), or the rule and confidence. */
  detail?: string;
  channel?: string;
  /** The message (or interaction) the event was about. */
  id?: string;
}

export interface DiscordDeps {
  service: BotService;
  config: Config;
  log: Logger;
  /** Whether the client asked for the Message Content intent (auto-detect needs it). */
  messageContent: boolean;
  report: (h: Handled) => void;
  /** Runs `work` once every earlier call with the same key has settled (core/keyed-queue.ts). */
  serial: Serial;
}

export function reporter(log: Logger, listener?: (h: Handled) => void): (h: Handled) => void {
  return eventReporter<Handled>(log, "discord", listener);
}

/** Stats, votes and settings are kept per guild; direct messages count per person. */
export function workspaceOf(guildId: string | null | undefined, userId: string): string {
  return guildId ? `discord:${guildId}` : `discord:dm:${userId}`;
}
