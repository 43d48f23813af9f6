// Entry point of the build step that writes dist/rules-pack.json, then warns about keywords
// that are too common in build logs (see keyword-rarity.ts).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../package-info.js";
import { formatProblem, RuleLoadError } from "./errors.js";
import { PACK_FILE } from "./pack.js";
import { writeRulePack } from "./build-pack.js";
import { type Reference, commonKeywords, formatCommon, logsIn } from "./keyword-rarity.js";

/** Benign build output (the bench's generated BuildKit log without failures) and the corpus of real failing logs, when present. */
async function references(): Promise<Reference[]> {
  const refs: Reference[] = [];
  const generator = join(PACKAGE_ROOT, "dist", "bench", "generate-log.js");
  if (existsSync(generator)) {
    const { buildkitLog } = (await import(pathToFileURL(generator).href)) as { buildkitLog: (bytes: number, seed: number, failures: string[]) => string };
    // Benign chatter: a keyword here makes every large log's lines candidates.
    refs.push({ name: "a generated benign BuildKit log", texts: [buildkitLog(2 << 20, 3, [])], limit: 0.01 });
  }
  // Failing logs hold their error lines densely, hence the higher limit.
  refs.push({ name: "the test corpus (test/fixtures/logs)", texts: [...logsIn(join(PACKAGE_ROOT, "test", "fixtures", "logs"))], limit: 0.05 });
  return refs;
}

try {
  const pack = writeRulePack();
  process.stdout.write(`rule pack: ${pack.rules.length} rules -> ${PACK_FILE}\n`);
  for (const c of commonKeywords(pack.rules.map((r) => r.rule), await references())) process.stderr.write(`rule pack: warning: ${formatCommon(c)}\n`);
} catch (err) {
  if (!(err instanceof RuleLoadError)) throw err;
  process.stderr.write(`rule pack not written:\n${err.problems.map((p) => `  ${formatProblem(p)}`).join("\n")}\n`);
  process.exitCode = 1;
}
