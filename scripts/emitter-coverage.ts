// `npx tsx scripts/emitter-coverage.ts`: prints the emitter catalogue's coverage as the
// Markdown table of the README's "Emitter catalogue" section; `--misses` lists the misses too.
import { createEngine } from "../src/engine/index.js";
import { checkAll, coverage, coverageMarkdown, describeMiss, loadCatalogue } from "../test/helpers/emitters.js";

const checks = checkAll(createEngine(), loadCatalogue());
process.stdout.write(`${coverageMarkdown(coverage(checks))}\n`);
if (process.argv.includes("--misses")) {
  for (const c of checks.filter((x) => !x.pass)) process.stdout.write(`- ${describeMiss(c)}\n`);
}
