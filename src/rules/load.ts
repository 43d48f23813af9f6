// Reads rule files, validates them and merges built-in and team rules. Everything that can
// be wrong with a rule file is found here, at start-up, never while answering a user.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseDocument } from "yaml";
import type { ZodError } from "zod";
import { templateFacts } from "../engine/template.js";
import { PACKAGE_ROOT } from "../package-info.js";
import { type RuleProblem, RuleLoadError } from "./errors.js";
import { RedosChecker, acceptable } from "./redos.js";
import { type MatchSpec, type RuleFile, ruleSchema } from "./schema.js";

export interface LoadedRule {
  rule: RuleFile;
  /** The file it came from, relative to the working directory when possible. */
  file: string;
  builtin: boolean;
}

/** Facts the engine extracts on its own (see rules/README.md); named groups add to them. */
export const ENGINE_FACTS = new Set([
  "image", "registry", "platforms", "hostPlatform", "targetPlatform", "imagePlatform", "builder", "driver",
  "baseImage", "command", "exitCode", "dockerfile", "context",
]);

export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, "rules");
/** The built-in pack's ReDoS verdicts (see redos.ts). */
export const SHIPPED_VERDICTS = join(BUILTIN_RULES_DIR, "redos-verdicts.json");

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}

function zodPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

function zodProblems(file: string, ruleId: string | undefined, err: ZodError): RuleProblem[] {
  return err.issues.map((issue) => ({ file, ruleId, field: zodPath(issue.path) || "(top level)", message: issue.message }));
}

export interface RulePattern {
  source: string;
  flags: string;
  field: string;
}

/** Every regular expression of a rule, with the flags it is compiled with and where it sits. */
export function rulePatterns(rule: RuleFile): RulePattern[] {
  const out: RulePattern[] = [];
  const specs: Array<[string, MatchSpec]> = [];
  if (rule.match) specs.push(["match", rule.match]);
  rule.variants?.forEach((v, i) => specs.push([`variants[${i}].match`, v.match]));
  for (const [field, spec] of specs) {
    const flags = spec.caseSensitive ? "u" : "iu";
    spec.any.forEach((source, i) => out.push({ source, flags, field: `${field}.any[${i}]` }));
    spec.near.forEach((n, i) => out.push({ source: n.pattern, flags, field: `${field}.near[${i}].pattern` }));
    spec.notNear.forEach((n, i) => out.push({ source: n.pattern, flags, field: `${field}.notNear[${i}].pattern` }));
    spec.notInRun.forEach((source, i) => out.push({ source, flags, field: `${field}.notInRun[${i}]` }));
  }
  return out;
}

function namedGroups(spec: MatchSpec): string[] {
  return spec.any.flatMap((src) => [...src.matchAll(/\(\?<([A-Za-z]\w*)>/g)].map((m) => m[1] ?? ""));
}

/** Checks what the schema cannot: file name, templates, keywords, regex safety. */
function semanticProblems(file: string, rule: RuleFile, redos: RedosChecker): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const at = (field: string, message: string) => problems.push({ file, ruleId: rule.id, field, message });
  const stem = basename(file).replace(/\.ya?ml$/, "");
  if (stem !== rule.id) at("id", `must equal the file name "${stem}" (ids are stable: rename the file, not the id)`);

  const matchers: Array<[string, MatchSpec]> = [];
  if (rule.match) matchers.push(["match", rule.match]);
  rule.variants?.forEach((v, i) => matchers.push([`variants[${i}].match`, v.match]));
  const groups = new Set(matchers.flatMap(([, spec]) => namedGroups(spec)));

  for (const [field, spec] of matchers) {
    spec.keywords.forEach((k, i) => {
      if (k.includes("\n")) at(`${field}.keywords[${i}]`, "a keyword is a single line");
    });
  }
  for (const { source, flags, field } of rulePatterns(rule)) {
    const verdict = redos.check(source, flags);
    if (!acceptable(verdict)) {
      at(field, `regular expression can backtrack catastrophically (${verdict.complexity ?? "super-linear"}; attack: ${JSON.stringify(verdict.attack ?? "")}): rewrite it without nested or overlapping quantifiers`);
    }
  }

  const templates: Array<[string, string]> = [
    ["summary.en", rule.summary.en],
    ["summary.zh", rule.summary.zh],
    ...rule.fix.map((f, i): [string, string] => [`fix[${i}].command`, f.command]),
  ];
  rule.variants?.forEach((v, vi) => {
    if (v.summary) templates.push([`variants[${vi}].summary.en`, v.summary.en], [`variants[${vi}].summary.zh`, v.summary.zh]);
    v.fix?.forEach((f, i) => templates.push([`variants[${vi}].fix[${i}].command`, f.command]));
  });
  for (const [field, template] of templates) {
    for (const name of templateFacts(template)) {
      if (!ENGINE_FACTS.has(name) && !groups.has(name)) {
        at(field, `{{${name}}} is neither an engine fact (${[...ENGINE_FACTS].join(", ")}) nor a named group of this rule's patterns`);
      }
    }
  }
  const variantNames = new Set(rule.variants?.map((v) => v.name));
  rule.examples.match.forEach((ex, i) => {
    if (ex.variant && !variantNames.has(ex.variant)) at(`examples.match[${i}].variant`, `no variant named "${ex.variant}"`);
  });
  return problems;
}

