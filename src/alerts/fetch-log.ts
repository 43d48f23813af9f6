// Downloads a CI alert's `logUrl` with a size cap: refused up front when Content-Length says it
// is too big, cut off while streaming otherwise. Gzip is unpacked and the cap applies to the
// text. Only listed hosts are fetched; redirects are followed by hand (a few hops), each one
// elsewhere only to public addresses (see log-hosts.ts).
import { fetch } from "undici";
import { decodeLog } from "../input/decode-log.js";
import { readCapped } from "../input/read-capped.js";
import { type LogHostPolicy, PrivateAddressError, isPublicAddress, listedHost, publicOnlyAgent } from "./log-hosts.js";

export class LogFetchError extends Error {
  override readonly name = "LogFetchError";
  constructor(
    message: string,
    readonly status?: number,
    /** The URL was refused by policy (the sender's mistake: 400), not a failed download (502). */
    readonly refused = false,
  ) {
    super(message);
  }
}

const MAX_REDIRECTS = 5;

function refuse(message: string): LogFetchError {
  return new LogFetchError(message, undefined, true);
}

/** An IP literal that is not public (no DNS lookup happens for those, so check it here). */
function privateLiteral(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return /^[\d.]+$|:/.test(host) && !isPublicAddress(host);
}

export async function fetchLog(url: string, maxBytes: number, policy: LogHostPolicy, timeoutMs = 30_000): Promise<string> {
  let target = new URL(url);
  if (!listedHost(policy, target)) throw refuse(`logUrl host ${target.host} is not allowed: the bot's operator can add it to CI_LOG_HOSTS`);
  const signal = AbortSignal.timeout(timeoutMs);
  for (let hop = 0; ; hop++) {
    const listed = listedHost(policy, target);
    const guard = !listed && !policy.allowPrivate;
    if (guard && privateLiteral(target)) throw refuse(`logUrl redirected to ${target.host}, a private or reserved address`);
    let res;
    try {
      res = await fetch(target, { redirect: "manual", signal, headers: { accept: "text/plain, application/gzip, */*" }, ...(guard ? { dispatcher: publicOnlyAgent } : {}) });
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof PrivateAddressError) throw refuse(`logUrl redirected to ${target.host}, which ${cause.message.replace(/^\S+ /, "")}`);
      throw new LogFetchError(`could not fetch logUrl: ${(err as Error).message}`);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new LogFetchError("could not fetch logUrl: too many redirects");
      target = new URL(res.headers.get("location")!, target);
      if (!/^https?:$/.test(target.protocol)) throw refuse(`logUrl redirected to a ${target.protocol} URL`);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new LogFetchError(`could not fetch logUrl: HTTP ${res.status}`, res.status);
    }
    return decodeLog(await readCapped(res as unknown as Response, maxBytes), maxBytes);
  }
}
