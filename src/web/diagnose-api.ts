// POST /api/diagnose: the try-it page's endpoint. A pasted log as JSON ({"log", "lang",
// "share"}) or a dropped file as raw bytes (application/octet-stream, ?lang=&share=1; gzip
// and UTF-16 are decoded like any upload), capped at MAX_LOG_BYTES (413 with the limit named).
// Answered by the BotService the chat adapters use (rules, then the LLM fallback when one is
// configured), as the JSON contract of `diagnose --json` plus the console's rendering.
// Nothing is stored unless "share" is asked for by someone allowed to see the stats.
import { randomUUID } from "node:crypto";
import type { Express, Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import type { BotService } from "../core/bot-service.js";
import { InputError } from "../engine/normalize.js";
import type { Lang } from "../engine/types.js";
import { LogTooLargeError, decodeLog } from "../input/decode-log.js";
import { rawBody } from "../alerts/route.js";
import { toJson } from "../renderers/json.js";
import type { WebAuth } from "./auth.js";
import { strings } from "./i18n.js";
import { logExcerpt, unknownSample } from "./log-view.js";
import { answerFragment } from "./pages/answer.js";

/** The workspace shared console answers are counted under. */
export const WEB_WORKSPACE = "web";
/** Diagnoses per client address and minute. */
const RATE_LIMIT = 30;

export interface DiagnoseApiOptions {
  service: BotService;
  auth: WebAuth;
  maxBytes: number;
  log: Logger;
}

interface Parsed {
  text: string;
  lang: Lang;
  share: boolean;
}

function parseRequest(req: Request, maxBytes: number): Parsed | string {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const asLang = (v: unknown): Lang => (v === "zh" ? "zh" : "en");
  if (req.is("application/json")) {
    let json: { log?: unknown; lang?: unknown; share?: unknown };
    try {
      json = JSON.parse(body.toString("utf8")) as typeof json;
    } catch {
      return "malformed JSON body";
    }
    if (typeof json !== "object" || json === null || typeof json.log !== "string") return 'expected {"log": "<the build log>", "lang": "en"|"zh", "share": false}';
    if (Buffer.byteLength(json.log) > maxBytes) throw new LogTooLargeError(Buffer.byteLength(json.log), maxBytes);
    return { text: json.log, lang: asLang(json.lang), share: json.share === true };
  }
  return { text: decodeLog(body, maxBytes), lang: asLang(req.query.lang), share: req.query.share === "1" };
}

export function mountDiagnoseApi(app: Express, secure: RequestHandler, o: DiagnoseApiOptions): void {
  const [parse, onParseError] = rawBody(o.maxBytes);
  // Only types a plain cross-site form cannot send: another site cannot make a visitor's browser share.
  const types = (req: Request, res: Response, next: () => void) => {
    if (!req.is(["application/json", "application/octet-stream"])) return void res.status(415).json({ error: "send the log as application/json or application/octet-stream" });
    next();
  };
  const limit = async (req: Request, res: Response, next: () => void) => {
    if (!(await o.service.allow(`web:${req.ip ?? "?"}`, RATE_LIMIT, 60_000))) return void res.status(429).set("retry-after", "60").json({ error: `more than ${RATE_LIMIT} diagnoses a minute from this address: wait a minute` });
    next();
  };
  app.post("/api/diagnose", secure, types, limit, parse, onParseError, async (req: Request, res: Response) => {
    let parsed: Parsed | string;
    try {
      parsed = parseRequest(req, o.maxBytes);
      if (typeof parsed === "string") return void res.status(400).json({ error: parsed });
      const answered = await o.service.answer(parsed.text, { lang: parsed.lang, keepSample: false });
      const { result } = answered;
      let shared = false;
      let note: string | undefined;
      if (parsed.share) {
        const w = strings(result.lang);
        if (!o.auth.authorized(req)) note = `${w.notShared}${o.auth.mode === "refused" ? w.refused(o.auth.host) : w.loginIntro}`;
        else if (!result.dockerLog && !result.diagnoses.length) note = `${w.notShared}${w.notDockerLog}`;
        else {
          if (result.diagnoses.length) await o.service.recordAnswer(WEB_WORKSPACE, randomUUID(), answered);
          // No rule knew it (no answer, or only the model's): one more report of an unknown failure.
          if (result.source !== "rules") await o.service.recordUnknown(WEB_WORKSPACE, answered.fingerprint, unknownSample(parsed.text));
          shared = true;
        }
        if (shared) note = w.shared;
      }
      const log = logExcerpt(parsed.text, result.diagnoses.flatMap((d) => d.evidence.map((e) => e.line)));
      res.json({ ...toJson(result), lang: result.lang, dockerLog: result.dockerLog, shared, html: answerFragment(o.service.engine, result, log, note) });
    } catch (err) {
      if (err instanceof LogTooLargeError) return void res.status(413).json({ error: err.message });
      if (err instanceof InputError) return void res.status(400).json({ error: err.message });
      o.log.error({ err: (err as Error).message }, "web diagnose failed");
      res.status(500).json({ error: "internal error" });
    }
  });
}