/** Loads every `*.yaml` / `*.yml` in `dir`. Collects all problems before throwing. */
export function loadRuleDir(dir: string, builtin: boolean, redos = new RedosChecker(SHIPPED_VERDICTS)): LoadedRule[] {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new RuleLoadError([{ file: displayPath(abs), field: "", message: "no such rules directory" }]);
  }
  const files = readdirSync(abs)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const problems: RuleProblem[] = [];
  const loaded: LoadedRule[] = [];
  const seen = new Map<string, string>();
  for (const name of files) {
    const path = join(abs, name);
    const file = displayPath(path);
    const doc = parseDocument(readFileSync(path, "utf8"), { prettyErrors: true });
    if (doc.errors.length > 0) {
      // The first syntax error is the one to fix; the rest usually follow from it.
      const e = doc.errors[0]!;
      const pos = e.linePos?.[0];
      problems.push({ file, field: "", message: `YAML syntax error at line ${pos?.line ?? "?"}, column ${pos?.col ?? "?"}: ${e.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}` });
      continue;
    }
    const data: unknown = doc.toJS();
    const rawId = typeof data === "object" && data && "id" in data && typeof data.id === "string" ? data.id : undefined;
    const parsed = ruleSchema.safeParse(data);
    if (!parsed.success) {
      problems.push(...zodProblems(file, rawId, parsed.error));
      continue;
    }
    const rule = parsed.data;
    const own = semanticProblems(file, rule, redos);
    const previous = seen.get(rule.id);
    if (previous) own.push({ file, ruleId: rule.id, field: "id", message: `duplicates the id of ${previous}` });
    seen.set(rule.id, file);
    if (own.length) problems.push(...own);
    else loaded.push({ rule, file, builtin });
  }
  redos.save();
  if (problems.length) throw new RuleLoadError(problems);
  return loaded;
}

export interface LoadRulesOptions {
  /** Team rule directories (`--rules DIR`, RULES_DIR); a team rule with a built-in's id replaces it. */
  extraDirs?: string[];
  /** Load the built-in pack (default true). */
  builtin?: boolean;
  /** The ReDoS checker (default: shipped verdicts plus the on-disk cache). */
  redos?: RedosChecker;
  /** The built-in pack already loaded (from the compiled snapshot, see pack.ts). */
  builtinRules?: LoadedRule[];
}

export function loadRules(opts: LoadRulesOptions = {}): LoadedRule[] {
  const redos = opts.redos ?? new RedosChecker(SHIPPED_VERDICTS);
  const byId = new Map<string, LoadedRule>();
  if (opts.builtin !== false) for (const r of opts.builtinRules ?? loadRuleDir(BUILTIN_RULES_DIR, true, redos)) byId.set(r.rule.id, r);
  for (const dir of opts.extraDirs ?? []) for (const r of loadRuleDir(dir, false, redos)) byId.set(r.rule.id, r);
  const rules = [...byId.values()];
  const problems: RuleProblem[] = [];
  for (const { rule, file } of rules) {
    const specs = [rule.match, ...(rule.variants?.map((v) => v.match) ?? [])];
    for (const spec of specs) {
      for (const other of spec?.unless ?? []) {
        if (!byId.has(other)) problems.push({ file, ruleId: rule.id, field: "match.unless", message: `names an unknown rule "${other}"` });
      }
    }
  }
  if (problems.length) throw new RuleLoadError(problems);
  return rules;
}
