// Downloading log files people upload to Slack (`.log`, `.txt`, snippets, gzip of one):
// fetched from `url_private` with the bot token, size-capped before and during the download,
// and decoded like any other upload. The token is only sent to SLACK_FILES_URL.
import { LogTooLargeError, decodeLog } from "../../input/decode-log.js";
import { readCapped } from "../../input/read-capped.js";
import type { SlackFile } from "./message-text.js";

export class FileDownloadError extends Error {
  override readonly name = "FileDownloadError";
}

const TEXT_EXTENSIONS = /\.(?:log|txt|out|text)(?:\.gz)?$|\.gz$/i;
const TEXT_FILETYPES = new Set(["text", "log", "shell", "sh", "bash", "dockerfile", "yaml", "yml", "json", "markdown", "plain", "gzip"]);

/** Whether a shared file can hold a build log worth downloading. */
export function isLogFile(f: SlackFile): boolean {
  if (!f.url_private && !f.url_private_download) return false;
  if (f.mode === "snippet") return true;
  if (f.name && TEXT_EXTENSIONS.test(f.name)) return true;
  if (f.mimetype && (/^text\//.test(f.mimetype) || /gzip/.test(f.mimetype))) return true;
  return Boolean(f.filetype && TEXT_FILETYPES.has(f.filetype));
}

export function fileLabel(f: SlackFile): string {
  return f.name ?? f.title ?? f.id ?? "file";
}

export interface DownloadOptions {
  token: string;
  /** URLs outside this base never get the token. */
  filesBaseUrl: string;
  maxBytes: number;
  timeoutMs?: number;
}

/** Whether `url` is under `base` (same origin, path below base's path). */
export function isUnder(url: string, base: string): boolean {
  let u: URL;
  let b: URL;
  try {
    u = new URL(url);
    b = new URL(base);
  } catch {
    return false;
  }
  const basePath = b.pathname.endsWith("/") ? b.pathname : `${b.pathname}/`;
  return u.origin === b.origin && (u.pathname + "/").startsWith(basePath);
}

/**
 * Downloads a shared file and returns its text. Throws LogTooLargeError over the cap (from the
 * file's declared size, the Content-Length, the bytes received, or the unpacked size) and
 * FileDownloadError when Slack does not hand over the file.
 */
export async function downloadLogFile(file: SlackFile, opts: DownloadOptions): Promise<string> {
  if (file.size !== undefined && file.size > opts.maxBytes) throw new LogTooLargeError(file.size, opts.maxBytes);
  const url = file.url_private ?? file.url_private_download;
  if (!url) throw new FileDownloadError("Slack gave no download address for it");
  if (!isUnder(url, opts.filesBaseUrl)) throw new FileDownloadError(`its address is not on ${new URL(opts.filesBaseUrl).host}, so the bot token is not sent there`);

  let res: Response;
  try {
    res = await fetch(url, {
      headers: { Authorization: `Bearer ${opts.token}` },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
  } catch (err) {
    throw new FileDownloadError(`the download failed (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new FileDownloadError(`Slack answered ${res.status} ${res.statusText}`.trim());
  }
  // Without a valid token (or without files:read) Slack answers 200 with its sign-in page.
  const type = res.headers.get("content-type") ?? "";
  if (/text\/html/i.test(type) && !/\.html?$/i.test(file.name ?? "")) {
    await res.body?.cancel();
    throw new FileDownloadError("Slack returned a sign-in page instead of the file: the app needs the files:read scope (reinstall it after adding the scope)");
  }

  return decodeLog(await readCapped(res, opts.maxBytes), opts.maxBytes);
}
