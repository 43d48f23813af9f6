// An alert as chat messages: a headline (repo, workflow / job, branch, short commit, a link to the
// run) above the diagnosis exactly as the chat adapters render it (fixes, evidence, docs,
// feedback buttons); the "seen N times" note for a repeat; the short note when logs could not
// be read. Everything that came with the request is masked and escaped.
import type { KnownBlock } from "@slack/types";
import type { DiagnoseResult, Lang } from "../engine/types.js";
import { redact } from "../redact/secrets.js";
import { DISCORD_LIMITS, clip as discordClip, renderDiscordAnswer } from "../renderers/discord-embed.js";
import { type SlackMessage, clip, escapeMrkdwn, renderSlackAnswer } from "../renderers/slack-blocks.js";
import type { AlertMeta } from "./schema.js";

const text = {
  en: {
    failed: "CI build failed",
    run: "run",
    seen: (n: number) => `Seen ${n} times`,
    latest: "latest run",
    unreadable: "CI build failed, but its logs could not be read",
  },
  zh: {
    failed: "CI 构建失败",
    run: "运行记录",
    seen: (n: number) => `已出现 ${n} 次`,
    latest: "最近一次运行",
    unreadable: "CI 构建失败，但无法读取它的日志",
  },
} as const;

/** Masked, single-line, capped. */
function field(s: string | undefined, max = 120): string | undefined {
  if (!s) return undefined;
  return redact(s).replace(/\s+/g, " ").trim().slice(0, max) || undefined;
}

function parts(meta: AlertMeta) {
  const where = [field(meta.workflow), field(meta.job)].filter(Boolean).join(" / ");
  return {
    title: field(meta.title, 150),
    repo: field(meta.repo),
    where: where || undefined,
    branch: field(meta.branch),
    commit: field(meta.commit)?.slice(0, 7),
    runUrl: meta.runUrl ? redact(meta.runUrl) : undefined,
  };
}

// Slack -------------------------------------------------------------------------------------

const slackLink = (url: string, label: string) => `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(label)}>`;

export function slackHeadline(meta: AlertMeta, lang: Lang, lead: string = text[lang].failed): string {
  const p = parts(meta);
  const bits = [`:rotating_light: *${escapeMrkdwn(p.title ?? lead)}*`];
  if (p.repo) bits.push(`\`${escapeMrkdwn(p.repo)}\``);
  if (p.where) bits.push(escapeMrkdwn(p.where));
  if (p.branch) bits.push(`branch \`${escapeMrkdwn(p.branch)}\``);
  if (p.commit) bits.push(`commit \`${escapeMrkdwn(p.commit)}\``);
  if (p.runUrl) bits.push(slackLink(p.runUrl, text[lang].run));
  return clip(bits.join(" · "), 2900);
}

export function renderSlackAlert(result: DiagnoseResult, meta: AlertMeta, answerId: string): SlackMessage {
  const answer = renderSlackAnswer(result, { answerId });
  const head: KnownBlock = { type: "section", block_id: "bxf_ci_alert", text: { type: "mrkdwn", text: slackHeadline(meta, result.lang) } };
  const p = parts(meta);
  const lead = `${text[result.lang].failed}${p.repo ? ` in ${escapeMrkdwn(p.repo)}` : ""}${p.branch ? ` (${escapeMrkdwn(p.branch)})` : ""}`;
  return { text: clip(`${lead}\n${answer.text}`, 3000), blocks: [head, ...answer.blocks] };
}

export function slackSeen(meta: AlertMeta, count: number, lang: Lang): string {
  const p = parts(meta);
  const bits = [`*${text[lang].seen(count)}*`];
  if (p.branch) bits.push(`branch \`${escapeMrkdwn(p.branch)}\``);
  if (p.commit) bits.push(`commit \`${escapeMrkdwn(p.commit)}\``);
  if (p.runUrl) bits.push(`${text[lang].latest}: ${slackLink(p.runUrl, p.runUrl)}`);
  return bits.join(" · ");
}

// Discord -----------------------------------------------------------------------------------

const mdEscape = (s: string) => s.replace(/([\\`*_~|>[\]()#-])/g, "\\$1");

export function discordHeadline(meta: AlertMeta, lang: Lang, lead: string = text[lang].failed): string {
  const p = parts(meta);
  const bits = [`🚨 **${mdEscape(p.title ?? lead)}**`];
  if (p.repo) bits.push(`\`${p.repo.replace(/`/g, "'")}\``);
  if (p.where) bits.push(mdEscape(p.where));
  if (p.branch) bits.push(`branch \`${p.branch.replace(/`/g, "'")}\``);
  if (p.commit) bits.push(`commit \`${p.commit.replace(/`/g, "'")}\``);
  if (p.runUrl) bits.push(`[${text[lang].run}](<${p.runUrl}>)`);
  return discordClip(bits.join(" · "), DISCORD_LIMITS.content);
}

export interface DiscordAlert {
  content: string;
  embeds: ReturnType<typeof renderDiscordAnswer>["embeds"];
  components: ReturnType<typeof renderDiscordAnswer>["components"];
}

export function renderDiscordAlert(result: DiagnoseResult, meta: AlertMeta, answerId: string): DiscordAlert {
  const answer = renderDiscordAnswer(result, result.diagnoses.length ? { answerId } : {});
  return { content: discordHeadline(meta, result.lang), embeds: answer.embeds, components: answer.components };
}

export function discordSeen(meta: AlertMeta, count: number, lang: Lang): string {
  const p = parts(meta);
  const bits = [`**${text[lang].seen(count)}**`];
  if (p.branch) bits.push(`branch \`${p.branch.replace(/`/g, "'")}\``);
  if (p.commit) bits.push(`commit \`${p.commit.replace(/`/g, "'")}\``);
  if (p.runUrl) bits.push(`${text[lang].latest}: <${p.runUrl}>`);
  return discordClip(bits.join(" · "), DISCORD_LIMITS.content);
}

// Logs that could not be read ---------------------------------------------------------------

export function unreadableLead(lang: Lang): string {
  return text[lang].unreadable;
}
