// POST /ci/alert: a CI job sends its failed build log, signed with CI_WEBHOOK_SECRET
// (X-Buildx-Fix-Signature: sha256=<HMAC-SHA256 of the raw bytes sent>, over
// "<timestamp>.<body>" with X-Buildx-Fix-Timestamp). 202 with the diagnosis as soon as it is
// known; the chat post happens afterwards. 401 unsigned, badly signed or stale, 400 malformed,
// no log or a logUrl host not allowed, 413 over MAX_LOG_BYTES, 503 when too many webhook bodies
// are in flight; nothing is posted for those.
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from "express";
import type { Logger } from "pino";
import { InputError } from "../engine/normalize.js";
import { LogTooLargeError, formatBytes } from "../input/decode-log.js";
import { type AlertService, UnroutableError } from "./alert-service.js";
import { LogFetchError, fetchLog } from "./fetch-log.js";
import { alertRequestSchema } from "./schema.js";
import { SIGNATURE_HEADER, checkCiSignature } from "./signature.js";
import type { LogHostPolicy } from "./log-hosts.js";
import { type InFlightGate, signedBody } from "./webhook-body.js";

export const CI_ALERT_PATH = "/ci/alert";

/**
 * A raw body up to `limit` bytes for endpoints without a signature (the web console): a bigger
 * one answers 413 and a broken stream 400, in JSON. A Content-Encoding is refused (415) before
 * anything is read: an unauthenticated compressed body is never inflated.
 */
export function rawBody(limit: number) {
  const parse = express.raw({ type: () => true, limit, inflate: false });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
    if (err.type === "entity.too.large") return void res.status(413).json({ error: `request body over the ${formatBytes(limit)} limit (MAX_LOG_BYTES)` });
    if (err.type === "encoding.unsupported") return void res.status(415).json({ error: "compressed request bodies are not accepted here: send the log as it is (a .gz file is fine)" });
    if (err.status && err.status < 500) return void res.status(400).json({ error: "could not read the request body" });
    next(err);
  };
  return [parse, onError] as const;
}

export interface CiAlertRouteOptions {
  secret: string;
  /** Refuse signatures without X-Buildx-Fix-Timestamp (CI_WEBHOOK_REQUIRE_TIMESTAMP). */
  requireTimestamp: boolean;
  maxBytes: number;
  alerts: AlertService;
  gate: InFlightGate;
  logHosts: LogHostPolicy;
  log: Logger;
}

export function mountCiAlert(app: Express, o: CiAlertRouteOptions): void {
  const body = signedBody({
    maxBytes: o.maxBytes,
    gate: o.gate,
    header: SIGNATURE_HEADER,
    encodings: true,
    verify: (raw, req) => checkCiSignature({ secret: o.secret, requireTimestamp: o.requireTimestamp }, raw, req.headers),
  });
  app.post(CI_ALERT_PATH, ...body, async (req: Request, res: Response) => {
    const raw = req.body as Buffer;
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      return void res.status(400).json({ error: "malformed JSON body" });
    }
    const parsed = alertRequestSchema.safeParse(json);
    if (!parsed.success) {
      return void res.status(400).json({ error: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ") });
    }
    const { log: inline, logUrl, target, ...meta } = parsed.data;
    try {
      const targets = o.alerts.targets(meta.repo, target);
      const text = inline?.trim() ? inline : await fetchLog(logUrl!, o.maxBytes, o.logHosts);
      if (Buffer.byteLength(text) > o.maxBytes) throw new LogTooLargeError(Buffer.byteLength(text), o.maxBytes);
      const accepted = await o.alerts.accept(text, meta, targets);
      o.log.info({ alert: accepted.id, repo: meta.repo, rule: accepted.ruleId }, "CI alert accepted");
      res.status(202).json(accepted);
    } catch (err) {
      if (err instanceof LogTooLargeError) return void res.status(413).json({ error: err.message });
      if (err instanceof UnroutableError) return void res.status(400).json({ error: err.message });
      if (err instanceof InputError) return void res.status(400).json({ error: `not a build log: ${err.message}` });
      if (err instanceof LogFetchError) return void res.status(err.refused ? 400 : 502).json({ error: err.message });
      o.log.error({ err: (err as Error).message }, "CI alert failed");
      res.status(500).json({ error: "internal error" });
    }
  });
}
