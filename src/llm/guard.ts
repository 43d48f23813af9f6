// What keeps the fallback bounded: a circuit breaker that stops asking a model that keeps
// failing, and an hourly budget of questions. Both take a clock so tests can move time.
import type { Store } from "../store/store.js";

export type Clock = () => number;

/**
 * Closed: calls go through. After `threshold` failures in a row it opens for `cooldownMs`;
 * then one trial call is let through (half-open): success closes it, failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trial = false;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: Clock = Date.now,
  ) {}

  get state(): "closed" | "open" | "half-open" {
    if (this.failures < this.threshold) return "closed";
    return this.now() < this.openUntil ? "open" : "half-open";
  }

  /** Whether a call may go out now; in half-open state only one at a time. */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === "closed") return true;
    if (s === "open" || this.trial) return false;
    this.trial = true;
    return true;
  }

  /** Gives back a slot taken by `tryAcquire` that was not used for a call. */
  release(): void {
    this.trial = false;
  }

  success(): void {
    this.failures = 0;
    this.trial = false;
  }

  failure(): void {
    this.failures++;
    this.trial = false;
    if (this.failures >= this.threshold) this.openUntil = this.now() + this.cooldownMs;
  }
}

const HOUR = 60 * 60 * 1000;

/**
 * Questions per clock hour. Counted in the shared store (several bot instances share one
 * budget) and in the process; the higher count wins, so a store that is down cannot lift
 * the limit.
 */
export class HourlyBudget {
  private localWindow = -1;
  private localUsed = 0;

  constructor(
    private readonly limit: number,
    private readonly store: Store | undefined,
    private readonly now: Clock = Date.now,
  ) {}

  async take(): Promise<boolean> {
    const window = Math.floor(this.now() / HOUR);
    if (window !== this.localWindow) {
      this.localWindow = window;
      this.localUsed = 0;
    }
    const key = `llm:budget:${window}`;
    const shared = (await this.store?.get<number>(key)) ?? 0;
    const used = Math.max(shared, this.localUsed);
    if (used >= this.limit) return false;
    this.localUsed = used + 1;
    await this.store?.set(key, used + 1, HOUR);
    return true;
  }
}
