// One engine over the built-in rules, shared by the tests of a file.
import { createEngine } from "../../src/engine/index.js";
import type { RuleEngine } from "../../src/engine/engine.js";

let engine: RuleEngine | undefined;

export function builtinEngine(): RuleEngine {
  engine ??= createEngine();
  return engine;
}
