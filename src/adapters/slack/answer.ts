// The one path from "a log reached us in Slack" to "the answer is posted": rate limits, file
// downloads, language, the diagnosis, the confidence bar for unasked answers, dedupe of a
// repeated paste, posting the Block Kit answer, and counting it for stats.
import { randomBytes } from "node:crypto";
import type { webApi } from "@slack/bolt";
import type { Lang } from "../../engine/types.js";
import { InputError } from "../../engine/normalize.js";
import { LogTooLargeError, formatBytes } from "../../input/decode-log.js";
import { redact } from "../../redact/secrets.js";
import { slackHeadline } from "../../alerts/render.js";
import { type RunLink, readRunLogs, runContextMeta, runLinkProblem, tellProblem } from "../github/run-links.js";
import { type SlackMessage, renderSlackAnswer } from "../../renderers/slack-blocks.js";
import type { Entry, SlackDeps } from "./deps.js";
import { FileDownloadError, downloadLogFile, fileLabel, isLogFile } from "./files.js";
import { answerLang } from "./lang.js";
import type { SlackFile } from "./message-text.js";
import { slackText } from "./text.js";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
/** Files read from one message; more than this is not a build log. */
const MAX_FILES = 5;

/** Where an answer goes: a channel, and a thread in it (the parent message's ts) or none. */
export interface Place {
  team: string;
  channel: string;
  threadTs?: string | undefined;
}

export interface AskOptions {
  entry: Entry;
  place: Place;
  /** The person asking (or who posted the log); bots have none. */
  user?: string | undefined;
  text: string;
  files?: SlackFile[] | undefined;
  lang?: Lang | "auto" | undefined;
  locale?: string | undefined;
  /** Unasked (a pasted log): answer only a high-confidence diagnosis, and quietly skip when limited. */
  auto: boolean;
  /** The message the log came from, for the report. */
  ts?: string | undefined;
  /** Shows a message when the bot cannot post at `place` (not a member): e.g. an ephemeral reply. */
  fallback?: ((msg: SlackMessage) => Promise<void>) | undefined;
  /** Tells the asker something privately (rate limit, not a log). Defaults to a reply at `place`. */
  tell?: ((text: string) => Promise<void>) | undefined;
  /** A line (mrkdwn) above the answer: where the log came from (the run's failed job and step). */
  context?: string | undefined;
}

interface AnswerRef {
  answerId: string;
}

interface AnswerLocation {
  channel: string;
  ts: string;
}

export function newAnswerId(): string {
  return randomBytes(9).toString("base64url");
}

/** Slack's error code of a failed Web API call (`not_in_channel`, ...), if it is one. */
export function slackError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

const CANNOT_POST = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action", "cant_post", "ekm_access_denied"]);

