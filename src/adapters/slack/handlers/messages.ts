// Logs that show up in conversation. A pasted log or uploaded log file in a channel gets an
// answer in its thread when a rule is sure (auto-detect, on unless `/buildx-fix auto off`);
// in a direct message with the bot every log gets an answer. A mention answers the log in
// the mentioning message, or else the thread's first message.
import type { AllMiddlewareArgs, App, Context } from "@slack/bolt";
import { type RunLink, runLinkIn } from "../../github/run-links.js";
import { answerLog, answerRunLink, plain, post } from "../answer.js";
import type { SlackDeps } from "../deps.js";
import { isLogFile } from "../files.js";
import { answerLang } from "../lang.js";
import { type SlackMessageLike, mentions, messageText, withoutMention } from "../message-text.js";
import { helpMessage } from "../replies.js";
import { slackText } from "../text.js";

/** Message subtypes that can carry a log: plain, from an integration, a file upload, a broadcast reply. */
const ANSWERABLE = new Set([undefined, "bot_message", "file_share", "thread_broadcast"]);
const EVENT_WINDOW_MS = 15 * 60 * 1000;

function isSelf(e: SlackMessageLike, context: Context): boolean {
  return Boolean((e.bot_id && e.bot_id === context.botId) || (e.user && e.user === context.botUserId));
}

/** Slack re-sends an event it thinks was missed; the same event_id is handled once. */
async function firstDelivery(deps: SlackDeps, body: unknown): Promise<boolean> {
  const id = (body as { event_id?: unknown }).event_id;
  if (typeof id !== "string") return true;
  return !(await deps.service.dedupe("slack:event", id, true, EVENT_WINDOW_MS));
}

function teamOf(body: unknown, e: { team?: string }): string {
  const b = body as { team_id?: string; authorizations?: Array<{ team_id?: string }> };
  return b.team_id ?? b.authorizations?.[0]?.team_id ?? e.team ?? "";
}

export function registerMessages(app: App, deps: SlackDeps): void {
  const { service, report } = deps;

  app.event("message", async ({ event, body, context, client }) => {
    const e = event as SlackMessageLike & { team?: string };
    const base = { entry: "message" as const, ...(e.channel ? { channel: e.channel } : {}), ...(e.ts ? { ts: e.ts } : {}) };
    if (!ANSWERABLE.has(e.subtype)) return report({ ...base, outcome: "ignored", detail: `subtype ${e.subtype}` });
    if (isSelf(e, context)) return report({ ...base, outcome: "ignored", detail: "self" });
    if (!e.channel || !e.ts) return report({ ...base, outcome: "ignored", detail: "no channel" });
    // A mention arrives twice (message and app_mention): the mention handler answers it.
    if (mentions(e.text, context.botUserId)) return report({ ...base, outcome: "ignored", detail: "mention" });
    if (!(await firstDelivery(deps, body))) return report({ ...base, outcome: "ignored", detail: "retry" });
    const team = teamOf(body, e);
    const text = messageText(e);
    if (!text.trim() && !e.files?.some(isLogFile)) return report({ ...base, outcome: "ignored", detail: "no text" });

    const link = runLinkOf(deps, e, text);
    if (e.channel_type === "im") {
      const place = { team, channel: e.channel, threadTs: e.thread_ts };
      if (link) return answerRunLink(deps, client, link, { entry: "message", place, user: e.user, text, auto: false, ts: e.ts });
      if (!e.files?.some(isLogFile) && !deps.service.holdsLog(text)) {
        // A direct message without a log is a question to the bot: how to use it.
        await post(client, place, helpMessage(await answerLang(service, client, { team, user: e.user, text }), deps.config.SLACK_COMMAND));
        return report({ ...base, outcome: "replied", detail: "help" });
      }
      await answerLog(deps, client, { entry: "message", place, user: e.user, text, files: e.files, auto: false, ts: e.ts });
      return;
    }
    if (!(await service.channelSetting(team, e.channel, "auto", true))) return report({ ...base, outcome: "ignored", detail: "auto off" });
    // A CI integration's alert links the failed run: its logs are what to diagnose.
    if (link) return answerRunLink(deps, client, link, { entry: "message", place: { team, channel: e.channel, threadTs: e.thread_ts ?? e.ts }, user: e.user, text, auto: true, ts: e.ts });
    await answerLog(deps, client, {
      entry: "message",
      place: { team, channel: e.channel, threadTs: e.thread_ts ?? e.ts },
      user: e.user,
      text,
      files: e.files,
      auto: true,
      ts: e.ts,
    });
  });

  app.event("app_mention", async ({ event, body, context, client }) => {
    const e = event as unknown as SlackMessageLike & { channel: string; ts: string; team?: string };
    const base = { entry: "mention" as const, channel: e.channel, ts: e.ts };
    if (isSelf(e, context)) return report({ ...base, outcome: "ignored", detail: "self" });
    if (!(await firstDelivery(deps, body))) return report({ ...base, outcome: "ignored", detail: "retry" });
    const team = teamOf(body, e);
    const place = { team, channel: e.channel, threadTs: e.thread_ts ?? e.ts };
    const text = withoutMention(messageText(e), context.botUserId);

    const link = runLinkOf(deps, e, text);
    if (link) return answerRunLink(deps, client, link, { entry: "mention", place, user: e.user, text, auto: false, ts: e.ts });
    if (e.files?.some(isLogFile) || deps.service.holdsLog(text)) {
      await answerLog(deps, client, { entry: "mention", place, user: e.user, text, files: e.files, auto: false, ts: e.ts });
      return;
    }
    if (e.thread_ts && e.thread_ts !== e.ts) {
      const parent = await threadParent(client, e.channel, e.thread_ts);
      if (parent && !isSelf(parent, context)) {
        const parentText = withoutMention(messageText(parent), context.botUserId);
        const parentLink = runLinkOf(deps, parent, parentText);
        if (parentLink) return answerRunLink(deps, client, parentLink, { entry: "mention", place, user: e.user, text: parentText, auto: false, ts: e.ts });
        if (parentText.trim() || parent.files?.some(isLogFile)) {
          await answerLog(deps, client, { entry: "mention", place, user: e.user, text: parentText, files: parent.files, auto: false, ts: e.ts });
          return;
        }
      }
    }
    const lang = await answerLang(service, client, { team, user: e.user, text });
    await post(client, place, plain(slackText(lang).mentionHelp));
    report({ ...base, outcome: "replied", detail: "no log" });
  });
}

/**
 * The GitHub Actions run the message links (its text, an integration's attachment `title_link`,
 * blocks), unless the message carries the log itself: a log file, or text a rule is sure about.
 */
export function runLinkOf(deps: SlackDeps, msg: SlackMessageLike, text: string): RunLink | undefined {
  if (msg.files?.some(isLogFile)) return undefined;
  const link = runLinkIn(deps.config, msg.text, msg.attachments, msg.blocks);
  if (!link) return undefined;
  try {
    if (deps.service.diagnose(text).result.diagnoses[0]?.confidence === "high") return undefined;
  } catch {
    // Not a log: the link it is.
  }
  return link;
}


async function threadParent(client: AllMiddlewareArgs["client"], channel: string, threadTs: string): Promise<SlackMessageLike | undefined> {
  const res = await client.conversations.replies({ channel, ts: threadTs, limit: 1, inclusive: true });
  const first = res.messages?.[0] as SlackMessageLike | undefined;
  return first && (first.ts === threadTs || !first.thread_ts || first.thread_ts === threadTs) ? first : undefined;
}
