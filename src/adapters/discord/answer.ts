// The one path from "a log reached us in Discord" to "the answer is posted": rate limits,
// attachment downloads, language, the diagnosis, the confidence bar for unasked answers,
// dedupe of a repeated failure in a channel, rendering the embed, and remembering the answer
// for feedback and stats. Where the answer goes (an interaction reply, a reply to a message, a
// thread) is the caller's `Delivery`.
import { randomBytes } from "node:crypto";
import type { Message } from "discord.js";
import type { Diagnosed } from "../../core/bot-service.js";
import type { DiagnoseResult, Lang } from "../../engine/types.js";
import { InputError } from "../../engine/normalize.js";
import { detectLang, langFromLocale } from "../../i18n/detect-lang.js";
import { LogTooLargeError, formatBytes } from "../../input/decode-log.js";
import { redact } from "../../redact/secrets.js";
import { discordHeadline } from "../../alerts/render.js";
import { type RunLink, readRunLogs, runLinkIn, runContextMeta, runLinkProblem, tellProblem } from "../github/run-links.js";
import { type DiscordAnswer, plainMessage, renderDiscordAnswer } from "../../renderers/discord-embed.js";
import { type AttachmentLike, AttachmentError, allowedOrigins, downloadAttachment, isLogAttachment } from "./attachments.js";
import { type DiscordDeps, type Entry, type Outcome, workspaceOf } from "./deps.js";
import { discordText } from "./text.js";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
/** Attachments read from one message; more than this is not a build log. */
const MAX_FILES = 5;

/** What the bot posts: an answer (embed + buttons) or a short line. */
export interface Payload {
  content?: string;
  embeds?: DiscordAnswer["embeds"];
  components?: DiscordAnswer["components"];
}

/** Where a posted answer ended up: a jump link when everyone can see it. */
export interface Posted {
  url?: string | undefined;
}

export interface Delivery {
  /** Posts the answer; `result` names a thread when the answer starts one. */
  answer(payload: Payload, result: DiagnoseResult): Promise<Posted>;
  /** A short public line next to where the answer would go (the "same failure" link). */
  note(text: string): Promise<void>;
  /** Tells the asker something (a problem with the log, a limit); privately where possible. */
  tell(text: string): Promise<void>;
}

export interface AskOptions {
  entry: Entry;
  guildId: string | null;
  channelId: string;
  /** The person asking, or who posted the log. */
  userId: string;
  text: string;
  attachments?: AttachmentLike[] | undefined;
  /** An explicit choice (the `lang` option or the form's). */
  lang?: Lang | "auto" | undefined;
  /** The interaction's locale (the person's Discord language). */
  locale?: string | undefined;
  /** Unasked (a pasted log): answer only a high-confidence diagnosis, and skip quietly when limited. */
  auto: boolean;
  /** The caller checked the rate limits already (before deferring). */
  limitsChecked?: boolean;
  /** The message or interaction, for the report. */
  id?: string | undefined;
  delivery: Delivery;
  /** A line (markdown) above the answer: where the log came from (the run's failed job and step). */
  context?: string | undefined;
}

/** What is kept about an answer for its feedback buttons (the custom id holds only the answer id). */
export interface AnswerRecord {
  workspace: string;
  ruleId: string;
  lang: Lang;
}

export const answerKey = (answerId: string) => `discord:answer:${answerId}`;
const locationKey = (answerId: string) => `discord:answer-at:${answerId}`;

export function newAnswerId(): string {
  return randomBytes(9).toString("base64url");
}

/** An explicit choice first; Chinese when the log or the person's Discord locale is; else English. */
export function pickLang(q: { text?: string | undefined; explicit?: Lang | "auto" | undefined; locale?: string | undefined }): Lang {
  if (q.explicit === "en" || q.explicit === "zh") return q.explicit;
  if (q.text && detectLang(q.text) === "zh") return "zh";
  return langFromLocale(q.locale) ?? "en";
}

