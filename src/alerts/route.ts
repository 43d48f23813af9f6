// POST /ci/alert: a CI job sends its failed build log, signed with CI_WEBHOOK_SECRET
// (X-Buildx-Fix-Signature: sha256=<HMAC-SHA256 of the raw body>). 202 with the diagnosis as soon
// as it is known; the chat post happens afterwards. 401 unsigned or badly signed, 400 malformed
// or no log, 413 over MAX_LOG_BYTES; nothing is posted for those.
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from "express";
import type { Logger } from "pino";
import { InputError } from "../engine/normalize.js";
import { LogTooLargeError, formatBytes } from "../input/decode-log.js";
import { type AlertService, UnroutableError } from "./alert-service.js";
import { LogFetchError, fetchLog } from "./fetch-log.js";
import { alertRequestSchema } from "./schema.js";
import { SIGNATURE_HEADER, verifySignature } from "./signature.js";

export const CI_ALERT_PATH = "/ci/alert";

/** Raw body up to `limit` bytes; a bigger one answers 413 and a broken stream 400, in JSON. */
export function rawBody(limit: number) {
  const parse = express.raw({ type: () => true, limit });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
    if (err.type === "entity.too.large") return void res.status(413).json({ error: `request body over the ${formatBytes(limit)} limit (MAX_LOG_BYTES)` });
    if (err.status && err.status < 500) return void res.status(400).json({ error: "could not read the request body" });
    next(err);
  };
  return [parse, onError] as const;
}

/** 401 at once when the signature header is missing (the body is not even read). */
export function requireHeader(header: string) {
  return (req: Request, res: Response, next: () => void) => {
    if (!req.headers[header]) return void res.status(401).json({ error: `missing ${header} signature` });
    next();
  };
}

export function mountCiAlert(app: Express, o: { secret: string; maxBytes: number; alerts: AlertService; log: Logger }): void {
  const [parse, onParseError] = rawBody(o.maxBytes);
  app.post(CI_ALERT_PATH, requireHeader(SIGNATURE_HEADER), parse, onParseError, async (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifySignature(o.secret, raw, req.headers[SIGNATURE_HEADER])) return void res.status(401).json({ error: "bad signature" });
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
      const text = inline?.trim() ? inline : await fetchLog(logUrl!, o.maxBytes);
      if (Buffer.byteLength(text) > o.maxBytes) throw new LogTooLargeError(Buffer.byteLength(text), o.maxBytes);
      const accepted = o.alerts.accept(text, meta, targets);
      o.log.info({ alert: accepted.id, repo: meta.repo, rule: accepted.ruleId }, "CI alert accepted");
      res.status(202).json(accepted);
    } catch (err) {
      if (err instanceof LogTooLargeError) return void res.status(413).json({ error: err.message });
      if (err instanceof UnroutableError) return void res.status(400).json({ error: err.message });
      if (err instanceof InputError) return void res.status(400).json({ error: `not a build log: ${err.message}` });
      if (err instanceof LogFetchError) return void res.status(502).json({ error: err.message });
      o.log.error({ err: (err as Error).message }, "CI alert failed");
      res.status(500).json({ error: "internal error" });
    }
  });
}
