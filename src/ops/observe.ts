// Hooks the bot process fills in (src/ops/metrics.ts) and the shared code calls: a diagnosis
// was made, an answer is in flight. Nothing here imports prom-client, so the CLI, which shares
// BotService, loads no metrics code and pays nothing for these calls.
import type { DiagnoseResult } from "../engine/types.js";

export interface Observer {
  /** A diagnosis was given (chat answer, terminal answer, CI alert) after `seconds`. */
  diagnosis(result: DiagnoseResult, seconds: number): void;
}

let observer: Observer | undefined;

export function setObserver(o: Observer | undefined): void {
  observer = o;
}

export function observeDiagnosis(result: DiagnoseResult, startedAt: number): void {
  observer?.diagnosis(result, (performance.now() - startedAt) / 1000);
}

/** Work a graceful shutdown waits for (answers being computed), bounded by its deadline. */
class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.pending.size;
  }

  track<T>(p: Promise<T>): Promise<T> {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return p;
  }

  /** Resolves when nothing tracked is pending (work started meanwhile included). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

export const inFlight = new InFlight();
