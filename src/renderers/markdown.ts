// Markdown for GitHub step summaries, issues and anywhere else that renders it.
import type { DiagnoseResult, Diagnosis } from "../engine/types.js";
import { messages } from "../i18n/messages.js";
import { isAiSuggestion, summaryWithoutLabel } from "./ai-marking.js";
import { ruleUrl } from "./rule-link.js";

/** A fenced block that survives backticks inside the content. */
export function fence(body: string, lang = ""): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}${lang}\n${body}\n${f}`;
}

function diagnosisMarkdown(d: Diagnosis, result: DiagnoseResult, heading: string): string {
  const t = messages(result.lang);
  const out: string[] = [];
  out.push(`${heading} ${d.title}`, "");
  if (isAiSuggestion(d, result)) out.push(`> ⚠️ **${t.unverified}**`, "");
  const url = ruleUrl(d.ruleId);
  const id = url ? `[\`${d.ruleId}\`](${url})` : `\`${d.ruleId}\``;
  out.push(`${id}${d.variant ? ` (${d.variant})` : ""} · ${t.confidence}: **${t.confidenceNames[d.confidence]}**`, "");
  out.push(summaryWithoutLabel(d, result), "");
  if (d.fix.length) {
    out.push(`**${t.fix}**`, "");
    for (const f of d.fix) out.push(`- ${f.description}`, "", fence(f.command, "sh"), "");
  }
  if (d.evidence.length) {
    out.push(`**${t.evidence}**`, "", fence(d.evidence.map((e) => `${String(e.line).padStart(5)} | ${e.text}`).join("\n")), "");
  }
  if (d.docs.length) out.push(`**${t.docs}**: ${d.docs.map((x) => `[${x.title}](${x.url})`).join(" · ")}`, "");
  return out.join("\n");
}

export function renderMarkdown(result: DiagnoseResult): string {
  const t = messages(result.lang);
  const [first, ...rest] = result.diagnoses;
  if (!first) {
    const body = result.dockerLog ? t.noCauseBody : t.notDocker;
    return [`### buildx-fix: ${t.noCause}`, "", body, "", `**${t.nextSteps}**`, "", ...t.genericSteps.map((s) => `- ${s}`), ""].join("\n");
  }
  const out = [diagnosisMarkdown(first, result, "### buildx-fix:")];
  if (rest.length) {
    out.push(`#### ${t.alsoFound}`, "");
    for (const d of rest) out.push(diagnosisMarkdown(d, result, "#####"));
  }
  return out.join("\n");
}

