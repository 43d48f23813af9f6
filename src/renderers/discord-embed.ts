// A diagnosis as a Discord message: one embed (the cause as title, the summary and the fix
// commands in the description, confidence, evidence and further causes as fields, the
// feedback tally in the footer), link buttons for the docs and the "Fixed it" / "Wrong
// diagnosis" buttons. Pure: the same result and options give the same message.
//
// Discord's limits are enforced here: title 256, description 4 096, 25 fields of 1 024 (names
// 256), footer 2 048, 6 000 characters per embed in total, 5 rows of 5 buttons, labels 80,
// custom ids 100, link URLs 512, and 2 000 for a plain message. What does not fit is cut at a
// line or word boundary (code blocks stay closed) and the answer says it was cut.
import { type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField, ButtonStyle, ComponentType } from "discord.js";
import type { DiagnoseResult, Diagnosis, Lang } from "../engine/types.js";
import { messages } from "../i18n/messages.js";
import { isAiSuggestion, summaryWithoutLabel } from "./ai-marking.js";
import { clip } from "./clip.js";
import { ruleUrl } from "./rule-link.js";

export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  content: 2000,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  customId: 100,
  linkUrl: 512,
  threadName: 100,
} as const;

/** Custom ids of the feedback buttons: `bxf:fb:<vote>:<answerId>`; the state lives in the store. */
export const FEEDBACK_PREFIX = "bxf:fb:";
export type FeedbackVote = "fixed" | "wrong";

export interface Tally {
  fixed: number;
  wrong: number;
}

export interface DiscordAnswerOptions {
  /** Identifies this answer for feedback; without it (or without a diagnosis) no feedback buttons. */
  answerId?: string;
  tally?: Tally;
  /** Where the log came from (file names); already masked by the caller. */
  source?: string;
}

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

export interface DiscordAnswer {
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** Whether anything had to be cut to fit (the answer says so too). */
  cut: boolean;
}

const text = {
  en: {
    fixedIt: "Fixed it",
    wrongDiagnosis: "Wrong diagnosis",
    tally: (t: Tally) => `✅ ${t.fixed} fixed it · ❌ ${t.wrong} wrong diagnosis`,
    cut: "✂️ *Cut to fit Discord's limits. The whole answer: `npx buildx-fix diagnose build.log`*",
    cutMessage: "✂️ *(cut to fit Discord's 2 000 characters)*",
    source: "Log",
    more: (n: number) => `…and ${n} more`,
    moreLines: (n: number) => `…and ${n} more line${n === 1 ? "" : "s"}`,
  },
  zh: {
    fixedIt: "已解决",
    wrongDiagnosis: "诊断不对",
    tally: (t: Tally) => `✅ ${t.fixed} 人已解决 · ❌ ${t.wrong} 人认为诊断不对`,
    cut: "✂️ *内容超出 Discord 的长度限制，已截断。完整结果：`npx buildx-fix diagnose build.log`*",
    cutMessage: "✂️ *（超出 Discord 的 2000 字符，已截断）*",
    source: "日志",
    more: (n: number) => `……另有 ${n} 条`,
    moreLines: (n: number) => `……另有 ${n} 行`,
  },
} as const;

const COLOR = { high: 0x3ba55c, medium: 0xfaa61a, low: 0x99aab5, none: 0x747f8d } as const;

/** Caps per piece, so that one long part cannot crowd out the others. */
const CAP = { summary: 1500, description: 300, command: 1000, evidenceLine: 300, further: 200, source: 200 } as const;
const MAX_DOCS = 5;
const MAX_FURTHER = 5;
/** Room kept for the largest tally footer a vote can produce later. */
const TALLY_RESERVE = Math.max(text.en.tally({ fixed: 999_999, wrong: 999_999 }).length, text.zh.tally({ fixed: 999_999, wrong: 999_999 }).length);


/** A fenced code block whose content cannot close it early (runs of backticks are broken up). */
export function codeBlock(body: string, lang = ""): string {
  const safe = body.replace(/`{3,}/g, (m) => m.split("").join("\u200b"));
  return `\`\`\`${lang}\n${safe}\n\`\`\``;
}

/** Characters an embed counts against Discord's 6 000 (title, description, fields, footer, author). */
export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0)
  );
}

/** Plain message content within 2 000 characters; a cut says so. */
export function plainMessage(s: string, lang: Lang): string {
  if (s.length <= DISCORD_LIMITS.content) return s;
  const note = `\n${text[lang].cutMessage}`;
  return `${clip(s, DISCORD_LIMITS.content - note.length)}${note}`;
}

export function feedbackCustomId(vote: FeedbackVote, answerId: string): string {
  return `${FEEDBACK_PREFIX}${vote}:${answerId}`;
}

