// What the engine hands to renderers and adapters. The JSON contract of `diagnose --json`
// is built from these (see renderers/json.ts), so field names here are public.
import type { Condition, Confidence, DocLink } from "../rules/schema.js";

export type Lang = "en" | "zh";
export type Facts = Record<string, string>;

export interface Evidence {
  /** 1-based line number in the pasted log (after CRLF / lone CR became line breaks). */
  line: number;
  text: string;
}

export interface FixStep {
  description: string;
  command: string;
}

export interface Diagnosis {
  ruleId: string;
  /** The cause this answer reports as (the rule's `family`, its id by default), for grouping. */
  family: string;
  /** The variant of a rule with several (e.g. non-ascii-context-path's `session-name`). */
  variant?: string;
  title: string;
  confidence: Confidence;
  priority: number;
  summary: string;
  fix: FixStep[];
  docs: DocLink[];
  evidence: Evidence[];
  facts: Facts;
}

export interface DiagnoseResult {
  source: "rules" | "llm" | "none";
  lang: Lang;
  diagnoses: Diagnosis[];
  /** Facts found in the whole log, before any rule added its own. */
  facts: Facts;
  conditions: Condition[];
  /** Whether the text looks like Docker output at all; if not, nothing is confident. */
  dockerLog: boolean;
}

export interface DiagnoseOptions {
  /** `auto` answers in Chinese when the log or the words around it are Chinese. */
  lang?: Lang | "auto";
}
