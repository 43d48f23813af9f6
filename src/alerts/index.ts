// CI failure alerts on the bot's HTTP server: POST /ci/alert (with CI_WEBHOOK_SECRET) and
// POST /github/webhook (with GITHUB_WEBHOOK_SECRET), posting to Slack (SLACK_BOT_TOKEN) and
// Discord (DISCORD_TOKEN) through their APIs. Off, with no routes, when neither secret is set.
import type { Express } from "express";
import type { Logger } from "pino";
import { GitHubClient } from "../adapters/github/client.js";
import { mountGithubWebhook } from "../adapters/github/webhook.js";
import type { Config } from "../config/config.js";
import type { BotService } from "../core/bot-service.js";
import { AlertService } from "./alert-service.js";
import { type ChatPoster, DiscordPoster, SlackPoster } from "./chat.js";
import type { RetryPolicy } from "./retry.js";
import { logHostPolicy } from "./log-hosts.js";
import { mountCiAlert } from "./route.js";
import { loadRoutes } from "./routing.js";
import { InFlightGate } from "./webhook-body.js";

export interface CiAlertsOptions {
  config: Config;
  service: BotService;
  log: Logger;
  http: Express;
  /** Tests: faster backoff. */
  retry?: RetryPolicy;
}

export interface CiAlerts {
  alerts: AlertService;
  /** The endpoints that are on, for the start-up log. */
  endpoints: string[];
}

export function setupCiAlerts(opts: CiAlertsOptions): CiAlerts | undefined {
  const { config, service, http } = opts;
  if (!config.CI_WEBHOOK_SECRET && !config.GITHUB_WEBHOOK_SECRET) return undefined;
  const log = opts.log.child({ component: "ci-alerts" });
  const posters: { slack?: ChatPoster; discord?: ChatPoster } = {};
  if (config.SLACK_BOT_TOKEN) posters.slack = new SlackPoster(config, log);
  if (config.DISCORD_TOKEN) posters.discord = new DiscordPoster(config);
  const alerts = new AlertService({ service, log, routes: loadRoutes(config), posters, windowMs: config.CI_ALERT_DEDUPE_MS, ...(opts.retry ? { retry: opts.retry } : {}) });
  const endpoints: string[] = [];
  // One cap on webhook bodies in flight for both endpoints: unauthenticated bytes cost memory.
  const gate = new InFlightGate(config.WEBHOOK_MAX_CONCURRENT);
  if (config.CI_WEBHOOK_SECRET) {
    mountCiAlert(http, {
      secret: config.CI_WEBHOOK_SECRET,
      requireTimestamp: config.CI_WEBHOOK_REQUIRE_TIMESTAMP,
      maxBytes: config.MAX_LOG_BYTES,
      alerts,
      gate,
      logHosts: logHostPolicy(config),
      log,
    });
    endpoints.push("POST /ci/alert");
  }
  if (config.GITHUB_WEBHOOK_SECRET) {
    const github = config.GITHUB_TOKEN ? new GitHubClient(config.GITHUB_API_URL, config.GITHUB_TOKEN, config.MAX_LOG_BYTES) : undefined;
    mountGithubWebhook(http, { secret: config.GITHUB_WEBHOOK_SECRET, maxBytes: config.MAX_LOG_BYTES, alerts, github, gate, log });
    endpoints.push("POST /github/webhook");
  }
  if (!posters.slack && !posters.discord) log.warn("CI alerts are on but neither SLACK_BOT_TOKEN nor DISCORD_TOKEN is set: alerts will be refused");
  return { alerts, endpoints };
}
