// Bytes from a file, an upload or stdin -> log text. A GitHub Actions log archive (.zip) is read
// as its failed jobs' logs (zip-log.ts). Gzip is unpacked (CI systems and chat
// users send .log.gz), UTF-16 from Windows PowerShell redirection is decoded, and the size
// cap applies to the unpacked text so a small gzip cannot balloon in memory.
import { gunzipSync } from "node:zlib";
import { isZip, logFromZip } from "./zip-log.js";
import { InputError } from "../engine/normalize.js";

export class LogTooLargeError extends Error {
  override readonly name = "LogTooLargeError";
  readonly code = "LOG_TOO_LARGE";
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`the log is ${formatBytes(size)}, over the ${formatBytes(limit)} limit: send the last part of it (the failing step and the ERROR lines)`);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} bytes`;
}

export const DEFAULT_MAX_LOG_BYTES = 50 * 1024 * 1024;

/** A cut-off download or a damaged file: unreadable input, said in one line everywhere. */
export function gzipInputError(err: unknown): InputError {
  return new InputError("BINARY_INPUT", `the gzip data is truncated or corrupt (${(err as Error).message})`);
}

export function decodeLog(bytes: Buffer, maxBytes = DEFAULT_MAX_LOG_BYTES): string {
  // GitHub Actions' "Download log archive".
  if (isZip(bytes)) return logFromZip(bytes, maxBytes);
  let data = bytes;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data, { maxOutputLength: maxBytes + 1 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new LogTooLargeError(maxBytes + 1, maxBytes);
      throw gzipInputError(err);
    }
  }
  if (data.length > maxBytes) throw new LogTooLargeError(data.length, maxBytes);
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString("utf16le");
  return data.toString("utf8");
}
