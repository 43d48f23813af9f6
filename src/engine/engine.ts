// The rule engine: one keyword scan over the log, then each rule's patterns on the few lines
// that hold its keywords, then conditions, suppression and ranking. Deterministic: the same
// log and rules always give the same answer.
import type { LoadedRule } from "../rules/load.js";
import type { Condition, Confidence, DocLink, FixTemplate, HitContext, LocalText, MatchSpec, RuleFile, Wording } from "../rules/schema.js";
import { detectLang } from "../i18n/detect-lang.js";
import { redact } from "../redact/secrets.js";
import { ENTRYPOINT_ERROR, HEADER_KEYWORDS, buildFinished, closesStep, headerKind } from "./context.js";
import { FactState, PROBES, type Probe } from "./facts.js";
import { assertLogText, cleanLine, prepareText } from "./normalize.js";
import { promptRunsDocker } from "./prompt.js";
import { joinsBefore, rejoinWrapped } from "./repair.js";
import { KeywordScanner, LineCounter, linesAround } from "./scan.js";
import { fillTemplate } from "./template.js";
import type { DiagnoseOptions, DiagnoseResult, Diagnosis, Evidence, Facts, Lang } from "./types.js";

interface NearCheck {
  re: RegExp;
  within: number;
  side: "both" | "before" | "after";
  /** Only lines of the evidence's own BuildKit step (`#N`) count. */
  sameStep: boolean;
  /** Only lines BuildKit timed (a process's output) count. */
  timed: boolean;
}

interface Matcher {
  rule: RuleFile;
  variant?: string;
  title: LocalText;
  summary: LocalText;
  fix: FixTemplate[];
  docs: DocLink[];
  confidence: Confidence;
  priority: number;
  wording: Wording;
  fallback: boolean;
  context: HitContext[];
  notContext: HitContext[];
  any: RegExp[];
  near: NearCheck[];
  notNear: NearCheck[];
  notInRun: RegExp[];
  showStepErrors: boolean;
  when: Condition[];
  whenNot: Condition[];
  unless: string[];
}

interface Hit {
  start: number;
  end: number;
  text: string;
  groups: Facts;
  /** Where the pattern matched in the line: the further right, the deeper in an error chain. */
  pos: number;
  contexts: Set<HitContext>;
  /** The BuildKit step number of the evidence line (`#N ...`), if it has one. */
  step?: number;
  /** The hit sits in Docker output: a BuildKit or classic-builder step, under a docker command, or on a line with Docker's words. */
  docker: boolean;
}

/** Evidence lines kept per rule: enough to show where, not the whole log. */
const MAX_EVIDENCE = 5;
/** Characters of a run read from each end by `notInRun`. */
const RUN_WINDOW = 2 * 1024 * 1024;
const CONFIDENCE_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
/** Family fallbacks rank just above run-step-failed (5) and below every specific cause. */
const FALLBACK_PRIORITY = 8;

function compileMatcher(rule: RuleFile, spec: MatchSpec, variant?: NonNullable<RuleFile["variants"]>[number]): Matcher {
  const flags = spec.caseSensitive ? "u" : "iu";
  const near = (n: { pattern: string; within: number; side: NearCheck["side"]; sameStep: boolean; timed: boolean }): NearCheck => ({ re: new RegExp(n.pattern, flags), within: n.within, side: n.side, sameStep: n.sameStep, timed: n.timed });
  // The patterns are compiled when a line first holds one of the matcher's keywords: most of some 1 300
  // never are on a given log, and compiling them all up front was a tenth of a one-line run's start-up.
  let any: RegExp[] | undefined;
  let nearChecks: NearCheck[] | undefined;
  let notNearChecks: NearCheck[] | undefined;
  let notInRun: RegExp[] | undefined;
  const m: Matcher = {
    rule,
    title: variant?.title ?? rule.title,
    summary: variant?.summary ?? rule.summary,
    fix: variant?.fix ?? rule.fix,
    docs: variant?.docs ?? rule.docs,
    confidence: variant?.confidence ?? (variant?.fallback ? "medium" : rule.confidence),
    priority: variant?.priority ?? (variant?.fallback ? FALLBACK_PRIORITY : rule.priority),
    wording: spec.wording,
    fallback: variant?.fallback ?? false,
    context: spec.context,
    notContext: spec.notContext,
    get any() {
      return (any ??= spec.any.map((src) => new RegExp(src, flags)));
    },
    get near() {
      return (nearChecks ??= spec.near.map(near));
    },
    get notNear() {
      return (notNearChecks ??= spec.notNear.map(near));
    },
    get notInRun() {
      return (notInRun ??= spec.notInRun.map((src) => new RegExp(src, flags)));
    },
    showStepErrors: spec.showStepErrors,
    when: spec.when,
    whenNot: spec.whenNot,
    unless: spec.unless,
  };
  if (variant) m.variant = variant.name;
  return m;
}

