// Entry point of the build step that writes dist/rules-pack.json.
import { formatProblem, RuleLoadError } from "./errors.js";
import { PACK_FILE } from "./pack.js";
import { writeRulePack } from "./build-pack.js";

try {
  const pack = writeRulePack();
  process.stdout.write(`rule pack: ${pack.rules.length} rules -> ${PACK_FILE}\n`);
} catch (err) {
  if (!(err instanceof RuleLoadError)) throw err;
  process.stderr.write(`rule pack not written:\n${err.problems.map((p) => `  ${formatProblem(p)}`).join("\n")}\n`);
  process.exitCode = 1;
}
