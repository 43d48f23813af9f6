// Downloads a log over HTTP with a size cap: refused up front when Content-Length says it is too
// big, cut off while streaming otherwise. Gzip is unpacked and the cap applies to the text.
import { decodeLog } from "../input/decode-log.js";
import { readCapped } from "../input/read-capped.js";

export class LogFetchError extends Error {
  override readonly name = "LogFetchError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
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