/** Words that mark a line of a command's output as its error. */
const ERROR_LIKE = /\b(?:error|err!|fatal|failed|cannot|can't|not found|no such file|undefined reference|exception|traceback|denied)\b/i;
const STEP_ERRORS = 3;
/** Lines above a failure that `showStepErrors` may read (the byte path keeps as many). */
export const STEP_LOOKBACK = 400;

/**
 * The first error-looking lines of the failing step's own output, above `hit`: lines of the
 * same BuildKit step (`#16 ...`), or, for the final summary, the lines just above it.
 */
function stepErrorLines(text: string, hit: Hit): Hit[] {
  const step = cleanLine(text.slice(hit.start, hit.end)).step;
  const found: Hit[] = [];
  let end = hit.start - 1;
  for (let i = 0; i < STEP_LOOKBACK && end > 0; i++) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = cleanLine(text.slice(start, end));
    if (step !== undefined && line.step !== undefined && line.step !== step) break;
    if (step === undefined && (i > 40 || /^\[\+\] Building|^Step \d+(?:\/\d+)? :|^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: /.test(line.text))) break;
    // Lines BuildKit prints for every failure are not the command's own words.
    // (not a measure's name over its value: `Training Error: 0.034`)
    if (ERROR_LIKE.test(line.text) && !/did not complete successfully|failed to solve|^ERROR[: ]|returned a non-zero code|^-+$|^[A-Z][a-z]{2,20} Error: [\d.eE+-]{1,30}(?:[,;%]|$)/.test(line.text)) {
      found.push({ start, end, text: line.text.replace(/^\d+\.\d+ /, ""), groups: {}, pos: 0, contexts: new Set(), docker: true });
    }
    end = start - 1;
  }
  return found.slice(-STEP_ERRORS).reverse();
}

/**
 * Generic words outside Docker output mean something else: never confident there. Docker's own
 * wording is its own evidence, even in a one-line paste. Words that name their cause in any program's
 * output (`No space left on device`) are evidence of that cause but not of a build: at most medium there.
 * Decided per hit, not per log, so build chatter elsewhere in the log does not make a stray line confident.
 */
function confidenceOf(m: Matcher, docker: boolean): Confidence {
  if (docker || m.wording === "specific") return m.confidence;
  if (m.wording === "names-cause") return m.confidence === "high" ? "medium" : m.confidence;
  return "low";
}

/** The hit's own context holds what the matcher asks (`context`) and nothing it forbids (`notContext`). */
function contextFits(m: Matcher, h: Hit): boolean {
  return m.context.every((c) => h.contexts.has(c)) && !m.notContext.some((c) => h.contexts.has(c));
}

