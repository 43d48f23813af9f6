// Plain terminal text, coloured when the output is a terminal that wants colour.
import type { DiagnoseResult, Diagnosis } from "../engine/types.js";
import { lineLabel, messages } from "../i18n/messages.js";
import { isAiSuggestion, summaryWithoutLabel } from "./ai-marking.js";
import { ruleUrl } from "./rule-link.js";

export interface TerminalStyle {
  color: boolean;
}

export function wantsColor(stream: { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY);
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function block(d: Diagnosis, result: DiagnoseResult, style: TerminalStyle, primary: boolean): string[] {
  const t = messages(result.lang);
  const c = style.color;
  const confColor = d.confidence === "high" ? "32" : d.confidence === "medium" ? "33" : "90";
  const out: string[] = [];
  out.push(`${paint(c, primary ? "1;31" : "1", primary ? "✖ " + d.title : "• " + d.title)}  ${paint(c, "90", `[${d.ruleId}${d.variant ? `/${d.variant}` : ""}]`)} ${paint(c, confColor, `${t.confidence}: ${t.confidenceNames[d.confidence]}`)}`);
  // An answer of the LLM fallback says so before anything else about it.
  if (isAiSuggestion(d, result)) out.push(`  ${paint(c, "1;33", `⚠ ${t.unverified}`)}`);
  out.push(`  ${summaryWithoutLabel(d, result)}`);
  if (d.fix.length) {
    out.push("", `  ${paint(c, "1", t.fix)}:`);
    for (const f of d.fix) {
      out.push(`  - ${f.description}`);
      for (const line of f.command.split("\n")) out.push(`      ${paint(c, "36", line)}`);
    }
  }
  if (d.evidence.length) {
    out.push("", `  ${paint(c, "1", t.evidence)}:`);
    for (const e of d.evidence) out.push(`    ${paint(c, "90", lineLabel(result.lang, e.line).padEnd(9))} ${e.text}`);
  }
  if (d.docs.length) {
    out.push("", `  ${paint(c, "1", t.docs)}:`);
    for (const x of d.docs) out.push(`    ${x.title}: ${paint(c, "4", x.url)}`);
  }
  const url = ruleUrl(d.ruleId);
  if (url) out.push("", `  ${paint(c, "1", t.rulePage)}: ${paint(c, "4", url)}`);
  return out;
}

export function renderTerminal(result: DiagnoseResult, style: TerminalStyle = { color: false }): string {
  const t = messages(result.lang);
  const [first, ...rest] = result.diagnoses;
  if (!first) {
    const body = result.dockerLog ? t.noCauseBody : t.notDocker;
    return [paint(style.color, "1;33", `? ${t.noCause}`), `  ${body}`, "", `  ${t.nextSteps}:`, ...t.genericSteps.map((s) => `  - ${s}`), ""].join("\n");
  }
  const out = block(first, result, style, true);
  if (rest.length) {
    out.push("", paint(style.color, "1", `${t.alsoFound}:`));
    for (const d of rest) out.push("", ...block(d, result, style, false));
  }
  out.push("");
  return out.join("\n");
}
