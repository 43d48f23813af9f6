// The compiled rule pack (dist/rules-pack.json + .bin, written by `npm run build`) must be
// current: the same rules the YAML + zod loader gives, the same automata, and refused when
// its hash no longer matches rules/*.yaml.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRules } from "../src/rules/load.js";
import { buildRulePack, packTables } from "../src/rules/build-pack.js";
import { PACK_FILE, PACK_TABLES_FILE, type RulePack, loadRulePack, packSourceHash, withoutExamples } from "../src/rules/pack.js";

describe("compiled rule pack", () => {
  // Built before anything preloads the pack's tables, so these automata are built afresh.
  const fresh = buildRulePack();
  const freshTables = packTables(fresh);

  it("is current: same hash, rules and verdicts as rules/*.yaml through the YAML loader", () => {
    const pack = JSON.parse(readFileSync(PACK_FILE, "utf8")) as RulePack;
    expect(pack.hash, "dist/rules-pack.json is stale: run `npm run build`").toBe(packSourceHash());
    expect(pack.rules).toEqual(fresh.rules);
    expect(pack.verdicts).toEqual(fresh.verdicts);
    const viaYaml = loadRules().map(({ rule, file }) => ({ rule: withoutExamples(rule), file }));
    expect(loadRulePack()?.map(({ rule, file }) => ({ rule, file }))).toEqual(viaYaml);
  });

  it("holds the automata the engine would build", () => {
    const pack = JSON.parse(readFileSync(PACK_FILE, "utf8")) as RulePack;
    expect(freshTables).toBeDefined();
    expect(pack.tables).toEqual(freshTables!.tables);
    expect(readFileSync(PACK_TABLES_FILE).equals(freshTables!.bin)).toBe(true);
  });

  it("is refused, with a warning, when the rules changed since it was built", () => {
    const dir = mkdtempSync(join(tmpdir(), "bxf-pack-"));
    const stale = JSON.parse(readFileSync(PACK_FILE, "utf8")) as RulePack;
    stale.hash = "0".repeat(64);
    writeFileSync(join(dir, "rules-pack.json"), JSON.stringify(stale));
    copyFileSync(PACK_TABLES_FILE, join(dir, "rules-pack.bin"));
    const warnings: string[] = [];
    expect(loadRulePack(join(dir, "rules-pack.json"), join(dir, "rules-pack.bin"), (m) => warnings.push(m))).toBeUndefined();
    expect(warnings.join("")).toMatch(/older than rules\/\*\.yaml/);
  });
});