/** Lines around a hit checked for Docker's words when the hit's own line shows none. */
export const DOCKER_WINDOW = 15;
// Docker's words and its builders' failure summaries; not BuildKit's progress lines, which build
// chatter elsewhere in a log is full of, so a stray line in that chatter stays a stray line.
// The pull's own status lines count too: only Docker prints them. So do the other image builders'
// step failures (buildah/podman `building at STEP "RUN ..."`, kaniko `error building image`, and its
// push's own verdicts: `error checking push permissions -- …`, `failed to push to destination …`), and
// Cloud Native Buildpacks' lifecycle phases (`[creator] ...`), which build images in containers,
// and the Dev Containers CLI (`devcontainer`, features from `ghcr.io/devcontainers/`), which builds and runs them.
// Singularity and Apptainer pulling or building an image (`singularity pull …`, their `FATAL:   While pulling …`,
// Nextflow's `Failed to pull singularity image`) are a container image's pull too.
// So is Jib (its Maven and Gradle plugins' classes and goals), which builds and pushes images without Docker.
const DOCKER_WORDS = /\bdocker\b|buildkit(?!e)|buildx|\bmoby\b|\bdevcontainers?\b|containerd|dockerfile\b|failed to solve|did not complete successfully|returned a non-zero code|executor failed running|error response from daemon|building at STEP "|error building (?:image|stage)\b|error checking push permissions -- make sure you entered the correct tag name|failed to push to destination |^\[(?:creator|detector|analyzer|restorer|builder|exporter)\] |^\[\+\] Building|^=> |^Step \d+(?:\/\d+)? :|Service '[^'\n]{1,80}' failed to build|The command '\/bin\/(?:ba)?sh -c |^Status: (?:Downloaded newer image for|Image is up to date for) |^[\w.-]+: Pulling from |requested image's platform \(|\bcom\.google\.cloud\.tools[.:]jib|\bjib-(?:maven|gradle)-plugin\b|\b(?:singularity|apptainer) (?:pull|build) |\bFATAL: +While (?:pulling|making image) |Failed to pull singularity image/i;

