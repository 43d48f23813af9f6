// `buildx-fix rules show <id>`: the rule's page (the same content as the console's
// /rules/<id>) as terminal text.
import type { PageExample, RulePage } from "../rules/rule-page.js";
import { messages } from "../i18n/messages.js";
import { ruleUrl } from "./rule-link.js";

const words = {
  en: { category: "category", priority: "priority", source: "source", how: "How it matches", variant: "variant", keywords: "keywords", patterns: "patterns", when: "only when", whenNot: "not when", unless: "stands down for", examples: "Examples that fire", nearMisses: "Near-misses that must not fire", fires: "fires", firesNot: "does not fire", failed: "CHECK FAILED", from: "from" },
  zh: { category: "类别", priority: "优先级", source: "来源", how: "匹配方式", variant: "变体", keywords: "关键词", patterns: "行模式", when: "仅当", whenNot: "除非", unless: "让位于", examples: "会触发的示例", nearMisses: "不应触发的相似日志", fires: "会触发", firesNot: "不会触发", failed: "检验未通过", from: "出处" },
} as const;

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
const indent = (text: string, by: string) => text.split("\n").map((l) => `${by}${l}`).join("\n");

export function renderRulePage(p: RulePage, style: { color: boolean } = { color: false }): string {
  const c = style.color;
  const t = messages(p.lang);
  const w = words[p.lang];
  const out: string[] = [];
  const heading = (s: string) => out.push("", paint(c, "1", s));
  out.push(paint(c, "1", p.title), paint(c, "90", `${p.id} · ${w.category}: ${p.category} · ${t.confidence}: ${t.confidenceNames[p.confidence]} · ${w.priority}: ${p.priority} · ${w.source}: ${p.origin}`));
  const url = ruleUrl(p.id);
  if (url) out.push(paint(c, "4", url));
  out.push("", p.summary);
  const fixes = (list: RulePage["fix"], by: string) => list.forEach((f, i) => out.push(`${by}${i + 1}. ${f.description}`, paint(c, "36", indent(f.command, `${by}     `))));
  heading(`${t.fix}:`);
  fixes(p.fix, "  ");
  heading(`${t.docs}:`);
  for (const d of p.docs) out.push(`  ${d.title}: ${paint(c, "4", d.url)}`);
  heading(`${w.how}:`);
  for (const m of p.matchers) {
    if (m.variant) out.push("", `  ${paint(c, "1", `${w.variant} ${m.variant}`)}${m.title ? `: ${m.title}` : ""}`);
    if (m.summary) out.push(indent(m.summary, "    "));
    out.push(`    ${w.keywords}: ${m.keywords.join(", ")}`, `    ${w.patterns}:`, ...m.patterns.map((s) => `      /${s}/`));
    if (m.when.length) out.push(`    ${w.when}: ${m.when.join(", ")}`);
    if (m.whenNot.length) out.push(`    ${w.whenNot}: ${m.whenNot.join(", ")}`);
    if (m.unless.length) out.push(`    ${w.unless}: ${m.unless.join(", ")}`);
    if (m.fix) fixes(m.fix, "    ");
    if (m.docs) for (const d of m.docs) out.push(`    ${d.title}: ${paint(c, "4", d.url)}`);
  }
  const example = (e: PageExample, kind: "match" | "nearMiss") => {
    const verdict = e.ok ? paint(c, "32", `✓ ${kind === "match" ? w.fires : w.firesNot}`) : paint(c, "1;31", `✗ ${w.failed}: ${e.problem ?? ""}`);
    out.push("", `  ${verdict}${e.variant ? ` (${w.variant} ${e.variant})` : ""}`, paint(c, "90", indent(e.log.trimEnd(), "    │ ")));
    if (e.note) out.push(`    ${e.note}`);
    if (e.source) out.push(`    ${w.from}: ${e.source}`);
  };
  heading(`${w.examples}:`);
  for (const e of p.examples.match) example(e, "match");
  heading(`${w.nearMisses}:`);
  for (const e of p.examples.nearMiss) example(e, "nearMiss");
  out.push("");
  return out.join("\n");
}
