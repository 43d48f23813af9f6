// GitHub Actions' "Download log archive" (.zip) read as one log. The archive holds each job's
// whole log as `<n>_<job>.txt` and each step's as `<job>/<n>_<step>.txt`; GitHub marks a failed
// step with `##[error]`, so the jobs with such a line are kept (all jobs when none has one), in
// the archive's order. The size cap applies to the unpacked text, checked before inflating.
import { unzipSync } from "fflate";
import { InputError } from "../engine/normalize.js";
import { LogTooLargeError } from "./decode-log.js";

/** `PK\x03\x04`: a zip file's first bytes. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

const order = (name: string) => Number(/(?:^|\/)(\d+)_/.exec(name)?.[1]) || 0;

export function logFromZip(bytes: Uint8Array, maxBytes: number): string {
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.endsWith(".txt")) return false;
        declared += f.originalSize;
        if (declared > maxBytes) throw new LogTooLargeError(declared, maxBytes);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof LogTooLargeError) throw err;
    throw new InputError("BINARY_INPUT", `this looks like a zip archive but cannot be read (${(err as Error).message}), and binary data is not a build log: send the log as text, or GitHub Actions' log archive as downloaded`);
  }
  const names = Object.keys(files);
  // Whole job logs when the archive has them, else the step logs.
  const jobs = names.filter((n) => !n.includes("/"));
  const chosen = (jobs.length ? jobs : names).sort((a, b) => (a.includes("/") || b.includes("/") ? a.localeCompare(b, "en", { numeric: true }) : order(a) - order(b)));
  if (!chosen.length) throw new InputError("BINARY_INPUT", "this zip archive holds no .txt log, and binary data is not a build log: send the log as text, or GitHub Actions' log archive as downloaded");
  const texts = chosen.map((n) => Buffer.from(files[n]!).toString("utf8"));
  const failed = texts.filter((t) => t.includes("##[error]"));
  const text = (failed.length ? failed : texts).join("\n");
  if (Buffer.byteLength(text) > maxBytes) throw new LogTooLargeError(Buffer.byteLength(text), maxBytes);
  return text;
}
