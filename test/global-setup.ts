// Loads the rule pack once before the workers start, so the ReDoS verdict cache is warm and
// every test file does not re-check the same patterns in parallel. A broken pack is reported
// by test/rules.test.ts, not here.
import { loadRules } from "../src/rules/load.js";

export default function setup(): void {
  try {
    loadRules();
  } catch {
    // reported by the rule tests
  }
}
