// A diagnosis as a Slack message: Block Kit blocks plus the plain `text` fallback that
// notifications and screen readers use. Pure: the same result and options give the same
// message. Slack's limits are enforced here (50 blocks, 3 000 characters per section, 150 per
// header, 75 per button label, and a total well under the ~13 k characters at which Slack
// answers `msg_blocks_too_long`); whatever is cut is said to be cut.
import type { ActionsBlock, Button, ContextBlock, KnownBlock, RichTextBlock, RichTextElement } from "@slack/types";
import type { DiagnoseResult, Diagnosis, Lang } from "../engine/types.js";
import { messages } from "../i18n/messages.js";
import { clip } from "./clip.js";
import { ruleUrl } from "./rule-link.js";

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  /** Total characters of block text we allow ourselves; Slack refuses at about 13 200. */
  totalText: 11_000,
  /** The fallback `text`; Slack cuts at 40 000, notifications show far less. */
  fallbackText: 3000,
} as const;

/** Action ids of the feedback buttons; their value is `<answerId>:<ruleId>`. */
export const FEEDBACK_ACTIONS = { fixed: "bxf_feedback_fixed", wrong: "bxf_feedback_wrong" } as const;
/** Doc link buttons send an interaction too; their action ids start with this. */
export const DOC_ACTION_PREFIX = "bxf_doc_";
const FEEDBACK_BLOCK = "bxf_feedback";
const TALLY_BLOCK = "bxf_tally";

const MAX_DOCS = 5;
const MAX_FURTHER = 5;

export interface Tally {
  fixed: number;
  wrong: number;
}

export interface SlackAnswerOptions {
  /** Identifies this answer for feedback; without it (or without a diagnosis) no buttons. */
  answerId?: string;
  tally?: Tally;
  /** A short line on where the log came from (a file name, "message by …"); already masked. */
  source?: string;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const slackText = {
  en: {
    fixStep: (n: number) => `${n}.`,
    fixedIt: "✅ Fixed it",
    wrongDiagnosis: "❌ Wrong diagnosis",
    tally: (t: Tally) => `Feedback: ✅ ${t.fixed} fixed it · ❌ ${t.wrong} wrong diagnosis`,
    helpful: "Did this help?",
    more: (n: number) => `…and ${n} more`,
  },
  zh: {
    fixStep: (n: number) => `${n}.`,
    fixedIt: "✅ 已解决",
    wrongDiagnosis: "❌ 诊断不对",
    tally: (t: Tally) => `反馈：✅ ${t.fixed} 人已解决 · ❌ ${t.wrong} 人认为诊断不对`,
    helpful: "这个回答有帮助吗？",
    more: (n: number) => `……另有 ${n} 条`,
  },
} as const;


/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Characters a block contributes to Slack's size limit (its JSON, to be safe). */
function sizeOf(block: KnownBlock): number {
  return JSON.stringify(block).length;
}

/** Caps per piece, so that one long part cannot crowd out the others. */
const CAP = { summary: 2000, description: 400, command: 1500, evidenceLine: 400, further: 280, source: 300 } as const;

/** A block and how much it matters when not everything fits (higher stays longer). */
interface Part {
  block: KnownBlock;
  priority: number;
}

/** Collects parts, noting whether any text had to be cut. */
class Parts {
  readonly list: Part[] = [];
  cut = false;

  add(priority: number, block: KnownBlock): void {
    this.list.push({ block, priority });
  }

  /** `s` cut to `max`, remembering that something was cut. */
  clip(s: string, max: number): string {
    const c = clip(s, max);
    if (c !== s) this.cut = true;
    return c;
  }

