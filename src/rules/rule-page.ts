// What a rule's page shows, in one language: for the web console's /rules/<id> and for
// `buildx-fix rules show <id>`, so both say the same. Examples carry a live check: the rule's
// own examples are run through the engine (the same test as `rules test`), once per rule and
// engine, so a page never claims an example fires when it does not.
import type { RuleEngine } from "../engine/engine.js";
import { fillTemplate } from "../engine/template.js";
import type { Lang } from "../engine/types.js";
import type { LoadedRule } from "./load.js";
import { testRuleExamples } from "./example-test.js";
import type { DocLink, FixTemplate, MatchSpec, RuleExample, RuleFile } from "./schema.js";

export interface PageFix {
  description: string;
  /** The command with facts shown as their defaults or `<name>`. */
  command: string;
}

export interface PageMatcher {
  /** The variant's name; undefined for the rule's own matcher. */
  variant?: string;
  title?: string;
  summary?: string;
  fix?: PageFix[];
  docs?: DocLink[];
  keywords: string[];
  patterns: string[];
  when: string[];
  whenNot: string[];
  unless: string[];
}

export interface PageExample {
  log: string;
  source?: string;
  note?: string;
  variant?: string;
  /** Whether the engine agrees with the example today (fires first / does not fire at all). */
  ok: boolean;
  /** What went wrong when not ok (e.g. "first answer is network-failure (high)"). */
  problem?: string;
}

export interface RulePage {
  id: string;
  lang: Lang;
  title: string;
  summary: string;
  category: RuleFile["category"];
  confidence: RuleFile["confidence"];
  priority: number;
  /** "built-in" or the team rule file it came from. */
  origin: string;
  fix: PageFix[];
  docs: DocLink[];
  matchers: PageMatcher[];
  examples: { match: PageExample[]; nearMiss: PageExample[] };
}

type Checks = Map<string, string | undefined>;
const checked = new WeakMap<RuleEngine, Map<string, Checks>>();

/** The example label (`examples.match[0]`) -> its problem, undefined when it passes. */
function exampleChecks(engine: RuleEngine, loaded: LoadedRule): Checks {
  let perEngine = checked.get(engine);
  if (!perEngine) checked.set(engine, (perEngine = new Map()));
  let checks = perEngine.get(loaded.rule.id);
  if (!checks) {
    checks = new Map();
    for (const f of testRuleExamples(engine, [loaded]).failures) checks.set(f.example, f.problem);
    perEngine.set(loaded.rule.id, checks);
  }
  return checks;
}

const fixes = (list: FixTemplate[], lang: Lang): PageFix[] => list.map((f) => ({ description: f.description[lang], command: fillTemplate(f.command, {}) }));

function matcher(spec: MatchSpec): Omit<PageMatcher, "variant"> {
  return { keywords: spec.keywords, patterns: spec.any, when: spec.when, whenNot: spec.whenNot, unless: spec.unless };
}

export function findRule(engine: RuleEngine, id: string): LoadedRule | undefined {
  return engine.rules.find((r) => r.rule.id === id);
}

export function rulePage(engine: RuleEngine, id: string, lang: Lang): RulePage | undefined {
  const loaded = findRule(engine, id);
  if (!loaded) return undefined;
  const { rule } = loaded;
  const checks = exampleChecks(engine, loaded);
  const example = (kind: "match" | "nearMiss") => (ex: RuleExample, i: number): PageExample => {
    const problem = checks.get(`examples.${kind}[${i}]`);
    const out: PageExample = { log: ex.log, ok: problem === undefined };
    if (ex.source) out.source = ex.source;
    if (ex.note) out.note = ex.note;
    if (ex.variant) out.variant = ex.variant;
    if (problem) out.problem = problem;
    return out;
  };
  const matchers: PageMatcher[] = (rule.variants ?? []).map((v) => {
    const m: PageMatcher = { variant: v.name, ...matcher(v.match) };
    if (v.title) m.title = v.title[lang];
    if (v.summary) m.summary = fillTemplate(v.summary[lang], {});
    if (v.fix) m.fix = fixes(v.fix, lang);
    if (v.docs) m.docs = v.docs;
    return m;
  });
  if (rule.match) matchers.push(matcher(rule.match));
  return {
    id: rule.id,
    lang,
    title: rule.title[lang],
    summary: fillTemplate(rule.summary[lang], {}),
    category: rule.category,
    confidence: rule.confidence,
    priority: rule.priority,
    origin: loaded.builtin ? "built-in" : loaded.file,
    fix: fixes(rule.fix, lang),
    docs: rule.docs,
    matchers,
    examples: { match: rule.examples.match.map(example("match")), nearMiss: rule.examples.nearMiss.map(example("nearMiss")) },
  };
}
