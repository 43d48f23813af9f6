// The answer as the console shows it (an HTML fragment the try-it page puts under the form):
// the cause, the AI mark when the LLM fallback answered, the summary, each fix command with a
// copy button, the docs, the confidence, the rule (linked to its page), variant and pattern
// behind each evidence line; then the log with the evidence lines marked. Everything that
// comes from the log, the rules or the model goes through `html` and is escaped.
import type { RuleEngine } from "../../engine/engine.js";
import type { DiagnoseResult, Diagnosis, Lang } from "../../engine/types.js";
import { lineLabel, messages } from "../../i18n/messages.js";
import { LLM_RULE_ID } from "../../llm/suggestion.js";
import { isAiSuggestion, summaryWithoutLabel } from "../../renderers/ai-marking.js";
import { matchedPattern } from "../explain.js";
import { type SafeHtml, html } from "../html.js";
import { strings } from "../i18n.js";
import { href } from "../layout.js";
import type { LogExcerpt } from "../log-view.js";

function diagnosisBlock(engine: RuleEngine, d: Diagnosis, result: DiagnoseResult, primary: boolean, index: number): SafeHtml {
  const lang = result.lang;
  const t = messages(lang);
  const w = strings(lang);
  const ai = isAiSuggestion(d, result);
  const known = d.ruleId !== LLM_RULE_ID && engine.rules.some((r) => r.rule.id === d.ruleId);
  const heading = primary ? html`<h2 id="cause-${index}" class="cause">${d.title}</h2>` : html`<h3 id="cause-${index}" class="cause">${d.title}</h3>`;
  const rule = known ? html`<a href="${href(`/rules/${d.ruleId}`, lang)}"><code>${d.ruleId}</code></a>` : html`<code>${d.ruleId}</code>`;
  const fixes = d.fix.map(
    (f, i) => html`<li><p>${f.description}</p><div class="cmd"><pre><code id="cmd-${index}-${i}">${f.command}</code></pre><button type="button" class="copy" data-copy="cmd-${index}-${i}" data-copied="${w.copied}">${w.copy}</button></div></li>`,
  );
  const evidence = d.evidence.map((e) => {
    const pattern = ai ? undefined : matchedPattern(engine, d.ruleId, d.variant, e.text);
    return html`<li><a href="#L${e.line}">${lineLabel(lang, e.line)}</a> <code class="ev">${e.text}</code>${pattern ? html`<div class="pattern">${w.pattern}: <code>${pattern}</code></div>` : ""}</li>`;
  });
  return html`<section class="diagnosis ${primary ? "primary" : ""} conf-${d.confidence}" aria-labelledby="cause-${index}">
${heading}
${ai ? html`<p class="ai-mark" role="note"><strong>⚠ ${t.unverified}</strong></p>` : ""}
<p class="meta"><span>${w.rule}: ${rule}${d.variant ? html` · ${w.variant} <code>${d.variant}</code>` : ""}</span> <span class="confidence">${t.confidence}: <strong>${t.confidenceNames[d.confidence]}</strong></span></p>
<p class="summary">${summaryWithoutLabel(d, result)}</p>
${d.fix.length ? html`<h4>${t.fix}</h4><ol class="fixes">${fixes}</ol>` : ""}
${d.evidence.length ? html`<h4>${t.evidence}</h4><ul class="evidence">${evidence}</ul>` : ""}
${d.docs.length ? html`<h4>${t.docs}</h4><ul class="docs">${d.docs.map((x) => html`<li><a href="${x.url}" rel="noopener noreferrer">${x.title}</a></li>`)}</ul>` : ""}
</section>`;
}

function noCause(result: DiagnoseResult): SafeHtml {
  const t = messages(result.lang);
  return html`<section class="diagnosis none" aria-labelledby="cause-0">
<h2 id="cause-0" class="cause">${t.noCause}</h2>
<p>${result.dockerLog ? t.noCauseBody : t.notDocker}</p>
<h4>${t.nextSteps}</h4>
<ul>${t.genericSteps.map((s) => html`<li>${s}</li>`)}</ul>
</section>`;
}

function logView(log: LogExcerpt, result: DiagnoseResult): SafeHtml {
  const w = strings(result.lang);
  const marks = new Map<number, string[]>();
  for (const d of result.diagnoses) for (const e of d.evidence) marks.set(e.line, [...(marks.get(e.line) ?? []), d.ruleId]);
  const width = String(log.total).length;
  // One block element per line (no newline text between them: the blocks are the lines).
  const parts: SafeHtml[] = [];
  let next = 1;
  for (const c of log.chunks) {
    if (c.start > next) parts.push(html`<span class="gap">${w.logHidden(c.start - next)}</span>`);
    c.lines.forEach((text, i) => {
      const n = c.start + i;
      const rules = marks.get(n);
      const num = html`<span class="n" aria-hidden="true">${String(n).padStart(width)}</span>`;
      parts.push(rules ? html`<mark id="L${n}" class="hit" title="${rules.join(", ")}">${num}${text}</mark>` : html`<span id="L${n}">${num}${text}</span>`);
    });
    next = c.start + c.lines.length;
  }
  if (next <= log.total) parts.push(html`<span class="gap">${w.logHidden(log.total - next + 1)}</span>`);
  return html`<section class="log" aria-labelledby="log-h"><h2 id="log-h">${w.logView}</h2><pre tabindex="0" aria-labelledby="log-h">${parts}</pre></section>`;
}

export function answerFragment(engine: RuleEngine, result: DiagnoseResult, log: LogExcerpt, note?: string): string {
  const t = messages(result.lang);
  const [first, ...rest] = result.diagnoses;
  const lang: Lang = result.lang;
  return html`<div class="answer" lang="${lang === "zh" ? "zh-CN" : "en"}">
${first ? diagnosisBlock(engine, first, result, true, 0) : noCause(result)}
${rest.length ? html`<h2 class="also">${t.alsoFound}</h2>${rest.map((d, i) => diagnosisBlock(engine, d, result, false, i + 1))}` : ""}
${note ? html`<p class="note" role="status">${note}</p>` : ""}
${logView(log, result)}
</div>`.value;
}
