// Diagnoses long logs in a worker thread, so that a 50 MB upload, attachment or CI log does not
// hold the bot's event loop (acks, other answers) for the hundreds of milliseconds its scan
// takes. Short pastes, the usual case, stay on the main thread: a worker round trip costs more
// than their diagnosis. One worker (piscina), started on first use and stopped when idle.
import { Piscina } from "piscina";
import type { RuleEngine } from "./engine.js";
import type { DiagnoseOutcome, DiagnoseTask } from "./diagnose-worker.js";
import { InputError } from "./normalize.js";
import type { DiagnoseOptions, DiagnoseResult } from "./types.js";

/** From this length (UTF-16 code units, about bytes for a log) a log is diagnosed off the event loop. */
export const OFF_THREAD_MIN_CHARS = 1 << 20;

export interface OffThreadOptions {
  /** The team's rule folders, as the main engine loaded them. */
  extraDirs?: string[] | undefined;
  minChars?: number;
  /** A worker with nothing to do exits after this long. */
  idleTimeoutMs?: number;
  /** The worker's module; default the compiled diagnose-worker.js beside this file. */
  workerUrl?: URL;
}

export class OffThreadDiagnoser {
  private pool: Piscina | undefined;
  private readonly extraDirs: string[];
  readonly minChars: number;

  constructor(
    private readonly engine: RuleEngine,
    private readonly o: OffThreadOptions = {},
  ) {
    this.extraDirs = o.extraDirs ?? [];
    this.minChars = o.minChars ?? OFF_THREAD_MIN_CHARS;
  }

  /** Logs diagnosed in the worker so far. */
  get completed(): number {
    return this.pool?.completed ?? 0;
  }

  async diagnose(text: string, opts: DiagnoseOptions = {}): Promise<DiagnoseResult> {
    if (text.length < this.minChars) return this.engine.diagnose(text, opts);
    this.pool ??= new Piscina({
      filename: (this.o.workerUrl ?? new URL("./diagnose-worker.js", import.meta.url)).href,
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: this.o.idleTimeoutMs ?? 60_000,
    });
    const task: DiagnoseTask = { text, opts, extraDirs: this.extraDirs };
    let outcome: DiagnoseOutcome;
    try {
      outcome = (await this.pool.run(task)) as DiagnoseOutcome;
    } catch {
      // A worker that could not start or died: the answer still comes, on this thread.
      return this.engine.diagnose(text, opts);
    }
    // Empty or binary input is refused the same way on either thread.
    if ("inputError" in outcome) throw new InputError(outcome.inputError.code, outcome.inputError.message);
    return outcome.result;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
