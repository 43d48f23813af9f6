// Reads an HTTP response body (an upload, an attachment, a log URL) with a size cap: refused
// up front when Content-Length says it is too big, cut off while streaming otherwise, so a
// huge or lying download never fills memory.
import { LogTooLargeError } from "./decode-log.js";

export async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new LogTooLargeError(declared, maxBytes);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
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
