// Socket Mode or HTTP: which one the settings ask for, and the Bolt receiver for it. HTTP mode
// serves POST /slack/events on the bot's own express app (the one with GET /healthz), so there
// is one port for everything.
import { ExpressReceiver, type Logger, SocketModeReceiver } from "@slack/bolt";
import express, { type Express, type RequestHandler } from "express";
import type { Config } from "../../config/config.js";
import type { AckPressure } from "../../server/after-ack.js";

export type SlackMode = "socket" | "http";

export const SLACK_EVENTS_PATH = "/slack/events";
/** Slack's replay window: a request signed longer ago (or ahead) than this is refused. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type SlackModeChoice = { mode: SlackMode } | { mode: undefined; why?: string };

/**
 * Socket Mode when there is an app-level token, HTTP when there is a signing secret instead;
 * nothing (with the reason, when some Slack setting is there) otherwise.
 */
export function chooseSlackMode(config: Pick<Config, "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN" | "SLACK_SIGNING_SECRET">): SlackModeChoice {
  const { SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: appToken, SLACK_SIGNING_SECRET: secret } = config;
  if (bot && appToken) return { mode: "socket" };
  if (bot && secret) return { mode: "http" };
  if (bot) return { mode: undefined, why: "SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)" };
  if (appToken || secret) return { mode: undefined, why: "SLACK_BOT_TOKEN is missing: Slack needs the bot token (xoxb-...) as well" };
  return { mode: undefined };
}

/**
 * Bolt refuses requests signed more than five minutes ago; this also refuses timestamps more
 * than five minutes ahead, so a captured request cannot be replayed later either way.
 */
export function timestampGuard(nowMs: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const header = req.headers["x-slack-request-timestamp"];
    const ts = Number(Array.isArray(header) ? header[0] : header);
    if (!Number.isFinite(ts) || Math.abs(nowMs() / 1000 - ts) > SIGNATURE_WINDOW_SECONDS) {
      res.status(401).send();
      return;
    }
    next();
  };
}

export interface ReceiverOptions {
  config: Config;
  logger: Logger;
  /** HTTP mode: the bot's express app that POST /slack/events is mounted on. */
  http: Express;
  /** HTTP mode: counts requests waiting for their ack, so work after acks can wait for them. */
  pressure?: AckPressure | undefined;
}

export function createReceiver(mode: SlackMode, { config, logger, http, pressure }: ReceiverOptions): ExpressReceiver | SocketModeReceiver {
  if (mode === "socket") {
    return new SocketModeReceiver({
      appToken: config.SLACK_APP_TOKEN!,
      logger,
      // apps.connections.open goes to the same Web API as everything else (SLACK_API_URL).
      installerOptions: config.SLACK_API_URL ? { clientOptions: { slackApiUrl: config.SLACK_API_URL } } : {},
    });
  }
  const router = express.Router();
  router.post(SLACK_EVENTS_PATH, ...(pressure ? [pressure.track()] : []), timestampGuard());
  return new ExpressReceiver({
    signingSecret: config.SLACK_SIGNING_SECRET!,
    endpoints: SLACK_EVENTS_PATH,
    app: http,
    router,
    logger,
    // Ack first, work afterwards: Slack wants its 200 within 3 s.
    processBeforeResponse: false,
  });
}
