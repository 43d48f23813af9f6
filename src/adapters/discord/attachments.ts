// Log files attached to a message, a command option or a modal: downloaded at once (Discord's
// CDN links expire after about a day), size-capped before and during the download, and
// decoded like any other upload (gzip, UTF-16). No token is ever sent: attachment URLs are
// signed. They are only fetched from Discord's CDN hosts or the configured API's origin.
import { LogTooLargeError, decodeLog } from "../../input/decode-log.js";
import { readCapped } from "../../input/read-capped.js";

/** The fields of a discord.js Attachment (or a raw API attachment) read here. */
export interface AttachmentLike {
  name: string;
  size: number;
  url: string;
  contentType?: string | null;
}

export class AttachmentError extends Error {
  override readonly name = "AttachmentError";
}

const LOG_NAME = /\.(?:log|txt|out|text)(?:\.gz)?$|\.gz$/i;

export const CDN_ORIGINS = ["https://cdn.discordapp.com", "https://media.discordapp.net"] as const;

/** Whether an attachment can hold a build log worth downloading. */
export function isLogAttachment(a: AttachmentLike): boolean {
  if (LOG_NAME.test(a.name)) return true;
  const type = a.contentType ?? "";
  return /^text\/(?:plain|x-log|x-shellscript)\b/i.test(type) || /gzip/i.test(type);
}

export interface DownloadOptions {
  maxBytes: number;
  /** Origins attachments may be fetched from (Discord's CDN, plus the API's for proxies and tests). */
  origins: readonly string[];
  timeoutMs?: number;
}

export function allowedOrigins(apiUrl: string): string[] {
  return [...new Set([...CDN_ORIGINS, new URL(apiUrl).origin])];
}

/**
 * Downloads an attachment and returns its text. Throws LogTooLargeError over the cap (by the
 * declared size, the Content-Length, the bytes received or the unpacked size) and
 * AttachmentError when the file cannot be fetched.
 */
export async function downloadAttachment(a: AttachmentLike, opts: DownloadOptions): Promise<string> {
  if (a.size > opts.maxBytes) throw new LogTooLargeError(a.size, opts.maxBytes);
  let origin: string;
  try {
    origin = new URL(a.url).origin;
  } catch {
    throw new AttachmentError("its address is not a URL");
  }
  if (!opts.origins.includes(origin)) throw new AttachmentError(`its address is not on Discord's CDN (${origin})`);

  let res: Response;
  try {
    res = await fetch(a.url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000), redirect: "error" });
  } catch (err) {
    throw new AttachmentError(`the download failed (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new AttachmentError(res.status === 404 ? "the file is no longer available (Discord's links expire)" : `Discord answered ${res.status} ${res.statusText}`.trim());
  }
  return decodeLog(await readCapped(res, opts.maxBytes), opts.maxBytes);
}
