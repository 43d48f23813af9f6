// The JSON contract of `buildx-fix diagnose --json`: other tools and CI steps parse it, so it
// carries exactly these fields, in this order, whatever the engine adds internally.
import type { DiagnoseResult } from "../engine/types.js";
import { ruleUrl } from "./rule-link.js";

export interface JsonDiagnosis {
  ruleId: string;
  title: string;
  confidence: "high" | "medium" | "low";
  summary: string;
  fix: Array<{ description: string; command: string }>;
  docs: Array<{ title: string; url: string }>;
  evidence: Array<{ line: number; text: string }>;
  facts: Record<string, string>;
  /** The rule's page on the web console; only when PUBLIC_URL is set. */
  ruleUrl?: string;
}

export interface JsonResult {
  source: "rules" | "llm" | "none";
  diagnoses: JsonDiagnosis[];
}

export function toJson(result: DiagnoseResult): JsonResult {
  return {
    source: result.source,
    diagnoses: result.diagnoses.map((d) => {
      const url = ruleUrl(d.ruleId);
      return {
        ruleId: d.ruleId,
        title: d.title,
        confidence: d.confidence,
        summary: d.summary,
        fix: d.fix.map((f) => ({ description: f.description, command: f.command })),
        docs: d.docs.map((x) => ({ title: x.title, url: x.url })),
        evidence: d.evidence.map((e) => ({ line: e.line, text: e.text })),
        facts: { ...d.facts },
        ...(url ? { ruleUrl: url } : {}),
      };
    }),
  };
}

export function renderJson(result: DiagnoseResult): string {
  return JSON.stringify(toJson(result), null, 2);
}
