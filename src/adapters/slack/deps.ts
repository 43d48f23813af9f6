// What every Slack handler gets: the shared bot service, the settings, the log, and a report
// of what each incoming event led to (logged at debug; tests wait on it).
import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import type { BotService } from "../../core/bot-service.js";
import type { Serial } from "../../core/keyed-queue.js";
import type { AfterAck } from "../../server/after-ack.js";
import { type Outcome, eventReporter } from "../../core/outcome.js";

export type Entry = "command" | "modal" | "message" | "mention" | "shortcut" | "feedback";

export type { Outcome };

export interface Handled {
  entry: Entry;
  outcome: Outcome;
  /** Why, for `ignored` and failures: "self", "auto off", "edited message", ... */
  detail?: string;
  channel?: string;
  /** The message the event was about. */
  ts?: string;
}

export interface SlackDeps {
  service: BotService;
  config: Config;
  log: Logger;
  report: (h: Handled) => void;
  /** Runs `fn` after every earlier call with the same key has finished (core/keyed-queue.ts). */
  serial: Serial;
  /** Runs work that follows an ack off the ack path (server/after-ack.ts). */
  afterAck: AfterAck;
}

export function reporter(log: Logger, listener?: (h: Handled) => void): (h: Handled) => void {
  return eventReporter<Handled>(log, "slack", listener);
}
