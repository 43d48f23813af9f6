// The emitter catalogue (test/fixtures/emitters/*.yaml): error format strings of the programs
// behind Docker build failures, each with realistic renderings and the rule it should get.
// Shared by test/emitters.test.ts and scripts/emitter-coverage.ts: loading, validation, the
// realistic build log each rendering is wrapped in, and the scoring.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { RuleEngine } from "../../src/engine/engine.js";

export const CATALOGUE_DIR = join(import.meta.dirname, "..", "fixtures", "emitters");
const RULES_DIR = join(import.meta.dirname, "..", "..", "rules");

/** Where the rendered text shows up in a build log. */
const Placement = z.enum([
  "final", // a BuildKit error, printed under the failing vertex and as `ERROR: failed to solve: …`
  "run", // output of the command a `RUN` step ran, then BuildKit's exit-code summary
  "client", // printed by the docker / buildx CLI before any build progress
  "classic", // the legacy builder (DOCKER_BUILDKIT=0), as a step's error
  "classic-run", // output of a RUN command under the legacy builder
]);
export type Placement = z.infer<typeof Placement>;

// `>=v0.9.0` (still printed), `v0.3.0..v0.8.3` (removed since), `any` (outside git history).
const VERSIONS = /^(?:>=\S+|\S+\.\.\S+|any)$/;

const EntrySchema = z
  .object({
    /** The format string as written in the source (verbs kept: %s, %v, %q, {}…). */
    message: z.string().min(1),
    /** Realistic renderings: machine output only, as a user would paste it. */
    rendered: z.array(z.string().min(1)).min(1),
    /** Defaults to the file's program / repository. */
    program: z.string().min(1).optional(),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/).optional(),
    /** Path in the source repository. */
    file: z.string().min(1),
    /** Where the wording exists, from the repository's tags. */
    versions: z.string().regex(VERSIONS, "versions must be `>=TAG`, `TAG..TAG` or `any`"),
    /** The fixed part of `message` used to trace it in git history, when not the longest one. */
    literal: z.string().min(1).optional(),
    /** Expected first answer: a rule id, or `none` when the message alone proves no Docker cause. */
    rule: z.string().min(1),
    /** Generic wording (not Docker's own): alone it must stay below medium; in a log it gets `rule`. */
    generic: z.boolean().optional(),
    /** Generic wording that names its cause in any program's output (the rule's `wording: names-cause`): alone it
     * gets `rule` too (at medium), in a log `rule`. */
    namesCause: z.boolean().optional(),
    in: Placement.optional(),
    /** The BuildKit vertex that failed (placement `final`). */
    vertex: z.string().min(1).optional(),
    /** The RUN command (placements `run`, `classic-run`). */
    command: z.string().min(1).optional(),
    exit: z.number().int().min(1).max(255).optional(),
    /** A minimal surrounding log holding `{{rendered}}`, for messages that need their context. */
    context: z.string().includes("{{rendered}}").optional(),
    /** Why the expected rule was chosen, when it is debatable. */
    note: z.string().optional(),
  })
  .strict();

const FileSchema = z
  .object({
    program: z.string().min(1),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
    in: Placement.optional(),
    /** Default RUN command for `run` entries of this program. */
    command: z.string().min(1).optional(),
    entries: z.array(EntrySchema).min(1),
  })
  .strict();

export interface CatalogueEntry extends Omit<z.infer<typeof EntrySchema>, "program" | "repo" | "in"> {
  program: string;
  repo: string;
  in: Placement;
  /** The catalogue file, for messages. */
  source: string;
}

function ruleIds(): Set<string> {
  const ids = new Set<string>(["none"]);
  for (const f of readdirSync(RULES_DIR).filter((n) => n.endsWith(".yaml"))) {
    const id = (parse(readFileSync(join(RULES_DIR, f), "utf8")) as { id?: unknown }).id;
    if (typeof id === "string") ids.add(id);
  }
  return ids;
}

