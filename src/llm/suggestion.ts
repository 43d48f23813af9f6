// A checked model reply -> a Diagnosis the renderers and adapters already know, marked as what
// it is: the summary says it is an AI suggestion, not a verified rule; the confidence is never
// "high"; the rule id is a known rule's only when the model named one that exists; links and
// commands off the allowlist are gone; every text is masked; evidence lines are the log's own
// lines picked by number, never text the model wrote.
import { normalizeForFingerprint } from "../core/fingerprint.js";
import type { Diagnosis, Evidence, Facts, FixStep, Lang } from "../engine/types.js";
import { messages } from "../i18n/messages.js";
import { redact } from "../redact/secrets.js";
import { hostsIn, pipesDownloadToShell, scrubPipesToShell } from "./hosts.js";
import type { LinkAllowlist } from "./links.js";
import type { LlmAnswer } from "./schema.js";
import type { WindowLine } from "./window.js";

import { LLM_RULE_ID } from "../renderers/llm-rule-id.js";

export { LLM_RULE_ID };

const MAX_DOCS = 5;
const MAX_FIX = 4;
const MAX_EVIDENCE = 5;

const linkRemoved: Record<Lang, string> = { en: "(link removed)", zh: "（链接已移除）" };
const commandRemoved: Record<Lang, string> = { en: "(command removed)", zh: "（命令已移除）" };

/** What is kept of a reply, independent of the log it came from (cached per fingerprint). */
export interface Suggestion {
  cause: string;
  summary: string;
  fix: FixStep[];
  docs: Array<{ title: string; url: string }>;
  confidence: "medium" | "low";
  ruleId: string;
  /** The evidence lines' text (masked), found again by text in a later paste of the same failure. */
  evidence: string[];
  /** Links and commands the allowlist removed. */
  dropped: number;
}

export function toSuggestion(
  answer: LlmAnswer,
  opts: { lang: Lang; knownRules: ReadonlySet<string>; allowlist: LinkAllowlist; window: readonly WindowLine[]; facts?: Facts },
): Suggestion {
  const { allowlist, lang } = opts;
  let dropped = 0;
  // Prose may repeat any host of the log; a command only the registry hosts of the image the
  // rules found, since a log can carry an attacker's text that the model would echo.
  const logHosts = hostsIn(opts.window.map((l) => l.text).join("\n"));
  const factHosts = hostsIn(Object.values(opts.facts ?? {}).join("\n"));
  const prose = (s: string) => {
    const scrubbed = scrubPipesToShell(allowlist.scrubText(s, linkRemoved[lang], logHosts), commandRemoved[lang]);
    if (scrubbed !== s) dropped++;
    return redact(scrubbed.trim());
  };
  const fix: FixStep[] = [];
  for (const f of answer.fix) {
    const command = f.command.trim();
    if (!command) continue;
    if (pipesDownloadToShell(command) || allowlist.hasForeignUrl(command, factHosts)) {
      dropped++;
      continue;
    }
    if (fix.length < MAX_FIX) fix.push({ description: prose(f.description), command: redact(command) });
  }
  const docs: Suggestion["docs"] = [];
  for (const d of answer.docs) {
    const url = d.url.trim();
    if (!allowlist.allows(url)) {
      dropped++;
      continue;
    }
    if (docs.length < MAX_DOCS && !docs.some((x) => x.url === url)) docs.push({ title: prose(d.title), url });
  }
  const byLine = new Map(opts.window.map((l) => [l.line, l.text]));
  const evidence: string[] = [];
  for (const n of answer.evidenceLines ?? []) {
    const text = byLine.get(n);
    if (text !== undefined && !evidence.includes(text) && evidence.length < MAX_EVIDENCE) evidence.push(text);
  }
  const ruleId = answer.ruleId?.trim();
  return {
    cause: prose(answer.cause),
    summary: prose(answer.summary),
    fix,
    docs,
    confidence: answer.confidence === "low" ? "low" : "medium",
    ruleId: ruleId && opts.knownRules.has(ruleId) ? ruleId : LLM_RULE_ID,
    evidence,
    dropped,
  };
}

/** The suggestion as a diagnosis of this paste: its facts, and evidence at this paste's line numbers. */
export function toDiagnosis(s: Suggestion, opts: { lang: Lang; facts: Facts; window: readonly WindowLine[] }): Diagnosis {
  const t = messages(opts.lang);
  const evidence: Evidence[] = [];
  for (const text of s.evidence) {
    const key = normalizeForFingerprint(text);
    const found = opts.window.find((l) => l.text === text) ?? opts.window.find((l) => normalizeForFingerprint(l.text) === key);
    if (found) evidence.push({ line: found.line, text: found.text });
  }
  evidence.sort((a, b) => a.line - b.line);
  return {
    ruleId: s.ruleId,
    // A known rule the model named, or the LLM's own id: either way its own family.
    family: s.ruleId,
    title: s.cause,
    confidence: s.confidence,
    priority: 0,
    summary: `${t.unverified}: ${s.summary}`,
    fix: s.fix.map((f) => ({ ...f })),
    docs: s.docs.map((d) => ({ ...d })),
    evidence,
    facts: { ...opts.facts },
  };
}
