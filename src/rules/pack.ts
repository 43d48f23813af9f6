// The built-in rule pack as one JSON snapshot, made at build time (`npm run build`): the rules
// already validated by the YAML + zod path, without their examples, with the ReDoS verdicts of
// their patterns and a hash of the sources. Start-up then costs one JSON.parse instead of
// parsing 40 YAML files and importing yaml and zod. A snapshot whose hash no longer matches
// rules/*.yaml is refused (the caller falls back to the YAML path), so an edited rule is never
// silently ignored. This module must not import yaml, zod or load.ts: that is the point.
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../package-info.js";
import { type ScannerTables, preloadScannerTables } from "../engine/scan.js";
import { type ByteTables, preloadByteTables } from "../engine/scan-bytes.js";
import type { LoadedRule } from "./load.js";
import type { RedosVerdict } from "./redos.js";
import type { RuleFile } from "./schema.js";

/** Bump when the snapshot's shape changes. */
export const PACK_FORMAT = 2;
export const PACK_FILE = join(PACKAGE_ROOT, "dist", "rules-pack.json");
/** The automata's transition tables, raw Int32 (little-endian), beside the JSON. */
export const PACK_TABLES_FILE = join(PACKAGE_ROOT, "dist", "rules-pack.bin");
const SOURCES_DIR = join(PACKAGE_ROOT, "rules");

export interface RulePack {
  format: number;
  /** sha256 of the format, every rules/*.yaml (name and bytes) and the shipped verdicts. */
  hash: string;
  rules: Array<{ rule: RuleFile; file: string }>;
  /** verdictKey(pattern, flags) -> verdict, for every pattern of the pack. */
  verdicts: Record<string, RedosVerdict>;
  /** The string and byte keyword automata; `delta` is [offset, length] in Int32s of the .bin file. */
  tables?: {
    scanner: Omit<ScannerTables, "delta"> & { delta: [number, number] };
    bytes: Omit<ByteTables, "delta"> & { delta: [number, number] };
  };
}

export function packSourceHash(dir = SOURCES_DIR): string {
  const h = createHash("sha256").update(`format ${PACK_FORMAT}\n`);
  const names = readdirSync(dir)
    .filter((f) => /\.ya?ml$|^redos-verdicts\.json$/.test(f))
    .sort();
  for (const name of names) h.update(`${name}\n`).update(readFileSync(join(dir, name))).update("\n");
  return h.digest("hex");
}

/** The rule as the engine needs it: examples are for `rules test` and the test suite only. */
export function withoutExamples(rule: RuleFile): RuleFile {
  return { ...rule, examples: { match: [], nearMiss: [] } };
}

let warned = false;

/**
 * The built-in rules from the snapshot, or undefined (with one warning on stderr when it
 * exists but is stale) so that the caller loads rules/*.yaml instead.
 */
export function loadRulePack(file = PACK_FILE, tablesFile = PACK_TABLES_FILE, warn: (message: string) => void = (m) => process.stderr.write(m)): LoadedRule[] | undefined {
  let pack: RulePack;
  try {
    pack = JSON.parse(readFileSync(file, "utf8")) as RulePack;
  } catch {
    return undefined; // not built (running from src/ with tsx): the YAML path is the only one
  }
  if (pack.format !== PACK_FORMAT || pack.hash !== packSourceHash()) {
    if (!warned) warn("buildx-fix: the compiled rule pack is older than rules/*.yaml; loading the YAML files (run `npm run build` to refresh it)\n");
    warned = true;
    return undefined;
  }
  if (pack.tables) preloadTables(pack.tables, tablesFile);
  return pack.rules.map(({ rule, file }) => ({ rule, file, builtin: true }));
}

/** Hands the prebuilt automata to the scanners, so that building them costs nothing at start-up. */
function preloadTables(tables: NonNullable<RulePack["tables"]>, file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // the scanners build their own
  }
  if ((tables.scanner.delta[0] + tables.scanner.delta[1]) * 4 > size || (tables.bytes.delta[0] + tables.bytes.delta[1]) * 4 > size) return;
  const scanner = readInts(file, tables.scanner.delta);
  if (!scanner) return;
  preloadScannerTables({ ...tables.scanner, delta: scanner });
  // (the byte path's table, as large, is read only when a log big enough for that path comes: a chat-sized
  // log's start-up does not pay for it)
  preloadByteTables({ ...tables.bytes, delta: () => readInts(file, tables.bytes.delta) });
}

/** [offset, length] in Int32s of the .bin file, in a buffer of its own (so aligned), or undefined. */
function readInts(file: string, at: [number, number]): Int32Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const buf = Buffer.allocUnsafeSlow(at[1] * 4);
    if (readSync(fd, buf, 0, buf.length, at[0] * 4) !== buf.length) return undefined;
    return new Int32Array(buf.buffer, buf.byteOffset, at[1]);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
