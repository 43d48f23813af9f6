// The body of an unauthenticated webhook request, checked before it costs anything: a cap on
// bodies in flight (503 + Retry-After beyond it), the signature header present (401), the
// declared Content-Length against the cap (413 before reading), the raw bytes read with the
// cap enforced while streaming (chunked bodies too), the signature verified over exactly those
// bytes (401), and only then a Content-Encoding (gzip, deflate, br) undone, with the inflated
// size capped as well. An unsigned brotli bomb is therefore never inflated.
import { promisify } from "node:util";
import { onceResponseDone } from "../server/response-done.js";
import { brotliDecompress, gunzip, inflate } from "node:zlib";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import getRawBody from "raw-body";
import { formatBytes } from "../input/decode-log.js";

/** Counts webhook bodies being read and checked; shared by every webhook route of one server. */
export class InFlightGate {
  private busy = 0;
  constructor(readonly max: number) {}

  get inFlight(): number {
    return this.busy;
  }

  /** Takes a slot for this request (freed when its response is done), or answers 503. */
  middleware(): RequestHandler {
    return (_req, res, next) => {
      if (this.busy >= this.max) {
        // The body is never read: close the connection rather than drain it.
        res.set({ "retry-after": "5", connection: "close" });
        return void res.status(503).json({ error: "too many webhook requests in flight: retry later" });
      }
      this.busy++;
      onceResponseDone(res, () => this.busy--);
      next();
    };
  }
}

/** Checks the raw bytes; a string is the reason for the 401. */
export type BodyVerifier = (raw: Buffer, req: Request) => Promise<true | string> | true | string;

export interface SignedBodyOptions {
  /** Largest body accepted, as sent and once inflated (MAX_LOG_BYTES). */
  maxBytes: number;
  gate: InFlightGate;
  /** The signature header that must be present before anything is read. */
  header: string;
  verify: BodyVerifier;
  /** Whether a signed body may come with a Content-Encoding at all (GitHub never sends one). */
  encodings: boolean;
}

const inflaters: Record<string, (buf: Buffer, o: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  "x-gzip": promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

function encodingOf(req: Request): string {
  return (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
}

/**
 * 413. Before any of the body was read, the connection is closed; once part of it was read,
 * the rest is discarded as it arrives instead (closing a socket with unread data resets it,
 * and the sender would never see the answer). HTTP_REQUEST_TIMEOUT_MS bounds that.
 */
function tooLarge(req: Request, res: Response, limit: number, started: boolean): void {
  if (started) req.resume();
  else res.set("connection", "close");
  res.status(413).json({ error: `request body over the ${formatBytes(limit)} limit (MAX_LOG_BYTES)` });
}

/**
 * Middleware that leaves the verified, decoded body in `req.body` (a Buffer), or answers
 * 503 / 401 / 415 / 413 / 400 without decoding anything it did not verify.
 */
export function signedBody(o: SignedBodyOptions): RequestHandler[] {
  const check = async (req: Request, res: Response, next: NextFunction) => {
    if (!req.headers[o.header]) return void res.status(401).json({ error: `missing ${o.header} signature` });
    const encoding = encodingOf(req);
    if (encoding !== "identity" && (!o.encodings || !inflaters[encoding])) {
      res.set("connection", "close");
      return void res.status(415).json({ error: o.encodings ? `unsupported Content-Encoding ${encoding}: send gzip, deflate, br or none` : "Content-Encoding is not accepted on this endpoint" });
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > o.maxBytes) return tooLarge(req, res, o.maxBytes, false);
    let raw: Buffer;
    try {
      raw = await getRawBody(req, { limit: o.maxBytes, ...(Number.isFinite(declared) ? { length: declared } : {}) });
    } catch (err) {
      if ((err as { type?: string }).type === "entity.too.large") return tooLarge(req, res, o.maxBytes, true);
      return void res.status(400).json({ error: "could not read the request body" });
    }
    const verdict = await o.verify(raw, req);
    if (verdict !== true) return void res.status(401).json({ error: verdict });
    if (encoding === "identity") {
      req.body = raw;
      return next();
    }
    try {
      // Verified: inflate (off the event loop, in zlib's thread pool) up to the cap.
      req.body = await inflaters[encoding]!(raw, { maxOutputLength: o.maxBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return tooLarge(req, res, o.maxBytes, false);
      return void res.status(400).json({ error: `the ${encoding} body could not be decoded` });
    }
    next();
  };
  return [o.gate.middleware(), (req, res, next) => void check(req, res, next).catch(next)];
}
