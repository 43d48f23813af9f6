// How renderers mark an answer of the LLM fallback. The diagnosis's summary itself starts with
// the "AI suggestion, not a verified rule" label, so every surface that shows only the summary
// (JSON, chat) carries it; renderers with room for it show the label on its own line instead,
// and the summary without it.
import type { DiagnoseResult, Diagnosis } from "../engine/types.js";
import { messages } from "../i18n/messages.js";

/** The LLM fallback's diagnosis comes first in a result whose source is "llm". */
export function isAiSuggestion(d: Diagnosis, result: DiagnoseResult): boolean {
  return result.source === "llm" && result.diagnoses[0] === d;
}

/** The summary without its leading AI label, for renderers that show the label apart. */
export function summaryWithoutLabel(d: Diagnosis, result: DiagnoseResult): string {
  const label = `${messages(result.lang).unverified}: `;
  return isAiSuggestion(d, result) && d.summary.startsWith(label) ? d.summary.slice(label.length) : d.summary;
}