  /** Drops the least important parts until the count and size fit; keeps the order. */
  fit(maxBlocks: number, maxChars: number): KnownBlock[] {
    const keep = this.list.map(() => true);
    let count = this.list.length;
    let size = this.list.reduce((n, p) => n + sizeOf(p.block), 0);
    const byImportance = this.list.map((p, i) => ({ p, i })).sort((a, b) => a.p.priority - b.p.priority || b.i - a.i);
    for (const { p, i } of byImportance) {
      if (count <= maxBlocks && size <= maxChars) break;
      keep[i] = false;
      count--;
      size -= sizeOf(p.block);
      this.cut = true;
    }
    return this.list.filter((_, i) => keep[i]).map((p) => p.block);
  }
}

/** A bold label, a line of plain text after it, and a code block (which needs no escaping). */
function codeBlock(label: string, after: string, code: string): RichTextBlock {
  const intro: RichTextElement[] = [{ type: "text", text: label, style: { bold: true } }];
  if (after) intro.push({ type: "text", text: after });
  return {
    type: "rich_text",
    elements: [
      { type: "rich_text_section", elements: intro },
      { type: "rich_text_preformatted", elements: [{ type: "text", text: code }] },
    ],
  };
}

function button(text: string, extra: Omit<Button, "type" | "text">): Button {
  return { type: "button", text: { type: "plain_text", text: clip(text, SLACK_LIMITS.buttonText), emoji: true }, ...extra };
}

function feedbackBlock(answerId: string, ruleId: string, lang: Lang): ActionsBlock {
  const s = slackText[lang];
  const value = clip(`${answerId}:${ruleId}`, SLACK_LIMITS.buttonValue);
  return {
    type: "actions",
    block_id: `${FEEDBACK_BLOCK}:${lang}`,
    elements: [button(s.fixedIt, { action_id: FEEDBACK_ACTIONS.fixed, value, style: "primary" }), button(s.wrongDiagnosis, { action_id: FEEDBACK_ACTIONS.wrong, value })],
  };
}

function tallyBlock(tally: Tally, lang: Lang): ContextBlock {
  return { type: "context", block_id: TALLY_BLOCK, elements: [{ type: "mrkdwn", text: slackText[lang].tally(tally) }] };
}

function primaryParts(d: Diagnosis, lang: Lang, opts: SlackAnswerOptions, parts: Parts): void {
  const t = messages(lang);
  parts.add(100, { type: "header", text: { type: "plain_text", text: parts.clip(d.title, SLACK_LIMITS.headerText), emoji: false } });
  parts.add(95, { type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(parts.clip(d.summary, CAP.summary)) } });
  const id = `${d.ruleId}${d.variant ? `/${d.variant}` : ""}`;
  const url = ruleUrl(d.ruleId);
  const meta = [`${t.confidence}: *${t.confidenceNames[d.confidence]}*`, url ? `<${url}|${id}>` : `\`${id}\``];
  if (opts.source) meta.push(escapeMrkdwn(clip(opts.source, CAP.source)));
  parts.add(90, { type: "context", elements: [{ type: "mrkdwn", text: meta.join(" · ") }] });

  // The first fix matters most; evidence and docs come before the later fixes when space is short.
  d.fix.forEach((f, i) => {
    const label = `${i === 0 ? `${t.fix} ` : ""}${slackText[lang].fixStep(i + 1)} `;
    parts.add(i === 0 ? 85 : 70 - i, codeBlock(label, parts.clip(f.description, CAP.description), parts.clip(f.command, CAP.command)));
  });

  if (d.evidence.length) {
    const width = String(Math.max(...d.evidence.map((e) => e.line))).length;
    const lines = d.evidence.map((e) => `${String(e.line).padStart(width)} | ${parts.clip(e.text, CAP.evidenceLine)}`).join("\n");
    parts.add(80, codeBlock(t.evidence, "", parts.clip(lines, SLACK_LIMITS.sectionText)));
  }

  const docs = d.docs.slice(0, MAX_DOCS);
  if (docs.length) {
    parts.add(75, {
      type: "actions",
      block_id: "bxf_docs",
      elements: docs.map((x, i) => button(`📖 ${x.title}`, { action_id: `${DOC_ACTION_PREFIX}${i}`, url: x.url })),
    });
    if (d.docs.length > docs.length) parts.cut = true;
  }
}

function furtherPart(rest: Diagnosis[], lang: Lang, parts: Parts): void {
  if (!rest.length) return;
  const t = messages(lang);
  const shown = rest.slice(0, MAX_FURTHER);
  const lines = shown.map((d) => `• *${escapeMrkdwn(d.title)}* — ${t.confidence}: ${t.confidenceNames[d.confidence]} (\`${d.ruleId}\`)\n    ${escapeMrkdwn(clip(d.summary, CAP.further))}`);
  if (rest.length > shown.length) lines.push(slackText[lang].more(rest.length - shown.length));
  parts.add(67.5, { type: "section", text: { type: "mrkdwn", text: parts.clip(`*${t.alsoFound}*\n${lines.join("\n")}`, SLACK_LIMITS.sectionText) } });
}

