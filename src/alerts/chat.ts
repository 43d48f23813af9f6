// Posting alerts to chat over the platforms' Web/REST APIs, with only a token: Slack's
// chat.postMessage (SLACK_BOT_TOKEN, Slack's WebClient) and Discord's POST /channels/:id/messages
// (DISCORD_TOKEN, @discordjs/rest).
// Neither needs the adapter's event connection, so alerts work with either adapter off. Errors
// are classified for the retry loop: rate limits and server or network failures are retried,
// a channel the bot cannot use or a bad token is not.
import { DiscordAPIError, REST, RateLimitError } from "@discordjs/rest";
import { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Config } from "../config/config.js";
import type { DiagnoseResult } from "../engine/types.js";
import { boltLogger } from "../adapters/slack/logger.js";
import type { AlertMeta } from "./schema.js";
import { discordSeen, renderDiscordAlert, renderSlackAlert, slackSeen } from "./render.js";
import { PermanentError, RetryAfterError } from "./retry.js";
import type { Platform } from "./routing.js";

/** Where an alert was posted: enough to reply in its thread later (kept in the store). */
export interface PostedAlert {
  platform: Platform;
  channel: string;
  /** Slack: the message ts; Discord: the message id. */
  messageId: string;
  /** Where stats and feedback count: the Slack team, the Discord guild. */
  workspace?: string | undefined;
}

export interface ChatPoster {
  readonly platform: Platform;
  /** Posts the alert (headline + diagnosis); `text` replaces the diagnosis when there is none to show. */
  postAlert(channel: string, alert: { result?: DiagnoseResult; meta: AlertMeta; answerId: string; text?: string }): Promise<PostedAlert>;
  /** Posts "seen N times" in the thread of an earlier alert. */
  postSeen(first: PostedAlert, meta: AlertMeta, count: number, lang: DiagnoseResult["lang"]): Promise<void>;
}

// Slack ---------------------------------------------------------------------------------------

const SLACK_PERMANENT = new Set(["channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "account_inactive", "token_revoked", "missing_scope", "restricted_action", "msg_too_long", "invalid_blocks", "no_text"]);

function slackFailure(err: unknown): Error {
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; message?: string };
  if (typeof e.retryAfter === "number") return new RetryAfterError(`slack rate limited (${e.retryAfter}s)`, e.retryAfter * 1000);
  const code = e.data?.error;
  if (code && SLACK_PERMANENT.has(code)) return new PermanentError(`slack: ${code}`);
  return new Error(`slack: ${code ?? e.message ?? String(err)}`);
}

export class SlackPoster implements ChatPoster {
  readonly platform = "slack" as const;
  private readonly client: webApi.WebClient;
  private team: Promise<string | undefined> | undefined;

  constructor(config: Pick<Config, "SLACK_BOT_TOKEN" | "SLACK_API_URL">, log: Logger) {
    this.client = new webApi.WebClient(config.SLACK_BOT_TOKEN, {
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      logger: boltLogger(log),
      // The alert's own loop retries (with backoff, and after what Slack asks on a 429).
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  }

  /** The workspace the token belongs to (for stats), asked once. */
  private workspace(): Promise<string | undefined> {
    this.team ??= this.client.auth.test().then(
      (r) => r.team_id,
      () => {
        this.team = undefined;
        return undefined;
      },
    );
    return this.team;
  }

  private async send(args: { channel: string; text: string; blocks?: unknown[]; thread_ts?: string }): Promise<string> {
    try {
      const res = await this.client.chat.postMessage({ ...args, unfurl_links: false, unfurl_media: false } as webApi.ChatPostMessageArguments);
      return res.ts ?? "";
    } catch (err) {
      throw slackFailure(err);
    }
  }

  async postAlert(channel: string, a: { result?: DiagnoseResult; meta: AlertMeta; answerId: string; text?: string }): Promise<PostedAlert> {
    let ts: string;
    if (a.result) {
      const msg = renderSlackAlert(a.result, a.meta, a.answerId);
      ts = await this.send({ channel, text: msg.text, blocks: msg.blocks });
    } else {
      ts = await this.send({ channel, text: a.text ?? "" });
    }
    return { platform: "slack", channel, messageId: ts, workspace: await this.workspace() };
  }

  async postSeen(first: PostedAlert, meta: AlertMeta, count: number, lang: DiagnoseResult["lang"]): Promise<void> {
    await this.send({ channel: first.channel, thread_ts: first.messageId, text: slackSeen(meta, count, lang) });
  }
}

// Discord -------------------------------------------------------------------------------------

const THREAD_ALREADY_CREATED = 160004;

/** discord.js' REST client's failures, sorted for the alert's retry loop. */
function discordFailure(what: string, err: unknown): Error {
  if (err instanceof RateLimitError) return new RetryAfterError(`${what}: rate limited`, err.retryAfter);
  if (err instanceof DiscordAPIError) {
    const msg = `${what}: ${err.status} ${err.message}`;
    if (err.status === 429) return new RetryAfterError(msg, 1000);
    if (err.status >= 500) return new Error(msg);
    return Object.assign(new PermanentError(msg), { code: err.code });
  }
  // HTTPError (5xx after the client's own retries), timeouts, connection errors: worth another try.
  return new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
}

export class DiscordPoster implements ChatPoster {
  readonly platform = "discord" as const;
  private readonly rest: REST;

  constructor(config: Pick<Config, "DISCORD_TOKEN" | "DISCORD_API_URL">) {
    // @discordjs/rest keeps Discord's per-route buckets and waits out 429s itself; 5xx are
    // retried by it once, then by the alert's own backoff loop.
    this.rest = new REST({ api: config.DISCORD_API_URL.replace(/\/+$/, ""), version: "10", retries: 1, timeout: 15_000 }).setToken(config.DISCORD_TOKEN ?? "");
  }

  private async post<T>(path: `/${string}`, body: unknown): Promise<T> {
    try {
      return (await this.rest.post(path, { body })) as T;
    } catch (err) {
      throw discordFailure(`discord POST ${path.replace(/\d{15,25}/g, ":id")}`, err);
    }
  }

  async postAlert(channel: string, a: { result?: DiagnoseResult; meta: AlertMeta; answerId: string; text?: string }): Promise<PostedAlert> {
    const body = a.result ? renderDiscordAlert(a.result, a.meta, a.answerId) : { content: a.text ?? "" };
    const msg = await this.post<{ id: string; guild_id?: string }>(`/channels/${channel}/messages`, { ...body, allowed_mentions: { parse: [] } });
    return { platform: "discord", channel, messageId: msg.id, workspace: msg.guild_id ? `discord:${msg.guild_id}` : undefined };
  }

  /** Into a thread on the first alert (started on the first repeat; its id is the message's). */
  async postSeen(first: PostedAlert, meta: AlertMeta, count: number, lang: DiagnoseResult["lang"]): Promise<void> {
    try {
      await this.post(`/channels/${first.channel}/messages/${first.messageId}/threads`, { name: lang === "zh" ? "buildx-fix：重复出现" : "buildx-fix: seen again", auto_archive_duration: 1440 });
    } catch (err) {
      if ((err as { code?: number }).code !== THREAD_ALREADY_CREATED) throw err;
    }
    await this.post(`/channels/${first.messageId}/messages`, { content: discordSeen(meta, count, lang), allowed_mentions: { parse: [] } });
  }
}
