// The shape of a rule file (rules/<id>.yaml). This is the single source of the rule types:
// everything else imports `Rule` from here, so a field added to YAML is added here first.
import { z } from "zod";

export const CONFIDENCES = ["high", "medium", "low"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Log-level facts the engine works out before rules run; rules may require or forbid them. */
export const CONDITIONS = [
  "build", // the log shows an image build (BuildKit or the classic builder)
  "run", // the log shows a container being started (docker run, compose up, pg-docker run)
  "step-failed", // a build step (RUN) failed
  "build-succeeded", // a build finished (classic `Successfully built`, BuildKit's `naming to`)
  "failed-elsewhere", // BuildKit's final verdict names a failure other than a command's exit (an export, a cache key, the frontend)
  "runtime-failed", // the container runtime (runc) failed to set up or tear down a step's container: the command is not to blame
  "cross-platform", // the target platform differs from the host, or several platforms were asked for
  "buildx", // docker buildx / a BuildKit builder instance is in use
  "github-actions", // the log comes from a GitHub Actions runner
  "lazycat", // LazyCat tools or registry (lzc-cli, registry.lazycat.cloud, pg-docker) appear
  "push", // the build or command pushes to a registry
] as const;
export type Condition = (typeof CONDITIONS)[number];

/**
 * Where a single hit stands in the log, worked out per evidence line (not per log):
 * inside the output of a RUN step, at a container's start, after an explicit target platform,
 * or in a step that pulls, pushes, exports or boots the builder.
 */
export const CONTEXTS = ["run-step", "container-start", "explicit-platform", "pull", "push", "export", "builder-boot", "daemon-api", "kube-api", "step-verdict", "after-build", "error-level", "warning-level"] as const;
export type HitContext = (typeof CONTEXTS)[number];

/**
 * `specific`: the words are only ever printed by Docker, BuildKit or a registry, so a hit is its
 * own evidence (a one-line chat paste gets the rule's confidence). `names-cause`: any program may
 * print them but they name one cause wherever they appear (`No space left on device`), so a hit
 * outside Docker structure is held at medium. `generic`: any program may print them (`i/o timeout`,
 * `Killed`), so the hit stays low unless the log shows Docker structure.
 */
export const WORDINGS = ["specific", "names-cause", "generic"] as const;
export type Wording = (typeof WORDINGS)[number];

export const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ruleId = z.string().regex(RULE_ID, "must be kebab-case, e.g. platform-mismatch");

/** A regular expression source, compiled case-insensitively unless the rule says otherwise. */
const regexSource = z
  .string()
  .min(3)
  .superRefine((src, ctx) => {
    try {
      new RegExp(src, "iu");
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(err as Error).message}` });
    }
  });

// YAML's folded scalars (`>-`) join a text's lines with a blank, which Chinese never puts between two of its
// characters or its full-width punctuation (`凭据。 用` reads `凭据。用`); a blank beside Latin text stays.
const CJK_GAP = /([\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])/gu;
const zhText = z
  .string()
  .min(1)
  .transform((s) => s.replace(CJK_GAP, "$1"));
const text = z.object({ en: z.string().min(1), zh: zhText }).strict();
export type LocalText = z.infer<typeof text>;

const near = z
  .object({
    pattern: regexSource,
    /** How many lines before or after the evidence line may hold it (0: the evidence line itself). */
    within: z.number().int().min(0).max(500).default(30),
    /** Which side of the evidence line to look at: a step that went on after an error line says so below it. */
    side: z.enum(["both", "before", "after"]).default("both"),
    /** Only lines of the evidence's own BuildKit step (`#N ...`) count: steps run side by side. */
    sameStep: z.boolean().default(false),
    /** Only lines BuildKit timed count (`#8 94.79 …`, `94.79 …`): a process's own output, which only a RUN step has. */
    timed: z.boolean().default(false),
  })
  .strict();

export const matchSchema = z
  .object({
    /** Literal strings (case-insensitive); a line is only tried against `any` when it holds one. */
    keywords: z.array(z.string().min(3)).min(1),
    /** The line patterns; the first that matches a candidate line gives the evidence and its named groups. */
    any: z.array(regexSource).min(1),
    /** Every one of these must match a line near the evidence. */
    near: z.array(near).default([]),
    /** None of these may match a line near the evidence. */
    notNear: z.array(near).default([]),
    /**
     * None of these may match a line of the same run as the evidence: from the docker command
     * above it to the next docker command (the whole log when it shows no command).
     */
    notInRun: z.array(regexSource).default([]),
    /** Log-level conditions that must all hold. */
    when: z.array(z.enum(CONDITIONS)).default([]),
    /** Log-level conditions none of which may hold. */
    whenNot: z.array(z.enum(CONDITIONS)).default([]),
    /** The rule stands down when any of these rules matched the same log. */
    unless: z.array(ruleId).default([]),
    caseSensitive: z.boolean().default(false),
    /** Whether the matched words are Docker's own (`specific`) or any program's (`generic`). */
    wording: z.enum(WORDINGS).default("generic"),
    /** Per-hit contexts that must all hold at the evidence line. */
    context: z.array(z.enum(CONTEXTS)).default([]),
    /** Per-hit contexts none of which may hold at the evidence line. */
    notContext: z.array(z.enum(CONTEXTS)).default([]),
    /**
     * Also show, as evidence, the first error-looking lines of the failing step's own output
     * above the evidence (for generic failures whose real reason is the command's output).
     */
    showStepErrors: z.boolean().default(false),
  })
  .strict();

const fix = z
  .object({
    description: text,
    /** A shell command; {{fact}} is filled from the log, {{fact|default}} falls back to a default. */
    command: z.string().min(1),
    /**
     * Shown only when each named fact is unknown or contains one of the strings (case-insensitive):
     * an ECR login step is noise under a quay.io image (`whenFact: { registry: [amazonaws.com] }`).
     */
    whenFact: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
  })
  .strict();

const doc = z.object({ title: z.string().min(1), url: z.url({ protocol: /^https$/ }) }).strict();

const example = z
  .object({
    log: z.string().min(1),
    /** Where the excerpt comes from (a public issue or Q&A), when it is real. */
    source: z.url().optional(),
    note: z.string().optional(),
    /** Facts the engine must extract from this example (checked by the tests). */
    facts: z.record(z.string(), z.string()).optional(),
    /** The variant this example must hit, for rules with variants. */
    variant: z.string().optional(),
  })
  .strict();

const variant = z
  .object({
    name: ruleId,
    match: matchSchema,
    title: text.optional(),
    summary: text.optional(),
    fix: z.array(fix).min(1).optional(),
    docs: z.array(doc).min(1).optional(),
    confidence: z.enum(CONFIDENCES).optional(),
    /**
     * A family fallback: its `any` patterns name the innermost cause of an error chain (DNS, TCP,
     * TLS, HTTP status, gRPC, ENOSPC, OOM). It is tried after the rule's own matchers, answers at
     * `medium` unless it says otherwise, ranks just above run-step-failed, and when several
     * fallbacks hit one line only the innermost (rightmost) cause counts.
     */
    fallback: z.boolean().default(false),
    /** Overrides the rule's priority for this variant (fallbacks default to 8, just above run-step-failed's 5). */
    priority: z.number().int().min(0).max(100).optional(),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: ruleId,
    title: text,
    /**
     * The cause this rule reports as, for grouping in stats and the JSON contract: a rule id of the
     * pack (itself for most rules; buildkit-required reports as dockerfile-syntax). Defaults to the id.
     */
    family: ruleId.optional(),
    category: z.enum(["platform", "builder", "registry", "context", "dockerfile", "network", "resources", "runtime", "lazycat", "ci", "step"]),
    confidence: z.enum(CONFIDENCES),
    /** Specificity used for ranking: a more specific cause has a higher number. Generic fallbacks use 0-10. */
    priority: z.number().int().min(0).max(100),
    match: matchSchema.optional(),
    /** Alternative matchers with their own advice; the first variant that matches wins. */
    variants: z.array(variant).min(1).optional(),
    summary: text,
    fix: z.array(fix).min(1),
    docs: z.array(doc).min(1),
    examples: z
      .object({
        match: z.array(example).min(3),
        nearMiss: z.array(example).min(2),
      })
      .strict(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (!rule.match && !rule.variants) {
      ctx.addIssue({ code: "custom", path: ["match"], message: "a rule needs `match` or `variants`" });
    }
    // (examples and answers name a variant: two of one name would make either ambiguous)
    const seen = new Set<string>();
    rule.variants?.forEach((v, i) => {
      if (seen.has(v.name)) ctx.addIssue({ code: "custom", path: ["variants", i, "name"], message: `variant name "${v.name}" is used twice` });
      seen.add(v.name);
    });
  });

export type RuleFile = z.infer<typeof ruleSchema>;
export type MatchSpec = z.infer<typeof matchSchema>;
export type FixTemplate = z.infer<typeof fix>;
export type DocLink = z.infer<typeof doc>;
export type RuleExample = z.infer<typeof example>;