/** Loads and validates every catalogue file; errors name the file, the entry and the field. */
export function loadCatalogue(dir = CATALOGUE_DIR): CatalogueEntry[] {
  const ids = ruleIds();
  const out: CatalogueEntry[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".yaml")).sort()) {
    let raw: unknown;
    try {
      raw = parse(readFileSync(join(dir, name), "utf8"));
    } catch (err) {
      throw new Error(`${name}: not valid YAML: ${(err as Error).message}`);
    }
    const parsed = FileSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new Error(`${name}: invalid catalogue file\n  ${issues.join("\n  ")}`);
    }
    const file = parsed.data;
    file.entries.forEach((e, i) => {
      const where = `${name}: entries.${i} (${e.message})`;
      if (!ids.has(e.rule)) throw new Error(`${where}: rule: unknown rule id "${e.rule}"`);
      if (e.context && e.in) throw new Error(`${where}: in: an entry with a context is placed by it`);
      out.push({ ...e, program: e.program ?? file.program, repo: e.repo ?? file.repo, in: e.in ?? file.in ?? "final", command: e.command ?? file.command, source: name });
    });
  }
  return out;
}

const PREAMBLE = [
  '#0 building with "default" instance using docker driver',
  "",
  "#1 [internal] load build definition from Dockerfile",
  "#1 transferring dockerfile: 612B done",
  "#1 DONE 0.0s",
  "",
  "#2 [internal] load metadata for docker.io/library/debian:bookworm-slim",
  "#2 DONE 0.9s",
  "",
  "#3 [internal] load .dockerignore",
  "#3 transferring context: 2B done",
  "#3 DONE 0.0s",
  "",
  "#4 [1/5] FROM docker.io/library/debian:bookworm-slim@sha256:4b50eb66f977b4062683ff434ef18ac191da862dbe966961bc11990cf5791a8d",
  "#4 resolve docker.io/library/debian:bookworm-slim@sha256:4b50eb66f977b4062683ff434ef18ac191da862dbe966961bc11990cf5791a8d 0.0s done",
  "#4 CACHED",
  "",
  "#5 [internal] load build context",
  "#5 transferring context: 48.21kB 0.0s done",
  "#5 DONE 0.1s",
  "",
  "#6 [2/5] WORKDIR /app",
  "#6 CACHED",
  "",
];

const CLASSIC_PREAMBLE = [
  "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.",
  "            Install the buildx component to build images with BuildKit:",
  "            https://docs.docker.com/go/buildx/",
  "",
  "Sending build context to Docker daemon  48.21kB",
  "Step 1/5 : FROM debian:bookworm-slim",
  " ---> 2e5b8e1a7c3d",
  "Step 2/5 : WORKDIR /app",
  " ---> Using cache",
  " ---> 7f1c0d3b9a2e",
];

/** The BuildKit step that printed `text` in a RUN step's output, timestamped like BuildKit does. */
function runLines(n: number, text: string): string[] {
  return text.split("\n").map((line, i) => `#${n} ${(1.2 + i * 0.013).toFixed(3)} ${line}`);
}

/** Strips the client's prefixes to get what BuildKit printed on the vertex itself. */
function vertexError(rendered: string): string {
  const last = rendered.split("\n").at(-1) ?? rendered;
  return last.replace(/^(?:ERROR|error): /, "").replace(/^(?:failed to build: )?failed to solve: /, "");
}

/** The rendering inside a realistic build log, where the program would print it. */
export function inLog(entry: CatalogueEntry, rendered: string): string {
  if (entry.context) return entry.context.replace("{{rendered}}", rendered);
  const command = entry.command ?? "make build";
  const exit = entry.exit ?? 1;
  switch (entry.in) {
    case "run": {
      const step = `[3/5] RUN ${command}`;
      const failed = `process "/bin/sh -c ${command}" did not complete successfully: exit code: ${exit}`;
      return [
        ...PREAMBLE,
        `#7 ${step}`,
        ...runLines(7, rendered),
        `#7 ERROR: ${failed}`,
        "------",
        ` > ${step}:`,
        ...rendered.split("\n").map((l, i) => `${(1.2 + i * 0.013).toFixed(3)} ${l}`),
        "------",
        "Dockerfile:5",
        "--------------------",
        "   3 |     COPY . .",
        "   4 |     ",
        `   5 | >>> RUN ${command}`,
        "   6 |     ",
        "--------------------",
        `ERROR: failed to solve: ${failed}`,
      ].join("\n");
    }
    case "final": {
      const vertex = entry.vertex ?? "[3/5] RUN make build";
      const finalLine = rendered.split("\n").at(-1) ?? rendered;
      return [
        ...PREAMBLE,
        `#7 ${vertex}`,
        `#7 ERROR: ${vertexError(rendered)}`,
        "------",
        ` > ${vertex}:`,
        "------",
        ...rendered.split("\n").slice(0, -1),
        finalLine,
      ].join("\n");
    }
    case "client":
      return ["Run docker buildx build --platform linux/amd64 -t ghcr.io/acme/app:1.4.2 --push .", rendered, "Error: Process completed with exit code 1."].join("\n");
    case "classic":
      return [...CLASSIC_PREAMBLE, `Step 3/5 : ${command}`, rendered].join("\n");
    case "classic-run":
      return [
        ...CLASSIC_PREAMBLE,
        `Step 3/5 : RUN ${command}`,
        " ---> Running in 5c2d9e1f0a3b",
        rendered,
        `The command '/bin/sh -c ${command}' returned a non-zero code: ${exit}`,
      ].join("\n");
  }
}