function fallbackText(result: DiagnoseResult): string {
  const t = messages(result.lang);
  const [first, ...rest] = result.diagnoses;
  if (!first) return clip(`buildx-fix: ${t.noCause}. ${result.dockerLog ? t.noCauseBody : t.notDocker}`, SLACK_LIMITS.fallbackText);
  const parts = [`buildx-fix: ${first.title} (${t.confidence}: ${t.confidenceNames[first.confidence]}).`, first.summary];
  const cmd = first.fix[0]?.command;
  if (cmd) parts.push(`${t.fix}: ${cmd}`);
  if (rest.length) parts.push(`${t.alsoFound}: ${rest.map((d) => d.title).join("; ")}`);
  return clip(parts.join("\n"), SLACK_LIMITS.fallbackText);
}

/** The answer to a diagnosed log: the first cause in full, further causes briefly, feedback. */
export function renderSlackAnswer(result: DiagnoseResult, opts: SlackAnswerOptions = {}): SlackMessage {
  const lang = result.lang;
  const t = messages(lang);
  // The feedback buttons, the tally and the "cut" note always fit: room is kept for them.
  const tail: KnownBlock[] = [];
  const [first, ...rest] = result.diagnoses;
  if (first && opts.answerId) {
    tail.push(feedbackBlock(opts.answerId, first.ruleId, lang));
    if (opts.tally) tail.push(tallyBlock(opts.tally, lang));
  }
  const cutNote: ContextBlock = { type: "context", elements: [{ type: "mrkdwn", text: t.truncated }] };
  const reserved = tail.reduce((n, b) => n + sizeOf(b), 0) + sizeOf(cutNote) + sizeOf(tallyBlock({ fixed: 99999, wrong: 99999 }, lang));

  const parts = new Parts();
  if (!first) {
    parts.add(100, { type: "header", text: { type: "plain_text", text: clip(t.noCause, SLACK_LIMITS.headerText) } });
    parts.add(95, { type: "section", text: { type: "mrkdwn", text: result.dockerLog ? t.noCauseBody : t.notDocker } });
    parts.add(90, { type: "section", text: { type: "mrkdwn", text: `*${t.nextSteps}*\n${t.genericSteps.map((s) => `• ${s}`).join("\n")}` } });
    if (opts.source) parts.add(80, { type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(clip(opts.source, CAP.source)) }] });
  } else {
    primaryParts(first, lang, opts, parts);
    furtherPart(rest, lang, parts);
  }
  const blocks = parts.fit(SLACK_LIMITS.blocks - tail.length - 2, SLACK_LIMITS.totalText - reserved);
  if (parts.cut) blocks.push(cutNote);
  blocks.push(...tail);
  return { text: fallbackText(result), blocks };
}

/** The language an answer was rendered in, read back from its feedback block. */
export function answerLang(blocks: readonly KnownBlock[]): Lang {
  const fb = blocks.find((b) => b.type === "actions" && b.block_id?.startsWith(`${FEEDBACK_BLOCK}:`));
  return fb?.block_id?.endsWith(":zh") ? "zh" : "en";
}

/** The same answer with its feedback tally shown (replacing an earlier tally). */
export function withTally(blocks: readonly KnownBlock[], tally: Tally): KnownBlock[] {
  const lang = answerLang(blocks);
  const out = blocks.filter((b) => b.block_id !== TALLY_BLOCK);
  const at = out.findIndex((b) => b.type === "actions" && b.block_id?.startsWith(`${FEEDBACK_BLOCK}:`));
  out.splice(at === -1 ? out.length : at + 1, 0, tallyBlock(tally, lang));
  return out;
}

/** Parses a feedback button's value back into the answer and rule it is about. */
export function parseFeedbackValue(value: string | undefined): { answerId: string; ruleId: string } | undefined {
  const m = /^([A-Za-z0-9_-]+):([a-z0-9-]+)$/.exec(value ?? "");
  return m ? { answerId: m[1]!, ruleId: m[2]! } : undefined;
}

export { clip };
