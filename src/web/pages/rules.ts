// /rules: every rule, searchable. The list is rendered here (and filtered here for ?q=, so it
// works without JavaScript); the script filters it as you type.
import type { RuleEngine } from "../../engine/engine.js";
import type { Lang } from "../../engine/types.js";
import { type SafeHtml, html } from "../html.js";
import { strings } from "../i18n.js";
import { href } from "../layout.js";

export function rulesBody(engine: RuleEngine, lang: Lang, query: string): SafeHtml {
  const w = strings(lang);
  const q = query.trim().toLowerCase();
  const items = engine.rules.map(({ rule, builtin }) => {
    const keywords = [...(rule.match?.keywords ?? []), ...(rule.variants ?? []).flatMap((v) => v.match.keywords)];
    const haystack = [rule.id, rule.title.en, rule.title.zh, rule.category, ...keywords].join(" ").toLowerCase();
    const hidden = q !== "" && !haystack.includes(q);
    return html`<li data-search="${haystack}"${hidden ? html` hidden` : ""}>
<a href="${href(`/rules/${rule.id}`, lang)}"><code>${rule.id}</code></a>
<span class="title">${rule.title[lang]}</span>
<span class="tags"><span class="tag">${rule.category}</span> <span class="tag conf-${rule.confidence}">${rule.confidence}</span>${builtin ? "" : html` <span class="tag">team</span>`}</span>
</li>`;
  });
  return html`<h1>${w.rulesTitle}</h1>
<p>${w.rulesIntro(engine.rules.length)}</p>
<form method="get" action="/rules" class="filter" role="search">
<input type="hidden" name="lang" value="${lang}">
<label for="q">${w.filter}</label>
<input type="search" id="q" name="q" value="${query}" aria-describedby="q-hint" autocomplete="off">
<span id="q-hint" class="hint">${w.filterHint}</span>
<button type="submit" class="secondary">${w.search}</button>
</form>
<p id="rule-count" role="status" aria-live="polite" class="hint" data-none="${w.noMatch}"></p>
<ul class="rules" id="rule-list">${items}</ul>`;
}
