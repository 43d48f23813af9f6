// GET /readyz: whether this instance should get traffic. Each check (rules loaded, the state
// store answering, each chat adapter connected) is reported by name; any failing one, or a
// shutdown under way, answers 503. /healthz stays the liveness probe (the process answers).
import type { Express } from "express";
import type { RuleEngine } from "../engine/engine.js";
import type { Store } from "../store/store.js";

export const READYZ_PATH = "/readyz";

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export type Check = () => CheckResult | Promise<CheckResult>;

/** A check that takes longer than this fails: a probe must not hang on a dead Redis. */
const CHECK_TIMEOUT_MS = 2000;

export class Readiness {
  private readonly checks = new Map<string, Check>();
  private draining = false;

  add(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  /** From now on: not ready (a shutdown is under way). */
  drain(): void {
    this.draining = true;
  }

  async report(): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, CheckResult]> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<CheckResult>((resolve) => {
          timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
        });
        try {
          return [name, await Promise.race([Promise.resolve().then(check), timeout])];
        } catch (err) {
          return [name, { ok: false, detail: err instanceof Error ? err.message : String(err) }];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    if (this.draining) checks.shutdown = { ok: false, detail: "shutting down" };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  mount(app: Express): void {
    app.get(READYZ_PATH, async (_req, res) => {
      const r = await this.report();
      res.status(r.ready ? 200 : 503).json({ status: r.ready ? "ready" : "not ready", checks: r.checks });
    });
  }
}

/** The checks every instance has: the rule pack and the state store. */
export function baseChecks(readiness: Readiness, engine: RuleEngine, store: Store): void {
  readiness.add("rules", () => (engine.rules.length ? { ok: true, detail: `${engine.rules.length} rules` } : { ok: false, detail: "no rules loaded" }));
  readiness.add("store", async () => {
    if (store.kind === "memory") return { ok: true, detail: "in-process" };
    // A real round trip: Redis must take a write (with a short TTL) now, not only have once.
    const ok = await store.set("readyz:probe", Date.now(), 10_000);
    return ok ? { ok: true, detail: "redis" } : { ok: false, detail: "redis unreachable" };
  });
}