// The classic builder's verdict on a RUN step opens with the step's shell (`The command '/bin/sh -c …'
// returned a non-zero code: 1`, Docker 1.x `The command [/bin/sh -c …]`, Windows `cmd /S /C`), also
// behind Compose's `ERROR: Service 'web' failed to build: `. The builder prints nothing between a
// step's header and that verdict but the command's own output.
// buildah's (podman build's) verdict closes the step it names the same way, also when a paste cuts it
// inside the command (`Error: error building at STEP "RUN cd /root && c`).
const CLASSIC_VERDICT = /(?:^|: )(?:The command ['[](?:\/bin\/|cmd \/S \/C |powershell )|(?:error )?building at STEP "RUN )/;
const STEP_KINDS: HitContext[] = ["run-step", "pull", "push", "export", "builder-boot", "container-start", "after-build"];

/**
 * A paste that starts below the step's header still shows whose output it is when the classic
 * builder's verdict closes it: a hit in no step, with that verdict the next of the step headers
 * and verdicts below it, is the failed RUN step's output.
 */
function stepsClosedByVerdict(hits: Map<number, Hit[]>, marks: Array<{ at: number; verdict: boolean }>): void {
  if (!marks.some((m) => m.verdict)) return;
  for (const list of hits.values()) {
    for (const h of list) {
      // (a start script's error line is a container's start only until a verdict below shows a RUN ran it)
      const startScript = h.contexts.has("container-start") && ENTRYPOINT_ERROR.test(h.text);
      if (!startScript && STEP_KINDS.some((c) => h.contexts.has(c))) continue;
      // (the first mark below the hit: marks are in the log's order)
      let lo = 0;
      let hi = marks.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (marks[mid]!.at > h.start) hi = mid;
        else lo = mid + 1;
      }
      if (!marks[lo]?.verdict) continue;
      h.contexts = new Set([...h.contexts].filter((c) => !startScript || c !== "container-start"));
      h.contexts.add("run-step");
      h.docker = true;
    }
  }
}

// The other image builders' step lines, in their own case: buildah's (podman build's) `STEP 8: RUN …`
// (`[2/3] STEP 1/4: FROM …` in a multi-stage build) and kaniko's logrus lines, which keep their level
// and clock behind a platform's prefix (`app | 18:47:21 INFO[1231] Taking snapshot of files...`), and
// kaniko's executor image named as what runs (Cloud Build's step, a pod's `image:`), not as a CI
// runner's job image (GitLab's `Using Kubernetes executor with image …`: the job may fail before it builds).
const BUILDER_WORDS = /^(?:\[\d+\/\d+\] )?STEP \d+(?:\/\d+)?: (?:FROM|RUN|COPY|ADD|WORKDIR|ENV|ARG|LABEL|USER|EXPOSE|CMD|ENTRYPOINT|COMMIT)\b|\bINFO\[\d{4,}\] (?:Taking snapshot of |Unpacking rootfs as cmd |Retrieving image manifest |Executing \d+ build triggers|Built cross stage deps|Pushing image to |Storing source image from )|(?<!executor with image (?:[\w.:-]+\/){0,6})\bkaniko-project\/executor\b/;
// A Kubernetes pod's status names its container by the runtime's URI (`containerID:
// containerd://3f2a…`, `Container ID:  docker://…`): a running pod, not a build or a pull. (No word
// boundary after the id: a wrap the repair joined may glue the next field to it.)
const RUNTIME_CONTAINER_ID = /\b(?:docker|containerd|cri-o):\/\/[0-9a-f]{64}/g;

const KANIKO_CACHE_PUSH = /\bINFO\[\d+\] Pushing layer \S+ to cache now\b/;

/** Docker's or another image builder's words on one line of the log. */
function dockerWords(raw: string): boolean {
  const clean = cleanLine(raw);
  // A running container's output behind Compose's prefix may be a build of its own (a CI runner's), but
  // BuildKit's tty arrow there is the app's (Meteor's `=> awaited here:`): no build prints that view to a pipe.
  const text = (clean.service && clean.text.startsWith("=> ") ? ` ${clean.text}` : clean.text).replace(RUNTIME_CONTAINER_ID, "");
  return DOCKER_WORDS.test(text) || BUILDER_WORDS.test(text);
}

/**
 * Whether Docker's words stand within DOCKER_WINDOW lines of the hit, in the output of the same
 * command: a prompt below the hit starts another command, and a prompt above it that runs no Docker
 * program owns the hit (a host's `curl …` failing above a `docker-compose pull`). A build that
 * finished above the hit (`Successfully tagged …`, `naming to …`, kaniko's `Pushed …@sha256:`) owns
 * nothing below it: that is the container it started, or a later task's output.
 */
function dockerAround(text: string, hit: Hit): boolean {
  const { before, after } = linesAround(text, hit.start, hit.end, DOCKER_WINDOW);
  for (const [i, l] of before.entries()) {
    const docker = promptRunsDocker(l);
    if (docker !== undefined) {
      if (docker) return true;
      break;
    }
    // (kaniko's `--cache` pushes each layer mid-build: `Pushing layer … to cache now` just above its `Pushed`)
    if (buildFinished(cleanLine(l).text) && !before.slice(i + 1, i + 3).some((b) => KANIKO_CACHE_PUSH.test(b))) break;
    if (dockerWords(l)) return true;
  }
  for (const l of after) {
    if (promptRunsDocker(l) !== undefined) break;
    if (dockerWords(l)) return true;
  }
  return false;
}

type Consumer = { kind: "matcher"; index: number } | { kind: "probe"; probe: Probe } | { kind: "header" };

// The Engine API's query strings encode an image name's `/`, `:` and `@` (`build?t=acme%2FApp%3A1.0`);
// an image-name fact is shown and put into commands as the name itself (other facts, a command or a
// URL, keep what was pasted).
const REF_FACTS = new Set(["badRef", "missingImage", "ref", "imageRef", "repoName"]);
function unescapeRef(v: string): string {
  return v.includes("%") ? v.replace(/%2F/gi, "/").replace(/%3A/gi, ":").replace(/%40/g, "@") : v;
}

export class RuleEngine {
  private readonly matchers: Matcher[] = [];
  private readonly byKeyword = new Map<string, Consumer[]>();
  private readonly scanner: KeywordScanner;

  constructor(readonly rules: LoadedRule[]) {
    const add = (keyword: string, c: Consumer) => {
      const k = keyword.toLowerCase();
      const list = this.byKeyword.get(k) ?? [];
      list.push(c);
      this.byKeyword.set(k, list);
    };
    for (const { rule } of rules) {
      const specs: Array<[MatchSpec, NonNullable<RuleFile["variants"]>[number] | undefined]> = [];
      // Variants first: the first variant that matches wins over the rule's plain matcher;
      // family fallbacks last, so any own wording of the rule wins over them.
      for (const v of rule.variants ?? []) if (!v.fallback) specs.push([v.match, v]);
      if (rule.match) specs.push([rule.match, undefined]);
      for (const v of rule.variants ?? []) if (v.fallback) specs.push([v.match, v]);
      for (const [spec, variant] of specs) {
        const index = this.matchers.push(compileMatcher(rule, spec, variant)) - 1;
        for (const k of spec.keywords) add(k, { kind: "matcher", index });
      }
    }
    for (const probe of PROBES) for (const k of probe.keywords) add(k, { kind: "probe", probe });
    for (const k of HEADER_KEYWORDS) add(k, { kind: "header" });
    this.scanner = new KeywordScanner(this.byKeyword.keys());
  }

  diagnose(input: string, opts: DiagnoseOptions = {}): DiagnoseResult {
    const text = prepareText(input);
    assertLogText(text);
    return this.diagnosePrepared(text, opts.lang && opts.lang !== "auto" ? opts.lang : detectLang(input));
  }

  /**
   * The engine after the input checks, on prepared text. The byte path (byte-path.ts) calls it
   * with a reduced text: the lines that matter, at their places, with the checks done on the whole log.
   */
  diagnosePrepared(prepared: string, lang: Lang, repair = true): DiagnoseResult {
    // Lines a terminal hard-wrapped are joined back; `joins` keeps the paste's line numbers.
    const { text, joins } = repair ? rejoinWrapped(prepared) : { text: prepared, joins: [] as number[] };
    const state = new FactState();
    const hits = new Map<number, Hit[]>();
    // Unnumbered step headers and the classic builder's verdicts, in the log's order.
    const marks: Array<{ at: number; verdict: boolean }> = [];

    for (const line of this.scanner.scan(text)) {
      const clean = cleanLine(text.slice(line.start, line.end));
      state.offset = line.start;
      if (clean.github) state.conditions.add("github-actions");
      state.lineDocker = false;
      // (a `DOCKER_DEFAULT_PLATFORM=…` prefix is for the command on its own line only)
      state.steps.prefixPlatform = false;
      if (clean.step !== undefined || clean.timed) state.markDocker();
      if (!clean.text) continue;
      // Probes and step headers first, so a hit on this very line sees what it says.
      const matchers = new Set<number>();
      const probesRun = new Set<Probe>();
      const commandsBefore = state.steps.commands;
      let header = false;
      for (const k of line.keywords) {
        for (const c of this.byKeyword.get(k) ?? []) {
          if (c.kind === "matcher") matchers.add(c.index);
          else if (c.kind === "header") header = true;
          else if (!probesRun.has(c.probe)) {
            probesRun.add(c.probe);
            c.probe.visit(clean.text, state);
          }
        }
      }
      // (A running container's own output, behind Compose's service prefix, opens no build step.)
      // A new docker command ends the output above it, as a step header does.
      if (state.steps.commands !== commandsBefore) marks.push({ at: line.start, verdict: false });
      if (header && !clean.service) {
        state.steps.visit(clean);
        if (CLASSIC_VERDICT.test(clean.text)) marks.push({ at: line.start, verdict: true });
        else if (clean.step === undefined && (headerKind(clean.text) || closesStep(clean.text))) marks.push({ at: line.start, verdict: false });
      }
      let contexts: Set<HitContext> | undefined;
      const contextsOf = () => (contexts ??= state.steps.contextsOf(clean));
      // A `***` redaction was matched as the token `xxx`: facts show what the user pasted.
      const docker = state.lineDocker || state.inCommand || state.steps.inStep || clean.stepStderr === true;
      const redactedTokens = clean.text.includes("xxx") && text.slice(line.start, line.end).includes("***");
      for (const index of matchers) this.tryMatcher(index, line.start, line.end, clean.text, clean.step, hits, contextsOf, redactedTokens, docker);
    }

    stepsClosedByVerdict(hits, marks);
    const facts = state.finish();
    const conditions = [...state.conditions].sort();
    // Each diagnosis masks its facts, mostly the same values: each value is masked once per call
    // (the memo lives only as long as this call).
    const masked = new Map<string, string>();
    const mask = (v: string): string => {
      let out = masked.get(v);
      if (out === undefined) masked.set(v, (out = redact(v)));
      return out;
    };
    const diagnoses = this.decide(text, hits, state, lang, joins, mask);
    return {
      source: diagnoses.length ? "rules" : "none",
      lang,
      diagnoses,
      facts: maskRecord(facts, mask),
      conditions,
      dockerLog: state.dockerLog,
    };
  }

  private tryMatcher(index: number, start: number, end: number, text: string, step: number | undefined, hits: Map<number, Hit[]>, contextsOf: () => Set<HitContext>, redactedTokens: boolean, docker: boolean): void {
    const m = this.matchers[index]!;
    for (const re of m.any) {
      const found = re.exec(text);
      if (!found) continue;
      const list = hits.get(index) ?? [];
      const groups: Facts = {};
      for (const [k, v] of Object.entries(found.groups ?? {})) {
        if (!v) continue;
        const shown = redactedTokens ? v.replaceAll("xxx", "***") : v;
        groups[k] = REF_FACTS.has(k) ? unescapeRef(shown) : shown;
      }
      // Keep the first hits and always the latest one: the last error is often the decisive one.
      if (list.length >= MAX_EVIDENCE) list.pop();
      list.push({ start, end, text, step, groups, pos: found.index, contexts: contextsOf(), docker });
      hits.set(index, list);
      return;
    }
  }

  private decide(text: string, hits: Map<number, Hit[]>, state: FactState, lang: Lang, joins: number[], mask: (v: string) => string): Diagnosis[] {
    type Found = { matcher: Matcher; hits: Hit[]; docker: boolean };
    const byRule = new Map<string, Found>();
    const innermost = this.innermostFallbacks(hits, state);
    // Matchers are in rule order with variants first, so the first surviving one per rule wins.
    const indexes = [...hits.keys()].sort((a, b) => a - b);
    // Outside Docker structure only a matcher with Docker's own wording can be confident, so it
    // wins over an earlier generic matcher of the same rule.
    const effective = (f: Found): number => CONFIDENCE_RANK[confidenceOf(f.matcher, f.docker)];
    for (const index of indexes) {
      const matcher = this.matchers[index]!;
      const previous = byRule.get(matcher.rule.id);
      if (previous && (matcher.fallback || effective(previous) === CONFIDENCE_RANK[previous.matcher.confidence])) continue;
      if (!matcher.when.every((c) => state.conditions.has(c))) continue;
      if (matcher.whenNot.some((c) => state.conditions.has(c))) continue;
      const kept = hits
        .get(index)!
        .filter(
          (h) =>
            (!matcher.fallback || innermost.get(h.start) === index) &&
            contextFits(matcher, h) &&
            this.contextHolds(text, h, matcher) &&
            this.runIsClean(text, h, matcher, state),
        );
      if (!kept.length) continue;
      const found: Found = { matcher, hits: kept, docker: kept.some((h) => h.docker || (matcher.wording !== "specific" && dockerAround(text, h))) };
      // (at equal confidence a matcher speaking at its own wins over one held down for want of Docker output: its
      // reading is on firmer ground, as a runner's own disk warning is beside a bare ENOSPC line. Not at low, where
      // neither is an answer and the earlier, more specific variant's words stay the better guess.)
      const held = (f: Found): boolean => effective(f) < CONFIDENCE_RANK[f.matcher.confidence];
      const tie = effective(found) === effective(previous ?? found) && effective(found) > CONFIDENCE_RANK.low;
      if (!previous || effective(found) > effective(previous) || (tie && held(previous) && !held(found)))
        byRule.set(matcher.rule.id, found);
    }
    // A rule stands down when a rule it defers to also matched (decided on the set before
    // suppression, so the order of rules never matters).
    // A family fallback only speaks for lines no rule's own wording explains. The last resorts ranked
    // below the fallbacks (run-step-failed's "a RUN step failed" reading of an error-shaped line, the
    // low-priority variants of other rules that read a step's bare header) explain nothing more
    // specific: `Error: Downloading URL …: Connection refused` is the network.
    const explained = new Set(
      [...byRule.values()].filter((f) => !f.matcher.fallback && f.matcher.priority > FALLBACK_PRIORITY).flatMap((f) => f.hits.map((h) => h.start)),
    );
    for (const [id, f] of byRule) {
      if (!f.matcher.fallback) continue;
      f.hits = f.hits.filter((h) => !explained.has(h.start));
      if (f.hits.length === 0) byRule.delete(id);
    }
    // A family fallback is a weaker claim: no rule defers to it.
    const matched = new Set([...byRule.values()].filter((f) => !f.matcher.fallback).map((f) => f.matcher.rule.id));
    const survivors = [...byRule.values()].filter((f) => !f.matcher.unless.some((id) => matched.has(id)));
    for (const f of survivors) {
      if (!f.matcher.showStepErrors) continue;
      const own = stepErrorLines(text, f.hits[0]!);
      if (own.length) f.hits = [...own, ...f.hits].slice(0, MAX_EVIDENCE + own.length);
    }

    const counter = new LineCounter(text);
    const withLines = survivors.map((f) => ({ ...f, lines: [] as number[] }));
    // Line numbers are counted in one forward pass over every evidence offset.
    const offsets = withLines.flatMap((f, fi) => f.hits.map((h, hi) => ({ fi, hi, start: h.start }))).sort((a, b) => a.start - b.start);
    for (const o of offsets) withLines[o.fi]!.lines[o.hi] = counter.lineAt(o.start) + joinsBefore(joins, o.start);

    const diagnoses = withLines.map(({ matcher, hits: hs, lines, docker }) => this.toDiagnosis(matcher, hs, lines, state.factsAt(hs[0]!.start), lang, docker, mask));
    diagnoses.sort(
      (a, b) =>
        CONFIDENCE_RANK[b.confidence] - CONFIDENCE_RANK[a.confidence] ||
        b.priority - a.priority ||
        (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0) ||
        (a.ruleId < b.ruleId ? -1 : 1),
    );
    return diagnoses;
  }

  /**
   * For each line several family fallbacks hit, the one whose cause sits furthest right: in an
   * error chain (`failed to authorize: ... : dial tcp ...: i/o timeout`) that is the innermost link,
   * the real cause; the outer links only say what was being attempted.
   */
  private innermostFallbacks(hits: Map<number, Hit[]>, state: FactState): Map<number, number> {
    const best = new Map<number, { index: number; pos: number }>();
    for (const [index, list] of hits) {
      const m = this.matchers[index]!;
      if (!m.fallback || !m.when.every((c) => state.conditions.has(c)) || m.whenNot.some((c) => state.conditions.has(c))) continue;
      for (const h of list) {
        if (!contextFits(m, h)) continue;
        const b = best.get(h.start);
        if (!b || h.pos > b.pos || (h.pos === b.pos && index < b.index)) best.set(h.start, { index, pos: h.pos });
      }
    }
    return new Map([...best].map(([start, b]) => [start, b.index]));
  }

  private contextHolds(text: string, hit: Hit, m: Matcher): boolean {
    if (m.near.length === 0 && m.notNear.length === 0) return true;
    const widest = Math.max(...m.near.map((n) => n.within), ...m.notNear.map((n) => n.within));
    const { before, after } = linesAround(text, hit.start, hit.end, widest);
    // Each line with its distance from the evidence line, its side, its BuildKit step and whether BuildKit
    // timed it, to honour `within`, `side`, `sameStep` and `timed`.
    // A hit with no BuildKit step number (the classic builder's output) shares its step with the
    // lines up to the nearest step header on each side (`Step 4/6 : RUN …` starts the next one).
    const hitTimed = cleanLine(text.slice(hit.start, hit.end)).timed === true;
    const around: Array<[string, number, "before" | "after" | "both", number | undefined, boolean, boolean]> = [[hit.text, 0, "both", hit.step, true, hitTimed]];
    // BuildKit's tty view times every line of a step's output (`81.09 …`, no `#N`): next to such a
    // hit, a line without that time (the CI job's or the terminal's own) is no longer the step's.
    const ttyHit = hit.step === undefined && hitTimed;
    for (const [lines, side] of [[before, "before"], [after, "after"]] as const) {
      let own = true;
      lines.forEach((l, i) => {
        const c = cleanLine(l);
        const boundary = c.step !== undefined || headerKind(c.text) !== undefined || (ttyHit && c.text !== "" && !c.timed);
        // (a header before the hit opens the hit's own step; one after it opens the next)
        if (boundary && side === "after") own = false;
        around.push([c.text, i + 1, side, c.step, own, c.timed === true]);
        if (boundary && side === "before") own = false;
      });
    }
    const sameStep = (step: number | undefined, own: boolean): boolean => (hit.step !== undefined ? step === hit.step : own);
    const seen = (n: NearCheck): boolean =>
      around.some(([line, d, side, step, own, timed]) => d <= n.within && (n.side === "both" || side === n.side) && (!n.sameStep || sameStep(step, own)) && (!n.timed || timed) && n.re.test(line));
    return m.near.every(seen) && !m.notNear.some(seen);
  }

  /** `notInRun`: the lines of the evidence's own run, cleaned like every other line. */
  private runIsClean(text: string, hit: Hit, m: Matcher, state: FactState): boolean {
    if (m.notInRun.length === 0) return true;
    const [start, end] = state.runBounds(hit.start, text.length);
    // A run can be the whole of a huge log; its first and last few MB hold what matters.
    const region = end - start > RUN_WINDOW * 2 ? text.slice(start, start + RUN_WINDOW) + "\n" + text.slice(end - RUN_WINDOW, end) : text.slice(start, end);
    for (const raw of region.split("\n")) {
      const line = cleanLine(raw).text;
      if (line && m.notInRun.some((re) => re.test(line))) return false;
    }
    return true;
  }

  private toDiagnosis(m: Matcher, hits: Hit[], lines: number[], base: Facts, lang: Lang, docker: boolean, mask: (v: string) => string): Diagnosis {
    const facts: Facts = { ...base };
    for (const h of hits) for (const [k, v] of Object.entries(h.groups)) facts[k] ??= v;
    // The rule's own captures are more precise than whole-log guesses (first match wins).
    const firstMatch = hits.find((h) => Object.keys(h.groups).length > 0);
    for (const [k, v] of Object.entries(firstMatch?.groups ?? {})) facts[k] = v;
    if (m.variant) facts.variant = m.variant;
    const safe = maskRecord(facts, mask);
    const evidence: Evidence[] = hits
      // Masked before it is cut: a secret across the cut would otherwise leave its first half.
      .map((h, i) => ({ line: lines[i] ?? 0, text: cutEvidence(redact(h.text)) }))
      .sort((a, b) => a.line - b.line);
    const confidence = confidenceOf(m, docker);
    const d: Diagnosis = {
      ruleId: m.rule.id,
      family: m.rule.family ?? m.rule.id,
      // (a title may name a fact, as a variant's `qemu-{{emuArch}}` does: filled like the summary)
      title: fillTemplate(m.title[lang], safe),
      confidence,
      priority: m.priority,
      summary: fillTemplate(m.summary[lang], safe),
      fix: m.fix.filter((f) => stepApplies(f.whenFact, facts)).map((f) => ({ description: fillTemplate(f.description[lang], safe), command: fillTemplate(f.command, safe) })),
      docs: m.docs,
      evidence,
      facts: safe,
    };
    if (m.variant) d.variant = m.variant;
    return d;
  }
}

/** A fix step's `whenFact`: every named fact is unknown, or holds one of the step's strings. */
function stepApplies(when: Record<string, string[]> | undefined, facts: Facts): boolean {
  if (!when) return true;
  return Object.entries(when).every(([name, needles]) => {
    const value = facts[name]?.toLowerCase();
    return value === undefined || needles.some((n) => value.includes(n.toLowerCase()));
  });
}

/** redactRecord with a memo of masked values (see diagnosePrepared). */
function maskRecord(rec: Facts, mask: (v: string) => string): Facts {
  const out: Facts = {};
  for (const [k, v] of Object.entries(rec)) out[k] = mask(v);
  return out;
}

function cutEvidence(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)} …` : text;
}
