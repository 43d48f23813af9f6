// The Slack messages and views that are not a diagnosis: help, the list of causes, stats, and
// the "paste a log" modal. Kept within the same Block Kit limits as answers.
import type { KnownBlock, View } from "@slack/types";
import type { RuleStats } from "../../core/bot-service.js";
import type { RuleEngine } from "../../engine/engine.js";
import type { Lang } from "../../engine/types.js";
import { SLACK_LIMITS, type SlackMessage, clip, escapeMrkdwn } from "../../renderers/slack-blocks.js";
import { slackText } from "./text.js";

export const MODAL_CALLBACK = "bxf_diagnose_modal";
export const MODAL_LOG = { block: "log", action: "log_text" } as const;
export const MODAL_LANG = { block: "lang", action: "lang_choice" } as const;
/** Slack's limit for a plain_text_input. */
export const MODAL_MAX_CHARS = 3000;

/** Lines as sections of at most 3 000 characters (and at most `maxBlocks` of them). */
function sections(title: string, lines: string[], maxBlocks = 40): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = title;
  for (const line of lines) {
    if (current.length + line.length + 1 > SLACK_LIMITS.sectionText) {
      blocks.push({ type: "section", text: { type: "mrkdwn", text: current } });
      current = "";
    }
    current = current ? `${current}\n${line}` : clip(line, SLACK_LIMITS.sectionText);
  }
  if (current) blocks.push({ type: "section", text: { type: "mrkdwn", text: current } });
  return blocks.slice(0, maxBlocks);
}

export function helpMessage(lang: Lang, command: string): SlackMessage {
  const text = slackText(lang).help(command);
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

export function rulesMessage(engine: RuleEngine, lang: Lang): SlackMessage {
  const rules = [...engine.rules].sort((a, b) => a.rule.id.localeCompare(b.rule.id));
  const title = slackText(lang).rulesTitle(rules.length);
  const lines = rules.map(({ rule }) => `• \`${rule.id}\` ${escapeMrkdwn(rule.title[lang])}`);
  return { text: `${title.replace(/\*/g, "")}: ${rules.map((r) => r.rule.id).join(", ")}`, blocks: sections(title, lines) };
}

export function statsMessage(stats: RuleStats[], lang: Lang): SlackMessage {
  const t = slackText(lang);
  if (!stats.length) return { text: t.statsEmpty, blocks: sections(t.statsTitle, [t.statsEmpty]) };
  const lines = stats.map((s) => t.statsRow(s.ruleId, s.hits, s.fixed, s.wrong));
  return { text: `${t.statsTitle.replace(/\*/g, "")}\n${lines.join("\n")}`, blocks: sections(t.statsTitle, lines) };
}

export interface ModalMeta {
  channel: string;
}

export function diagnoseModal(lang: Lang, meta: ModalMeta): View {
  const t = slackText(lang);
  const option = (text: string, value: string) => ({ text: { type: "plain_text" as const, text }, value });
  const auto = option(t.langAuto, "auto");
  return {
    type: "modal",
    callback_id: MODAL_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: { type: "plain_text", text: clip(t.modalTitle, 24) },
    submit: { type: "plain_text", text: clip(t.modalSubmit, 24) },
    close: { type: "plain_text", text: clip(t.modalClose, 24) },
    blocks: [
      {
        type: "input",
        block_id: MODAL_LOG.block,
        label: { type: "plain_text", text: t.modalLogLabel },
        hint: { type: "plain_text", text: t.modalLogHint },
        element: { type: "plain_text_input", action_id: MODAL_LOG.action, multiline: true, max_length: MODAL_MAX_CHARS, focus_on_load: true },
      },
      {
        type: "input",
        block_id: MODAL_LANG.block,
        label: { type: "plain_text", text: t.modalLangLabel },
        element: {
          type: "radio_buttons",
          action_id: MODAL_LANG.action,
          initial_option: auto,
          options: [auto, option("English", "en"), option("中文", "zh")],
        },
      },
    ],
  };
}

export function parseModalMeta(raw: string | undefined): ModalMeta | undefined {
  try {
    const meta = JSON.parse(raw ?? "") as Partial<ModalMeta>;
    return typeof meta.channel === "string" && /^[A-Z0-9]+$/.test(meta.channel) ? { channel: meta.channel } : undefined;
  } catch {
    return undefined;
  }
}
