// Refuses regular expressions that can backtrack catastrophically, with recheck (a
// maintained ReDoS checker). A check takes about a second, so verdicts are kept by pattern:
// the built-in pack ships its verdicts (rules/redos-verdicts.json, like a lock file, rebuilt
// by `npm run rules:verdicts` and re-verified by the test suite in CI), and every other
// pattern (team rules, edited built-ins) is checked on first load and cached on disk.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// recheck is large (tens of MB of heap); load it only when a pattern has no cached verdict.
type Recheck = typeof import("recheck");
let recheck: Recheck | undefined;
const loadRecheck = (): Recheck => (recheck ??= createRequire(import.meta.url)("recheck") as Recheck);

export interface RedosVerdict {
  status: "safe" | "vulnerable" | "unknown";
  /** For vulnerable patterns: exponential, or the degree of the polynomial. */
  exponential?: boolean;
  degree?: number;
  complexity?: string;
  attack?: string;
}

/**
 * Whether a verdict is acceptable. Lines are cut to MAX_LINE characters before matching,
 * so a quadratic pattern costs at most a few milliseconds a line; exponential and cubic or
 * worse patterns can still stall the bot on one crafted line, and are refused.
 */
export function acceptable(v: RedosVerdict): boolean {
  return v.status !== "vulnerable" || (!v.exponential && (v.degree ?? 99) <= 2);
}

const CHECK_TIMEOUT_MS = 10_000;

function defaultCachePath(): string {
  return process.env.BUILDX_FIX_REDOS_CACHE ?? join(tmpdir(), "buildx-fix", "redos-cache.json");
}

export function verdictKey(source: string, flags: string): string {
  return createHash("sha256").update(`${flags}/${source}`).digest("hex").slice(0, 32);
}

function readVerdicts(path: string): Record<string, RedosVerdict> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, RedosVerdict>;
  } catch {
    return {};
  }
}

/** Runs recheck itself, with no cache. */
export function checkPattern(source: string, flags: string): RedosVerdict {
  const result = loadRecheck().checkSync(source, flags, { timeout: CHECK_TIMEOUT_MS });
  if (result.status !== "vulnerable") return { status: result.status };
  return {
    status: "vulnerable",
    exponential: result.complexity.type === "exponential",
    ...(result.complexity.type === "polynomial" ? { degree: result.complexity.degree } : {}),
    complexity: result.complexity.summary,
    attack: result.attack.pattern,
  };
}

export class RedosChecker {
  private readonly shipped: Record<string, RedosVerdict>;
  private readonly cache: Record<string, RedosVerdict>;
  private dirty = false;

  constructor(
    shippedPath?: string,
    private readonly cachePath = defaultCachePath(),
  ) {
    this.shipped = shippedPath ? readVerdicts(shippedPath) : {};
    this.cache = readVerdicts(cachePath);
  }

  check(source: string, flags: string): RedosVerdict {
    const key = verdictKey(source, flags);
    const known = this.shipped[key] ?? this.cache[key];
    if (known) return known;
    const verdict = checkPattern(source, flags);
    // "unknown" (the checker ran out of time) is not cached, so a later run may settle it.
    if (verdict.status !== "unknown") {
      this.cache[key] = verdict;
      this.dirty = true;
    }
    return verdict;
  }

  /** Writes new verdicts; a failure only costs the next start the same checks again. */
  save(): void {
    if (!this.dirty) return;
    try {
      mkdirSync(dirname(this.cachePath), { recursive: true });
      const tmp = `${this.cachePath}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.cache));
      renameSync(tmp, this.cachePath);
      this.dirty = false;
    } catch {
      // read-only file system: keep going without a cache
    }
  }
}
