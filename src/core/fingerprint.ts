// A fingerprint of a failure: the causes and the decisive lines, with what changes from run
// to run (timestamps, durations, digests, step numbers, temp names) taken out, so the same
// failure pasted or alerted twice is recognised as the same.
import { createHash } from "node:crypto";
import type { DiagnoseResult } from "../engine/types.js";

export function normalizeForFingerprint(line: string): string {
  return line
    .toLowerCase()
    .replace(/\b[0-9a-f]{12,}\b/g, "#") // digests, container ids
    .replace(/\d+(?:\.\d+)?\s*(?:ms|s|m|kb|mb|gb|b)\b/g, "#") // durations and sizes
    .replace(/\d+/g, "#")
    .replace(/\s+/g, " ")
    .trim();
}

/** Same causes and same decisive lines -> same fingerprint. For an unknown failure, the tail. */
export function fingerprintResult(result: DiagnoseResult, text: string): string {
  const h = createHash("sha256");
  if (result.diagnoses.length) {
    for (const d of result.diagnoses) {
      h.update(`${d.ruleId}\n`);
      for (const e of d.evidence) h.update(`${normalizeForFingerprint(e.text)}\n`);
    }
  } else {
    const tail = text.slice(-4000).split("\n").slice(-30);
    for (const line of tail) h.update(`${normalizeForFingerprint(line)}\n`);
  }
  return h.digest("hex").slice(0, 24);
}