/** The vote and answer a feedback button's custom id names, or undefined for other ids. */
export function parseFeedbackCustomId(id: string): { vote: FeedbackVote; answerId: string } | undefined {
  const m = /^bxf:fb:(fixed|wrong):([A-Za-z0-9_-]{1,64})$/.exec(id);
  return m ? { vote: m[1] as FeedbackVote, answerId: m[2]! } : undefined;
}

/** A piece of the embed and how much it matters when not everything fits (higher stays longer). */
interface Piece {
  where: "description" | "field";
  priority: number;
  /** Description text, or the field's value. */
  value: string;
  name?: string;
  inline?: boolean;
}

function numberedEvidence(d: Diagnosis, lang: Lang, mark: () => void): string | undefined {
  if (!d.evidence.length) return undefined;
  const width = String(Math.max(...d.evidence.map((e) => e.line))).length;
  const numbered = (cap: number) => d.evidence.map((e) => `${String(e.line).padStart(width)} | ${clip(e.text, cap)}`);
  const whole = codeBlock(numbered(Infinity).join("\n"));
  if (whole.length <= DISCORD_LIMITS.fieldValue) return whole;
  // Too long as it is: long lines are shortened, then whole lines kept while they fit, then a count of the rest.
  mark();
  const lines = numbered(CAP.evidenceLine);
  for (let n = lines.length; n > 0; n--) {
    const rest = lines.length - n;
    const value = codeBlock(lines.slice(0, n).join("\n")) + (rest ? `\n${text[lang].moreLines(rest)}` : "");
    if (value.length <= DISCORD_LIMITS.fieldValue) return value;
  }
  return codeBlock(clip(lines[0]!, DISCORD_LIMITS.fieldValue - 10));
}

function furtherValue(rest: Diagnosis[], lang: Lang, mark: () => void): string | undefined {
  if (!rest.length) return undefined;
  const t = messages(lang);
  const lines: string[] = [];
  let value = "";
  for (const [i, d] of rest.slice(0, MAX_FURTHER).entries()) {
    const line = `• **${clip(d.title, 120)}** — ${t.confidenceNames[d.confidence]} · \`${d.ruleId}\`\n  ${clip(d.summary, CAP.further)}`;
    const left = rest.length - i - 1;
    const tail = left ? `\n${text[lang].more(left)}` : "";
    if ((value ? value.length + 1 : 0) + line.length + tail.length > DISCORD_LIMITS.fieldValue) break;
    lines.push(line);
    value = lines.join("\n");
  }
  if (lines.length < rest.length) {
    // Past the first few, further causes are only counted; fewer than those means the field was full.
    if (lines.length < Math.min(rest.length, MAX_FURTHER)) mark();
    value += `\n${text[lang].more(rest.length - lines.length)}`;
  }
  return value || undefined;
}

function fixPieces(d: Diagnosis, lang: Lang, mark: () => void): Piece[] {
  const t = messages(lang);
  return d.fix.map((f, i) => {
    const description = clip(f.description, CAP.description);
    const command = clip(f.command, CAP.command);
    if (description !== f.description || command !== f.command) mark();
    const head = i === 0 ? `**${t.fix}**\n` : "";
    return { where: "description", priority: i === 0 ? 85 : 70 - i, value: `${head}**${i + 1}.** ${description}\n${codeBlock(command, "sh")}` };
  });
}

/** Drops the least important pieces until the description and the whole embed fit. */
function fit(pieces: Piece[], fixedChars: number, descriptionMax: number, totalMax: number): { kept: Piece[]; dropped: boolean } {
  const keep = pieces.map(() => true);
  const descLen = () => pieces.reduce((n, p, i) => n + (keep[i] && p.where === "description" ? p.value.length + 2 : 0), 0);
  const total = () => fixedChars + pieces.reduce((n, p, i) => n + (keep[i] ? p.value.length + (p.name?.length ?? 0) + 2 : 0), 0);
  const order = pieces.map((p, i) => ({ p, i })).sort((a, b) => a.p.priority - b.p.priority || b.i - a.i);
  let dropped = false;
  for (const { p, i } of order) {
    if (descLen() <= descriptionMax && total() <= totalMax) break;
    if (p.priority >= 100) continue;
    if (p.where === "field" && total() <= totalMax) continue;
    keep[i] = false;
    dropped = true;
  }
  return { kept: pieces.filter((_, i) => keep[i]), dropped };
}

function linkRow(d: Diagnosis, mark: () => void): ButtonRow | undefined {
  const docs = d.docs.filter((x) => /^https?:\/\//.test(x.url) && x.url.length <= DISCORD_LIMITS.linkUrl);
  if (docs.length < d.docs.length || docs.length > MAX_DOCS) mark();
  const shown = docs.slice(0, MAX_DOCS);
  if (!shown.length) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: shown.map((x) => ({ type: ComponentType.Button, style: ButtonStyle.Link, label: clip(`📖 ${x.title}`, DISCORD_LIMITS.buttonLabel), url: x.url })),
  };
}

