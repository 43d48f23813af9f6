// Downloads a log over HTTP with a size cap: refused up front when Content-Length says it is too
// big, cut off while streaming otherwise. Gzip is unpacked and the cap applies to the text.
import { LogTooLargeError, decodeLog } from "../input/decode-log.js";

export class LogFetchError extends Error {
  override readonly name = "LogFetchError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The body of `res`, refusing more than `maxBytes`. */
export async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new LogTooLargeError(declared, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new LogTooLargeError(size, maxBytes);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

export async function fetchLog(url: string, maxBytes: number, timeoutMs = 30_000): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(timeoutMs), headers: { accept: "text/plain, application/gzip, */*" } });
  } catch (err) {
    throw new LogFetchError(`could not fetch logUrl: ${(err as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new LogFetchError(`could not fetch logUrl: HTTP ${res.status}`, res.status);
  }
  return decodeLog(await readCapped(res, maxBytes), maxBytes);
}
