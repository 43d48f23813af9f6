// The worker side of OffThreadDiagnoser: the same rule engine (built-in pack plus the team's
// rule folders) in a worker thread, loaded once per set of folders.
import { openEngine } from "./open-engine.js";
import { InputError } from "./normalize.js";
import type { RuleEngine } from "./engine.js";
import type { DiagnoseOptions, DiagnoseResult } from "./types.js";

export interface DiagnoseTask {
  text: string;
  opts: DiagnoseOptions;
  extraDirs: string[];
}

/** Errors lose their class between threads: an input the engine refuses comes back as data. */
export type DiagnoseOutcome = { result: DiagnoseResult } | { inputError: { code: InputError["code"]; message: string } };

// The compiled rule pack when it is fresh (fast to start), the YAML loader otherwise.
const engines = new Map<string, Promise<RuleEngine>>();

export default async function diagnose({ text, opts, extraDirs }: DiagnoseTask): Promise<DiagnoseOutcome> {
  const key = extraDirs.join("\0");
  let opening = engines.get(key);
  if (!opening) {
    opening = openEngine({ extraDirs });
    engines.set(key, opening);
    opening.catch(() => engines.delete(key));
  }
  const engine = await opening;
  try {
    return { result: engine.diagnose(text, opts) };
  } catch (err) {
    if (err instanceof InputError) return { inputError: { code: err.code, message: err.message } };
    throw err;
  }
}
