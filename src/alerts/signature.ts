// HMAC-SHA256 signatures of raw request bodies: `sha256=<hex>`, as GitHub sends in
// X-Hub-Signature-256 and buildx-fix's own CI webhook in X-Buildx-Fix-Signature. Compared in
// constant time over the exact bytes received (never a re-serialised body).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-buildx-fix-signature";

export function sign(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function verifySignature(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  const given = Array.isArray(header) ? header[0] : header;
  if (!given) return false;
  const expected = Buffer.from(sign(secret, body));
  const got = Buffer.from(given.trim().toLowerCase());
  return got.length === expected.length && timingSafeEqual(got, expected);
}