/** The rendering as pasted alone; entries with a context mean nothing without it. */
export function alone(entry: CatalogueEntry, rendered: string): string {
  return entry.context ? entry.context.replace("{{rendered}}", rendered) : rendered;
}

export interface Check {
  entry: CatalogueEntry;
  rendered: string;
  mode: "alone" | "in-log";
  expected: string;
  /** What the engine answered first, `ruleId (confidence)` or `nothing`. */
  got: string;
  pass: boolean;
}

const CONFIDENT = new Set(["high", "medium"]);

/**
 * What a right answer is. `none` and generic wordings alone: nothing at high/medium (a wording that names its
 * cause gets its rule alone too). In a log, a
 * `none` message inside a RUN step's output leaves the step's own failure as the answer.
 */
function expectation(entry: CatalogueEntry, mode: Check["mode"]): string {
  if (mode === "alone") return entry.generic && !entry.namesCause ? "none" : entry.rule;
  if (entry.rule === "none" && !entry.context && (entry.in === "run" || entry.in === "classic-run")) return "run-step-failed";
  return entry.rule;
}

export function check(engine: RuleEngine, entry: CatalogueEntry, rendered: string, mode: Check["mode"]): Check {
  const log = mode === "alone" ? alone(entry, rendered) : inLog(entry, rendered);
  const top = engine.diagnose(log).diagnoses[0];
  const expected = expectation(entry, mode);
  const confident = top !== undefined && CONFIDENT.has(top.confidence);
  const pass = expected === "none" ? !confident : confident && top.ruleId === expected;
  return { entry, rendered, mode, expected, got: top ? `${top.ruleId} (${top.confidence})` : "nothing", pass };
}

export function checkAll(engine: RuleEngine, entries: CatalogueEntry[]): Check[] {
  return entries.flatMap((e) => e.rendered.flatMap((r) => [check(engine, e, r, "alone"), check(engine, e, r, "in-log")]));
}

export interface CoverageRow {
  program: string;
  entries: number;
  checks: number;
  passed: number;
}

/** Checks passed per program, then the total under the name `all`. */
export function coverage(checks: Check[]): CoverageRow[] {
  const rows = new Map<string, CoverageRow & { seen: Set<CatalogueEntry> }>();
  const add = (program: string, c: Check) => {
    const row = rows.get(program) ?? { program, entries: 0, checks: 0, passed: 0, seen: new Set() };
    if (!row.seen.has(c.entry)) {
      row.seen.add(c.entry);
      row.entries++;
    }
    row.checks++;
    if (c.pass) row.passed++;
    rows.set(program, row);
  };
  for (const c of checks) add(c.entry.program, c);
  const sorted = [...rows.values()].sort((a, b) => a.program.localeCompare(b.program));
  for (const c of checks) add("all", c);
  return [...sorted, rows.get("all")!].map(({ seen: _seen, ...row }) => row);
}

export function rate(row: CoverageRow): number {
  return row.checks ? row.passed / row.checks : 0;
}

export function coverageMarkdown(rows: CoverageRow[]): string {
  const pct = (r: CoverageRow) => `${(rate(r) * 100).toFixed(1)} %`;
  return [
    "| Program | Entries | Checks | Right | Coverage |",
    "|---|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.program === "all" ? "**all**" : r.program} | ${r.entries} | ${r.checks} | ${r.passed} | ${pct(r)} |`),
  ].join("\n");
}

/** One line per miss, for the test output. */
export function describeMiss(c: Check): string {
  const text = c.rendered.split("\n").at(-1)!.slice(0, 160);
  return `${c.entry.source} [${c.mode}] want ${c.expected}, got ${c.got}: ${text}`;
}
