// HMAC-SHA256 signatures of raw request bodies: `sha256=<hex>`, as buildx-fix's own CI webhook
// sends in X-Buildx-Fix-Signature. Compared in constant time over the exact bytes received
// (never a re-serialised or decompressed body).
//
// Replay window: with X-Buildx-Fix-Timestamp (Unix seconds) the signature covers
// `<timestamp>.<body>` and is refused more than five minutes away from the bot's clock. A
// signature of the body alone is still accepted (older `notify` versions and hand-written
// scripts) unless CI_WEBHOOK_REQUIRE_TIMESTAMP is set: such a request can be replayed.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-buildx-fix-signature";
export const TIMESTAMP_HEADER = "x-buildx-fix-timestamp";
/** How far a signed timestamp may be from the bot's clock, either way. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

export function sign(secret: string, body: Buffer | string, timestamp?: number): string {
  const h = createHmac("sha256", secret);
  if (timestamp !== undefined) h.update(`${timestamp}.`);
  return `sha256=${h.update(body).digest("hex")}`;
}

const first = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

export function verifySignature(secret: string, body: Buffer, header: string | string[] | undefined, timestamp?: number): boolean {
  const given = first(header);
  if (!given) return false;
  const expected = Buffer.from(sign(secret, body, timestamp));
  const got = Buffer.from(given.trim().toLowerCase());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export interface CiSignatureCheck {
  secret: string;
  requireTimestamp: boolean;
  nowMs?: () => number;
}

/** true, or why the request is refused (401). */
export function checkCiSignature(o: CiSignatureCheck, body: Buffer, headers: Record<string, string | string[] | undefined>): true | string {
  const stamp = first(headers[TIMESTAMP_HEADER]);
  if (stamp === undefined) {
    if (o.requireTimestamp) return `missing ${TIMESTAMP_HEADER}: sign "<timestamp>.<body>" (CI_WEBHOOK_REQUIRE_TIMESTAMP is on)`;
    return verifySignature(o.secret, body, headers[SIGNATURE_HEADER]) || "bad signature";
  }
  const ts = /^\d{1,12}$/.test(stamp.trim()) ? Number(stamp) : NaN;
  if (!Number.isFinite(ts)) return `${TIMESTAMP_HEADER} must be Unix seconds`;
  if (Math.abs((o.nowMs ?? Date.now)() / 1000 - ts) > REPLAY_WINDOW_SECONDS) return `stale ${TIMESTAMP_HEADER}: more than 5 minutes from the bot's clock`;
  return verifySignature(o.secret, body, headers[SIGNATURE_HEADER], ts) || "bad signature";
}
