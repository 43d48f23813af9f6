// The Slack adapter: a Bolt app with every entry point registered, on the receiver the
// settings ask for (Socket Mode, or HTTP on the bot's own express app). All diagnosis, state
// and limits go through the shared BotService; this folder only speaks Slack.
import { App, SocketModeReceiver } from "@slack/bolt";
import type { Express } from "express";
import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import type { BotService } from "../../core/bot-service.js";
import { type Handled, type SlackDeps, reporter } from "./deps.js";
import { keyedQueue } from "../../core/keyed-queue.js";
import { AckPressure, afterAckQueue } from "../../server/after-ack.js";
import { registerCommand } from "./handlers/command.js";
import { registerFeedback } from "./handlers/feedback.js";
import { registerMessages } from "./handlers/messages.js";
import { registerModal } from "./handlers/modal.js";
import { registerShortcut } from "./handlers/shortcut.js";
import { boltLogger } from "./logger.js";
import { type SlackMode, chooseSlackMode, createReceiver } from "./receiver.js";

/**
 * How the Web API client retries. A 429 waits the Retry-After Slack sends, then retries;
 * other failures back off from half a second. Four retries stay within a minute or two, after
 * which an answer is no longer worth posting.
 */
export const SLACK_RETRY = { retries: 4, factor: 2, minTimeout: 500, maxTimeout: 20_000, randomize: true } as const;

export interface SlackAdapterOptions {
  config: Config;
  service: BotService;
  log: Logger;
  /** The bot's express app; HTTP mode adds POST /slack/events to it. */
  http: Express;
  /** Called with what each incoming event led to (tests and diagnostics). */
  onHandled?: (h: Handled) => void;
}

export interface SlackAdapter {
  mode: SlackMode;
  app: App;
  /** Checks the bot token (auth.test); in Socket Mode also opens the WebSocket. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For /readyz: Socket Mode's WebSocket is open; in HTTP mode, the token was accepted. */
  connected(): boolean;
}

/** The adapter for these settings, or undefined when Slack is not configured. */
export function createSlackAdapter(opts: SlackAdapterOptions): SlackAdapter | undefined {
  const { config, service, log, http } = opts;
  const { mode } = chooseSlackMode(config);
  if (!mode) return undefined;
  const logger = boltLogger(log);
  const pressure = new AckPressure();
  const receiver = createReceiver(mode, { config, logger, http, pressure });
  const app = new App({
    token: config.SLACK_BOT_TOKEN!,
    receiver,
    logger,
    // The handlers recognise the bot's own messages themselves (and report them).
    ignoreSelf: false,
    convoStore: false,
    deferInitialization: true,
    clientOptions: {
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      retryConfig: { ...SLACK_RETRY },
      // A 429 fails that call only (backoff.ts retries it per method and channel); without this
      // the client pauses every call, in every channel, for the Retry-After.
      rejectRateLimitedCalls: true,
    },
  });
  const deps: SlackDeps = { service, config, log: log.child({ component: "slack" }), report: reporter(log, opts.onHandled), serial: keyedQueue(), afterAck: afterAckQueue({ pressure }) };
  registerCommand(app, deps);
  registerModal(app, deps);
  registerMessages(app, deps);
  registerShortcut(app, deps);
  registerFeedback(app, deps);
  app.error(async (err) => {
    deps.log.error({ err: err.message, code: err.code }, "slack handler failed");
  });

  let started = false;
  return {
    mode,
    app,
    async start() {
      await app.init();
      if (mode === "socket") await app.start();
      started = true;
    },
    async stop() {
      if (started && mode === "socket") await app.stop();
      started = false;
    },
    connected() {
      if (!started) return false;
      return receiver instanceof SocketModeReceiver ? (receiver.client.websocket?.isActive() ?? false) : true;
    },
  };
}