export function feedbackRow(answerId: string, lang: Lang): ButtonRow {
  const s = text[lang];
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Success, label: s.fixedIt, emoji: { name: "✅" }, custom_id: feedbackCustomId("fixed", answerId) },
      { type: ComponentType.Button, style: ButtonStyle.Danger, label: s.wrongDiagnosis, emoji: { name: "❌" }, custom_id: feedbackCustomId("wrong", answerId) },
    ],
  };
}

function noCauseEmbed(result: DiagnoseResult, opts: DiscordAnswerOptions): APIEmbed {
  const t = messages(result.lang);
  const body = [result.dockerLog ? t.noCauseBody : t.notDocker, "", `**${t.nextSteps}**`, ...t.genericSteps.map((s) => `• ${s}`)].join("\n");
  const fields: APIEmbedField[] = opts.source ? [{ name: text[result.lang].source, value: clip(opts.source, CAP.source), inline: true }] : [];
  return { title: clip(t.noCause, DISCORD_LIMITS.title), description: clip(body, DISCORD_LIMITS.description), color: COLOR.none, ...(fields.length ? { fields } : {}) };
}

/** The answer to a diagnosed log: the first cause in full, further causes briefly, feedback. */
export function renderDiscordAnswer(result: DiagnoseResult, opts: DiscordAnswerOptions = {}): DiscordAnswer {
  const lang = result.lang;
  const t = messages(lang);
  const [first, ...rest] = result.diagnoses;
  if (!first) return { embeds: [noCauseEmbed(result, opts)], components: [], cut: false };

  let cut = false;
  const mark = () => void (cut = true);
  const title = clip(first.title, DISCORD_LIMITS.title);
  if (title !== first.title) mark();
  // An answer of the LLM fallback says so on its own line, before the summary.
  const fullSummary = summaryWithoutLabel(first, result);
  const summary = clip(fullSummary, CAP.summary);
  if (summary !== fullSummary) mark();
  const lead = isAiSuggestion(first, result) ? `⚠️ **${t.unverified}**\n${summary}` : summary;

  const pieces: Piece[] = [{ where: "description", priority: 100, value: lead }, ...fixPieces(first, lang, mark)];
  const id = `${first.ruleId}${first.variant ? `/${first.variant}` : ""}`;
  const url = ruleUrl(first.ruleId);
  pieces.push({ where: "field", priority: 90, name: t.confidence, value: `${t.confidenceNames[first.confidence]} · ${url ? `[${id}](${url})` : `\`${id}\``}`, inline: true });
  if (opts.source) pieces.push({ where: "field", priority: 88, name: text[lang].source, value: clip(opts.source, CAP.source), inline: true });
  const evidence = numberedEvidence(first, lang, mark);
  if (evidence) pieces.push({ where: "field", priority: 80, name: t.evidence, value: evidence });
  const further = furtherValue(rest, lang, mark);
  if (further) pieces.push({ where: "field", priority: 67, name: t.alsoFound, value: further });
  const links = linkRow(first, mark);

  // The cut note and the largest possible tally always fit: room is kept for them.
  const note = text[lang].cut;
  const reserve = note.length + 2 + TALLY_RESERVE;
  const { kept, dropped } = fit(pieces, title.length, DISCORD_LIMITS.description - note.length - 2, DISCORD_LIMITS.embedTotal - reserve);
  if (dropped) mark();

  const description = kept.filter((p) => p.where === "description").map((p) => p.value);
  if (cut) description.push(note);
  const fields = kept
    .filter((p) => p.where === "field")
    .slice(0, DISCORD_LIMITS.fields)
    .map((p): APIEmbedField => ({ name: clip(p.name ?? "", DISCORD_LIMITS.fieldName), value: p.value, ...(p.inline ? { inline: true } : {}) }));
  const embed: APIEmbed = { title, description: description.join("\n\n"), color: COLOR[first.confidence], fields };
  if (opts.tally) embed.footer = { text: text[lang].tally(opts.tally) };

  const components: ButtonRow[] = [];
  if (links) components.push(links);
  if (opts.answerId) components.push(feedbackRow(opts.answerId, lang));
  return { embeds: [embed], components, cut };
}

/** The same answer embed with its feedback tally in the footer (replacing an earlier one). */
export function withTally(embed: APIEmbed, tally: Tally, lang: Lang): APIEmbed {
  const next: APIEmbed = { ...embed, footer: { text: text[lang].tally(tally) } };
  // An embed we did not render ourselves could be full already: then the tally stays off.
  return embedLength(next) <= DISCORD_LIMITS.embedTotal ? next : embed;
}

/** A thread name for an answer: the cause, within Discord's 100 characters. */
export function threadName(result: DiagnoseResult): string {
  const first = result.diagnoses[0];
  return clip(`buildx-fix: ${first ? first.title : messages(result.lang).noCause}`, DISCORD_LIMITS.threadName);
}

export { clip };