/** Posts at `place`; returns the message ts, or undefined when `fallback` showed it instead. */
export async function post(client: webApi.WebClient, place: Place, msg: SlackMessage, fallback?: (msg: SlackMessage) => Promise<void>): Promise<string | undefined> {
  try {
    const res = await client.chat.postMessage({
      channel: place.channel,
      ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
      text: msg.text,
      blocks: msg.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return res.ts;
  } catch (err) {
    const code = slackError(err);
    if (fallback && code && CANNOT_POST.has(code)) {
      await fallback(msg);
      return undefined;
    }
    throw err;
  }
}

export function plain(text: string): SlackMessage {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

export async function allowed(deps: SlackDeps, place: Place, user: string | undefined): Promise<boolean> {
  const { service, config } = deps;
  if (user && !(await service.allow(`slack:user:${place.team}:${user}`, config.SLACK_USER_RATE_LIMIT, MINUTE))) return false;
  return service.allow(`slack:channel:${place.team}:${place.channel}`, config.SLACK_CHANNEL_RATE_LIMIT, MINUTE);
}

/** Link to an earlier answer, when we know where it is. */
async function earlierAnswerLink(deps: SlackDeps, client: webApi.WebClient, team: string, answerId: string): Promise<string | undefined> {
  const where = await deps.service.store.get<AnswerLocation>(`slack:answer:${team}:${answerId}`);
  if (!where) return undefined;
  try {
    const res = await client.chat.getPermalink({ channel: where.channel, message_ts: where.ts });
    return res.permalink ?? "";
  } catch (err) {
    deps.log.warn({ err: slackError(err) ?? String(err) }, "chat.getPermalink failed");
    return "";
  }
}

interface Gathered {
  text: string;
  names: string[];
  problems: string[];
}

async function gatherFiles(deps: SlackDeps, files: SlackFile[], lang: Lang): Promise<Gathered> {
  const t = slackText(lang);
  const out: Gathered = { text: "", names: [], problems: [] };
  const texts: string[] = [];
  for (const f of files.filter(isLogFile).slice(0, MAX_FILES)) {
    const name = redact(fileLabel(f));
    try {
      texts.push(
        await downloadLogFile(f, {
          token: deps.config.SLACK_BOT_TOKEN!,
          filesBaseUrl: deps.config.SLACK_FILES_URL,
          maxBytes: deps.config.MAX_LOG_BYTES,
        }),
      );
      out.names.push(name);
    } catch (err) {
      if (err instanceof LogTooLargeError) out.problems.push(t.tooLarge(name, formatBytes(err.size), formatBytes(err.limit)));
      else if (err instanceof FileDownloadError) out.problems.push(t.fileFailed(name, err.message));
      else out.problems.push(t.fileFailed(name, redact(err instanceof Error ? err.message : String(err))));
      deps.log.warn({ file: name, err: err instanceof Error ? err.message : String(err) }, "slack file download failed");
    }
  }
  out.text = texts.join("\n");
  return out;
}

/**
 * Diagnoses a log that reached Slack and posts the answer. Never throws for what the person
 * sent (that gets a reply); Slack API failures propagate to Bolt's error handler.
 */
export async function answerLog(deps: SlackDeps, client: webApi.WebClient, o: AskOptions): Promise<void> {
  try {
    await answer(deps, client, o);
  } catch (err) {
    deps.report({ entry: o.entry, outcome: "failed", detail: slackError(err) ?? (err instanceof Error ? err.message : String(err)), channel: o.place.channel, ...(o.ts ? { ts: o.ts } : {}) });
    throw err;
  }
}

async function answer(deps: SlackDeps, client: webApi.WebClient, o: AskOptions): Promise<void> {
  const { service, report } = deps;
  const { place } = o;
  const done = (outcome: Parameters<SlackDeps["report"]>[0]["outcome"], detail?: string) =>
    report({ entry: o.entry, outcome, channel: place.channel, ...(o.ts ? { ts: o.ts } : {}), ...(detail ? { detail } : {}) });
  const say = o.tell ?? (async (text: string) => void (await post(client, place, plain(text))));

  if (!o.auto && !(await allowed(deps, place, o.user))) {
    await say(slackText(await answerLang(service, client, { team: place.team, user: o.user, locale: o.locale })).rateLimited);
    return done("rate-limited");
  }

  // The language of replies about files is decided on the message text; the answer's on all of it.
  const files = o.files?.length ? await gatherFiles(deps, o.files, await answerLang(service, client, { text: o.text, explicit: o.lang, locale: o.locale, team: place.team, user: o.user })) : undefined;
  const text = [o.text, files?.text].filter((s) => s && s.trim()).join("\n");
  const lang = await answerLang(service, client, { text, explicit: o.lang, locale: o.locale, team: place.team, user: o.user });
  const t = slackText(lang);
  if (files?.problems.length) {
    // Even for an unasked upload: a file over the cap gets a clear reply, not silence.
    await post(client, place, plain(files.problems.join("\n")), o.fallback);
    if (!text.trim()) return done("file-problem");
  }

  let diagnosed;
  try {
    // An unasked paste is only answered when a rule is sure, so it never costs an LLM call.
    diagnosed = await service.answer(text, { lang, llm: !o.auto });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    if (!o.auto) await say(t.notALog(err.code === "EMPTY_INPUT" ? t.emptyLog : t.binaryLog));
    return done("not-a-log", err.code);
  }
  const { result, fingerprint } = diagnosed;
  const top = result.diagnoses[0];
  if (o.auto && top?.confidence !== "high") return done("not-confident", top ? `${top.ruleId}: ${top.confidence}` : "no diagnosis");
  if (o.auto && !(await allowed(deps, place, undefined))) return done("rate-limited");

  const answerId = newAnswerId();
  const seen = await service.dedupe<AnswerRef>(`slack:${place.team}:${place.channel}`, fingerprint, { answerId });
  if (seen) {
    const link = await earlierAnswerLink(deps, client, place.team, seen.ref.answerId);
    // An earlier answer nobody else could see (ephemeral) is not worth pointing at.
    if (link !== undefined) {
      await post(client, place, plain(t.duplicate(link || undefined, seen.count)), o.fallback);
      return done("duplicate");
    }
  }

  const source = files?.names.length ? t.fromFile(files.names.join(", ")) : undefined;
  const rendered = renderSlackAnswer(result, { answerId, ...(source ? { source } : {}) });
  const msg: SlackMessage = o.context
    ? { text: rendered.text, blocks: [{ type: "section", block_id: "bxf_run_context", text: { type: "mrkdwn", text: o.context } }, ...rendered.blocks] }
    : rendered;
  const ts = await post(client, place, msg, o.fallback);
  if (ts) await service.store.set<AnswerLocation>(`slack:answer:${place.team}:${answerId}`, { channel: place.channel, ts }, 2 * HOUR);
  if (top) await deps.serial(`stats:${place.team}`, () => service.recordAnswer(place.team, answerId, diagnosed));
  return done("answered", top ? `${top.ruleId}: ${top.confidence}` : "no diagnosis");
}

/**
 * A message that links a GitHub Actions run: reads the run's failed jobs' logs and answers them
 * like a pasted log, with which job and step failed above the answer. Without `GITHUB_TOKEN`,
 * or when GitHub cannot be read, a short reply — for unasked messages only when
 * `tellProblem` says so (never a "configure a token" under every link).
 */
export async function answerRunLink(deps: SlackDeps, client: webApi.WebClient, link: RunLink, o: AskOptions): Promise<void> {
  const logs = await readRunLogs(deps.config, link, deps.service.store);
  if (logs.kind === "logs") {
    const lang = await answerLang(deps.service, client, { text: o.text, explicit: o.lang, locale: o.locale, team: o.place.team, user: o.user });
    const context = slackHeadline(runContextMeta(logs, lang), lang);
    return answerLog(deps, client, { ...o, text: logs.text, files: undefined, context });
  }
  const done = (outcome: "replied" | "ignored") =>
    deps.report({ entry: o.entry, outcome, channel: o.place.channel, detail: `run link: ${logs.kind}`, ...(o.ts ? { ts: o.ts } : {}) });
  if (!tellProblem(logs, o.auto, o.text)) return done("ignored");
  const lang = await answerLang(deps.service, client, { text: o.text, explicit: o.lang, locale: o.locale, team: o.place.team, user: o.user });
  const text = runLinkProblem(logs, lang);
  if (o.tell) await o.tell(text);
  else await post(client, o.place, plain(text), o.fallback);
  return done("replied");
}