export function parseLangChoice(v: string | null | undefined): Lang | "auto" {
  return v === "en" || v === "zh" ? v : "auto";
}

/** Per-person and per-channel answers per minute; true when this one may go ahead. */
export async function allowed(deps: DiscordDeps, guildId: string | null, channelId: string, userId: string | undefined): Promise<boolean> {
  const { service, config } = deps;
  const ws = workspaceOf(guildId, userId ?? "");
  const allow = (key: string, limit: number) => deps.serial(`rate:${key}`, () => service.allow(key, limit, MINUTE));
  if (userId && !(await allow(`${ws}:user:${userId}`, config.DISCORD_USER_RATE_LIMIT))) return false;
  return allow(`${ws}:channel:${channelId}`, config.DISCORD_CHANNEL_RATE_LIMIT);
}

interface Gathered {
  text: string;
  names: string[];
  problems: string[];
}

async function gather(deps: DiscordDeps, attachments: AttachmentLike[], lang: Lang, explicit: boolean): Promise<Gathered> {
  const t = discordText(lang);
  const out: Gathered = { text: "", names: [], problems: [] };
  const texts: string[] = [];
  const logs = attachments.filter(isLogAttachment);
  // A file given on purpose (the command's option, the form) that is not a log gets a word.
  if (explicit) for (const a of attachments.filter((x) => !isLogAttachment(x))) out.problems.push(t.notALogFile(redact(a.name)));
  const origins = allowedOrigins(deps.config.DISCORD_API_URL);
  for (const a of logs.slice(0, MAX_FILES)) {
    const name = redact(a.name);
    try {
      texts.push(await downloadAttachment(a, { maxBytes: deps.config.MAX_LOG_BYTES, origins }));
      out.names.push(name);
    } catch (err) {
      if (err instanceof LogTooLargeError) out.problems.push(t.tooLarge(name, formatBytes(err.size), formatBytes(err.limit)));
      else if (err instanceof AttachmentError) out.problems.push(t.fileFailed(name, err.message));
      else out.problems.push(t.fileFailed(name, redact(err instanceof Error ? err.message : String(err))));
      deps.log.warn({ file: name, err: err instanceof Error ? err.message : String(err) }, "discord attachment download failed");
    }
  }
  out.text = texts.join("\n");
  return out;
}

/**
 * Diagnoses a log that reached Discord and delivers the answer. Never throws for what the
 * person sent (that gets a reply); Discord API failures propagate to the caller.
 */
