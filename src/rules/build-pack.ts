// `npm run build` step: validates rules/*.yaml once (YAML + zod + ReDoS verdicts, the same
// loader team rules use) and writes the snapshot that start-up reads (see pack.ts).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { BUILTIN_RULES_DIR, SHIPPED_VERDICTS, loadRuleDir, rulePatterns } from "./load.js";
import { PACK_FILE, PACK_FORMAT, PACK_TABLES_FILE, type RulePack, packSourceHash, withoutExamples } from "./pack.js";
import { byteAutomatonFor } from "../engine/byte-path.js";
import { RuleEngine } from "../engine/engine.js";
import { KeywordScanner } from "../engine/scan.js";
import { RedosChecker, verdictKey } from "./redos.js";

export function buildRulePack(): RulePack {
  const hash = packSourceHash();
  const redos = new RedosChecker(SHIPPED_VERDICTS);
  const loaded = loadRuleDir(BUILTIN_RULES_DIR, true, redos);
  const verdicts: RulePack["verdicts"] = {};
  for (const { rule } of loaded) for (const p of rulePatterns(rule)) verdicts[verdictKey(p.source, p.flags)] = redos.check(p.source, p.flags);
  // Paths are kept relative to the package, as `rules list` shows them.
  return { format: PACK_FORMAT, hash, rules: loaded.map(({ rule, file }) => ({ rule: withoutExamples(rule), file })), verdicts };
}

/** The engine's keyword automata for the pack, and their transition tables as one binary. */
export function packTables(pack: RulePack): { tables: NonNullable<RulePack["tables"]>; bin: Buffer } | undefined {
  const engine = new RuleEngine(pack.rules.map(({ rule, file }) => ({ rule, file, builtin: true })));
  const scanner = (engine as unknown as { scanner?: unknown }).scanner;
  if (!(scanner instanceof KeywordScanner)) return undefined;
  const s = scanner.tables();
  const b = byteAutomatonFor(engine).tables();
  const bin = Buffer.concat([Buffer.from(s.delta.buffer, s.delta.byteOffset, s.delta.byteLength), Buffer.from(b.delta.buffer, b.delta.byteOffset, b.delta.byteLength)]);
  return {
    tables: { scanner: { ...s, delta: [0, s.delta.length] }, bytes: { ...b, delta: [s.delta.length, b.delta.length] } },
    bin,
  };
}

export function writeRulePack(file = PACK_FILE, tablesFile = PACK_TABLES_FILE): RulePack {
  const pack = buildRulePack();
  const built = packTables(pack);
  if (built) pack.tables = built.tables;
  mkdirSync(dirname(file), { recursive: true });
  // The tables first: a pack never points at tables of another build.
  if (built) atomicWrite(tablesFile, built.bin);
  atomicWrite(file, JSON.stringify(pack));
  return pack;
}

function atomicWrite(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
