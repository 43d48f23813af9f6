// /rules/<id>: one rule's page, rendered from its data (src/rules/rule-page.ts): title,
// summary, fixes, docs, how it matches, and its examples with the engine's live verdict.
import type { Lang } from "../../engine/types.js";
import { messages } from "../../i18n/messages.js";
import type { PageExample, PageFix, RulePage } from "../../rules/rule-page.js";
import { type SafeHtml, html } from "../html.js";
import { strings } from "../i18n.js";
import { href } from "../layout.js";

function fixList(fixes: PageFix[], lang: Lang, prefix: string): SafeHtml {
  const w = strings(lang);
  return html`<ol class="fixes">${fixes.map(
    (f, i) => html`<li><p>${f.description}</p><div class="cmd"><pre><code id="${prefix}-${i}">${f.command}</code></pre><button type="button" class="copy" data-copy="${prefix}-${i}" data-copied="${w.copied}">${w.copy}</button></div></li>`,
  )}</ol>`;
}

function example(ex: PageExample, kind: "match" | "nearMiss", lang: Lang): SafeHtml {
  const w = strings(lang);
  const verdict = ex.ok ? (kind === "match" ? `✓ ${w.fires}` : `✓ ${w.firesNot}`) : `✗ ${w.broken}: ${ex.problem ?? ""}`;
  return html`<li class="example ${ex.ok ? "ok" : "bad"}">
<p class="verdict" data-verdict="${ex.ok ? "ok" : "failed"}">${verdict}${ex.variant ? html` · ${w.variant} <code>${ex.variant}</code>` : ""}</p>
<pre tabindex="0">${ex.log}</pre>
${ex.note ? html`<p class="hint">${ex.note}</p>` : ""}
${ex.source && /^https?:\/\//i.test(ex.source) ? html`<p class="hint"><a href="${ex.source}" rel="noopener noreferrer">${w.sourceLink}</a></p>` : ""}
</li>`;
}

const codes = (list: string[]) => list.map((s, i) => html`${i ? ", " : ""}<code>${s}</code>`);

export function ruleBody(p: RulePage): SafeHtml {
  const w = strings(p.lang);
  const matchers = p.matchers.map(
    (m) => html`<section class="matcher">
${m.variant ? html`<h3>${w.variant} <code>${m.variant}</code>${m.title ? html`: ${m.title}` : ""}</h3>` : ""}
${m.summary ? html`<p>${m.summary}</p>` : ""}
<dl>
<dt>${w.keywords}</dt><dd>${codes(m.keywords)}</dd>
<dt>${w.patterns}</dt><dd><ul class="patterns">${m.patterns.map((s) => html`<li><code>${s}</code></li>`)}</ul></dd>
${m.when.length ? html`<dt>${w.when}</dt><dd>${codes(m.when)}</dd>` : ""}
${m.whenNot.length ? html`<dt>${w.whenNot}</dt><dd>${codes(m.whenNot)}</dd>` : ""}
${m.unless.length ? html`<dt>${w.unless}</dt><dd>${m.unless.map((id, i) => html`${i ? ", " : ""}<a href="${href(`/rules/${id}`, p.lang)}"><code>${id}</code></a>`)}</dd>` : ""}
</dl>
${m.fix ? html`<h4>${w.fixes}</h4>${fixList(m.fix, p.lang, `fix-${m.variant ?? "rule"}`)}` : ""}
${m.docs ? html`<h4>${w.docs}</h4><ul class="docs">${m.docs.map((d) => html`<li><a href="${d.url}" rel="noopener noreferrer">${d.title}</a></li>`)}</ul>` : ""}
</section>`,
  );
  return html`<p class="crumbs"><a href="${href("/rules", p.lang)}">← ${w.allRules}</a></p>
<h1>${p.title}</h1>
<p class="meta"><code>${p.id}</code> · ${w.category}: ${p.category} · ${w.confidence}: ${messages(p.lang).confidenceNames[p.confidence]} · ${w.priority}: ${p.priority} · ${w.origin}: ${p.origin}</p>
<h2>${w.summary}</h2>
<p class="summary">${p.summary}</p>
<h2>${w.fixes}</h2>
${fixList(p.fix, p.lang, "fix")}
<h2>${w.docs}</h2>
<ul class="docs">${p.docs.map((d) => html`<li><a href="${d.url}" rel="noopener noreferrer">${d.title}</a></li>`)}</ul>
<h2>${w.howItMatches}</h2>
${matchers}
<h2 id="examples">${w.examples}</h2>
<ul class="examples">${p.examples.match.map((e) => example(e, "match", p.lang))}</ul>
<h2 id="near-misses">${w.nearMisses}</h2>
<ul class="examples">${p.examples.nearMiss.map((e) => example(e, "nearMiss", p.lang))}</ul>`;
}