export async function answerLog(deps: DiscordDeps, o: AskOptions): Promise<void> {
  const { service, report } = deps;
  const done = (outcome: Outcome, detail?: string) => report({ entry: o.entry, outcome, channel: o.channelId, ...(o.id ? { id: o.id } : {}), ...(detail ? { detail } : {}) });
  const workspace = workspaceOf(o.guildId, o.userId);

  if (!o.auto && !o.limitsChecked && !(await allowed(deps, o.guildId, o.channelId, o.userId))) {
    await o.delivery.tell(discordText(pickLang({ text: o.text, explicit: o.lang, locale: o.locale })).rateLimited);
    return done("rate-limited");
  }

  // Replies about files are in the language of the words around them; the answer's is decided on all of it.
  const files = o.attachments?.length ? await gather(deps, o.attachments, pickLang({ text: o.text, explicit: o.lang, locale: o.locale }), !o.auto) : undefined;
  const text = [o.text, files?.text].filter((s) => s?.trim()).join("\n");
  const lang = pickLang({ text, explicit: o.lang, locale: o.locale });
  const t = discordText(lang);
  if (files?.problems.length) {
    // Even for an unasked upload: a file over the cap gets a clear reply, not silence.
    await o.delivery.tell(plainMessage(files.problems.join("\n"), lang));
    if (!text.trim()) return done("file-problem");
  }

  let diagnosed: Diagnosed;
  try {
    // The LLM fallback (when configured) only for logs someone asked about: unasked answers need a sure rule anyway.
    diagnosed = await service.answer(text, { lang, llm: !o.auto });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    if (!o.auto) await o.delivery.tell(t.notALog(err.code === "EMPTY_INPUT" ? t.emptyLog : t.binaryLog));
    return done("not-a-log", err.code);
  }
  const { result, fingerprint } = diagnosed;
  const top = result.diagnoses[0];
  const detail = top ? `${top.ruleId}: ${top.confidence}` : "no diagnosis";
  if (o.auto && top?.confidence !== "high") return done("not-confident", detail);
  if (o.auto && !(await allowed(deps, o.guildId, o.channelId, undefined))) return done("rate-limited");

  const answerId = newAnswerId();
  const scope = `${workspace}:${o.channelId}`;
  const seen = await deps.serial(`dedupe:${scope}`, () => service.dedupe<{ answerId: string }>(scope, fingerprint, { answerId }));
  if (seen) {
    // An earlier answer only its asker could see is not worth pointing at: answer again.
    const link = await service.store.get<string>(locationKey(seen.ref.answerId));
    if (link) {
      await o.delivery.note(plainMessage(t.duplicate(link, seen.count), lang));
      return done("duplicate", detail);
    }
  }

  const source = files?.names.length ? t.fromFile(files.names.join(", ")) : undefined;
  const rendered = renderDiscordAnswer(result, { ...(top ? { answerId } : {}), ...(source ? { source } : {}) });
  if (top) await service.store.set<AnswerRecord>(answerKey(answerId), { workspace, ruleId: top.ruleId, lang }, 90 * DAY);
  const posted = await o.delivery.answer({ ...(o.context ? { content: o.context } : {}), embeds: rendered.embeds, components: rendered.components }, result);
  if (posted.url) await service.store.set(locationKey(answerId), posted.url, 2 * 60 * MINUTE);
  await deps.serial(`stats:${workspace}`, () => service.recordAnswer(workspace, answerId, diagnosed));
  if (rendered.cut) deps.log.debug({ answerId }, "discord answer cut to fit");
  return done("answered", detail);
}


/**
 * A message that links a GitHub Actions run: reads the run's failed jobs' logs and answers them
 * like a pasted log, with which job and step failed above the answer. Without `GITHUB_TOKEN`,
 * or when GitHub cannot be read, a short reply — for unasked messages only when
 * `tellProblem` says so (never a "configure a token" under every link).
 */
export async function answerRunLink(deps: DiscordDeps, link: RunLink, o: AskOptions): Promise<void> {
  const logs = await readRunLogs(deps.config, link, deps.service.store);
  const lang = pickLang({ text: o.text, explicit: o.lang, locale: o.locale });
  if (logs.kind === "logs") {
    const context = discordHeadline(runContextMeta(logs, lang), lang);
    return answerLog(deps, { ...o, text: logs.text, attachments: undefined, context });
  }
  const done = (outcome: Outcome) => deps.report({ entry: o.entry, outcome, channel: o.channelId, detail: `run link: ${logs.kind}`, ...(o.id ? { id: o.id } : {}) });
  if (!tellProblem(logs, o.auto, o.text)) return done("ignored");
  await o.delivery.tell(plainMessage(runLinkProblem(logs, lang), lang));
  return done("replied");
}

/**
 * The GitHub Actions run a message links (its content, an embed's `url` or text), unless the
 * message carries the log itself: a log file, or text a rule is sure about.
 */
export function runLinkOf(deps: DiscordDeps, msg: Pick<Message, "content" | "embeds">, text: string, hasLogFile: boolean): RunLink | undefined {
  if (hasLogFile) return undefined;
  const link = runLinkIn(deps.config, msg.content, msg.embeds.map((e) => e.toJSON()));
  if (!link) return undefined;
  try {
    if (deps.service.diagnose(text).result.diagnoses[0]?.confidence === "high") return undefined;
  } catch {
    // Not a log: the link it is.
  }
  return link;
}
