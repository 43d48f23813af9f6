// /stats: what the bot answered, from the state BotService keeps: the most frequent causes
// per day, the feedback per rule, and the most frequent failures no rule knows with a masked
// sample (the next rule to write). All workspaces added up, or one.
import type { BotService, RuleStats, UnknownStat } from "../../core/bot-service.js";
import type { Lang } from "../../engine/types.js";
import { LLM_RULE_ID } from "../../llm/suggestion.js";
import { type SafeHtml, html } from "../html.js";
import { strings } from "../i18n.js";
import { href } from "../layout.js";

export const STATS_DAYS = 14;
const TOP_CAUSES = 10;

export interface StatsData {
  workspaces: string[];
  /** The workspace shown, or undefined for all of them. */
  workspace: string | undefined;
  days: string[];
  causes: Array<{ ruleId: string; perDay: number[]; total: number }>;
  rules: RuleStats[];
  unknown: UnknownStat[];
}

export async function statsData(service: BotService, only: string | undefined): Promise<StatsData> {
  const workspaces = await service.history.workspaces();
  const shown = only && workspaces.includes(only) ? [only] : workspaces;
  const series = await service.history.series(shown, STATS_DAYS);
  const causes = [...series.byRule]
    .map(([ruleId, perDay]) => ({ ruleId, perDay, total: perDay.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.ruleId.localeCompare(b.ruleId))
    .slice(0, TOP_CAUSES);
  const rules = new Map<string, RuleStats>();
  const unknown = new Map<string, UnknownStat>();
  for (const w of shown) {
    for (const r of await service.stats(w)) {
      const row = rules.get(r.ruleId) ?? { ruleId: r.ruleId, hits: 0, fixed: 0, wrong: 0 };
      rules.set(r.ruleId, { ruleId: r.ruleId, hits: row.hits + r.hits, fixed: row.fixed + r.fixed, wrong: row.wrong + r.wrong });
    }
    for (const u of await service.unknownStats(w, 50)) {
      const seen = unknown.get(u.fingerprint);
      unknown.set(u.fingerprint, seen ? { ...seen, wrong: seen.wrong + u.wrong, lastSeen: Math.max(seen.lastSeen, u.lastSeen) } : u);
    }
  }
  return {
    workspaces,
    workspace: shown.length === 1 && only ? only : undefined,
    days: series.days,
    causes,
    rules: [...rules.values()].sort((a, b) => b.hits - a.hits || a.ruleId.localeCompare(b.ruleId)),
    unknown: [...unknown.values()].sort((a, b) => b.wrong - a.wrong || b.lastSeen - a.lastSeen).slice(0, 10),
  };
}

/** A bar of width proportional to n (decorative: the number is in the cell). */
const bar = (n: number, max: number) => html`<span class="bar" aria-hidden="true" data-w="${max ? Math.round((n / max) * 10) : 0}"></span>`;

export function statsBody(d: StatsData, lang: Lang): SafeHtml {
  const w = strings(lang);
  const max = Math.max(0, ...d.causes.flatMap((c) => c.perDay));
  const dayHead = d.days.map((day) => html`<th scope="col"><abbr title="${day}">${day.slice(5)}</abbr></th>`);
  const causes = d.causes.map(
    (c) => html`<tr><th scope="row"><a href="${href(`/rules/${c.ruleId}`, lang)}"><code>${c.ruleId}</code></a></th>${c.perDay.map((n) => html`<td class="num">${n || ""}${n ? bar(n, max) : ""}</td>`)}<td class="num total">${c.total}</td></tr>`,
  );
  const feedback = d.rules.map((r) => {
    const votes = r.fixed + r.wrong;
    return html`<tr><th scope="row">${r.ruleId === LLM_RULE_ID ? html`<code>${r.ruleId}</code>` : html`<a href="${href(`/rules/${r.ruleId}`, lang)}"><code>${r.ruleId}</code></a>`}</th><td class="num">${r.hits}</td><td class="num">${r.fixed}</td><td class="num">${r.wrong}</td><td class="num">${votes ? `${Math.round((r.fixed / votes) * 100)} %` : "–"}</td></tr>`;
  });
  const unknown = d.unknown.map(
    (u) => html`<tr><td class="num">${u.wrong}</td><td>${u.title ? html`<p>${u.title}</p>` : ""}<pre tabindex="0">${u.sample}</pre></td><td>${u.lastSeen ? new Date(u.lastSeen).toISOString().slice(0, 16).replace("T", " ") : ""}</td></tr>`,
  );
  const picker = html`<form method="get" action="/stats" class="filter">
<input type="hidden" name="lang" value="${lang}">
<label for="ws">${w.workspace}</label>
<select id="ws" name="workspace"><option value="">${w.allWorkspaces}</option>${d.workspaces.map((x) => html`<option value="${x}"${x === d.workspace ? html` selected` : ""}>${x}</option>`)}</select>
<button type="submit" class="secondary">${w.show}</button>
</form>`;
  const none = html`<p class="hint">${w.nothingYet}</p>`;
  return html`<h1>${w.statsTitle}</h1>
<p>${w.statsIntro}</p>
${d.workspaces.length > 1 ? picker : ""}
<h2 id="causes">${w.causesOverTime(d.days.length)}</h2>
${d.causes.length ? html`<div class="scroll" tabindex="0" role="region" aria-labelledby="causes"><table class="causes"><thead><tr><th scope="col">${w.rule}</th>${dayHead}<th scope="col">${w.total}</th></tr></thead><tbody>${causes}</tbody></table></div>` : none}
<h2 id="feedback">${w.feedback}</h2>
${d.rules.length ? html`<table><thead><tr><th scope="col">${w.rule}</th><th scope="col">${w.answersCol}</th><th scope="col">${w.fixed}</th><th scope="col">${w.wrong}</th><th scope="col">${w.ratio}</th></tr></thead><tbody>${feedback}</tbody></table>` : none}
<h2 id="unknown">${w.unknown}</h2>
<p>${w.unknownIntro}</p>
${d.unknown.length ? html`<table class="unknown"><thead><tr><th scope="col">${w.reports}</th><th scope="col">${w.sample}</th><th scope="col">${w.lastSeen}</th></tr></thead><tbody>${unknown}</tbody></table>` : none}`;
}
