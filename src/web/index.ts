// The web console on the bot's HTTP server (`npm start`): GET / (try it: paste or drop a log),
// GET /rules and /rules/<id> (every rule, one page each), GET /stats (what the bot answered;
// WEB_TOKEN when set, refused on a non-loopback HOST without it), POST /api/diagnose, the
// login form, and the one script and stylesheet under /assets. Every page is server-rendered,
// escaped, and sent with a strict Content-Security-Policy (no inline script or style).
import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import type { Config } from "../config/config.js";
import type { BotService } from "../core/bot-service.js";
import { PACKAGE_ROOT } from "../package-info.js";
import { rulePage } from "../rules/rule-page.js";
import { WebAuth } from "./auth.js";
import { mountDiagnoseApi } from "./diagnose-api.js";
import { html } from "./html.js";
import { requestLang, strings } from "./i18n.js";
import { href, page } from "./layout.js";
import { loginPage } from "./pages/login.js";
import { ruleBody } from "./pages/rule.js";
import { rulesBody } from "./pages/rules.js";
import { statsBody, statsData } from "./pages/stats.js";
import { tryBody } from "./pages/try.js";

/** The script and stylesheet, read as they are (no build step): a package must ship this folder. */
export const ASSETS_DIR = join(PACKAGE_ROOT, "src", "web", "assets");

export interface WebConsoleOptions {
  config: Pick<Config, "HOST" | "WEB_TOKEN" | "MAX_LOG_BYTES">;
  service: BotService;
  log: Logger;
}

/** Security headers for the console's responses only (the webhooks and /healthz keep theirs). */
const secure: RequestHandler = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  // TLS is the reverse proxy's business; HSTS on a plain-HTTP localhost would only confuse.
  strictTransportSecurity: false,
  referrerPolicy: { policy: "no-referrer" },
});

const LOGIN_ATTEMPTS = 10;

export function mountWebConsole(app: Express, o: WebConsoleOptions): WebAuth {
  const { service } = o;
  const engine = service.engine;
  const auth = new WebAuth(o.config.WEB_TOKEN, o.config.HOST);
  const log = o.log.child({ component: "web" });
  if (!existsSync(join(ASSETS_DIR, "console.js"))) log.warn(`web console: ${ASSETS_DIR} is missing, so pages come without their script and stylesheet (the package must include src/web/assets)`);
  if (auth.mode === "refused") log.warn(`web console: stats are refused because HOST=${o.config.HOST} is reachable from other machines and WEB_TOKEN is not set`);

  const send = (res: Response, status: number, body: string) => res.status(status).type("html").set("cache-control", "no-store").send(body);

  app.use("/assets", secure, express.static(ASSETS_DIR, { index: false, maxAge: "1h" }));

  app.get("/", secure, (req, res) => {
    const lang = requestLang(req);
    send(res, 200, page(req, { lang, title: strings(lang).tryTitle, section: "try", body: tryBody(lang, o.config.MAX_LOG_BYTES), signedIn: signedIn(req) }));
  });

  app.get("/rules", secure, (req, res) => {
    const lang = requestLang(req);
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 200) : "";
    send(res, 200, page(req, { lang, title: strings(lang).rulesTitle, section: "rules", body: rulesBody(engine, lang, q), signedIn: signedIn(req) }));
  });

  app.get("/rules/:id", secure, (req, res) => {
    const lang = requestLang(req);
    const p = rulePage(engine, String(req.params.id), lang);
    if (!p) {
      const w = strings(lang);
      return void send(res, 404, page(req, { lang, title: w.notFound, section: "rules", body: html`<h1>${w.notFound}</h1><p>${w.notFoundBody} <a href="${href("/rules", lang)}">${w.allRules}</a></p>` }));
    }
    send(res, 200, page(req, { lang, title: p.title, section: "rules", body: ruleBody(p), signedIn: signedIn(req) }));
  });

  const signedIn = (req: Request) => auth.mode === "token" && auth.authorized(req);

  /** The stats gate: 403 when refused outright, the login form (401) when a token is needed. */
  const gate = (req: Request, res: Response, json: boolean): boolean => {
    if (auth.authorized(req)) return true;
    const lang = requestLang(req);
    const w = strings(lang);
    if (auth.mode === "refused") {
      if (json) res.status(403).json({ error: w.refused(auth.host) });
      else send(res, 403, page(req, { lang, title: w.refusedTitle, section: "stats", body: html`<h1>${w.refusedTitle}</h1><p class="error" role="alert">${w.refused(auth.host)}</p>` }));
      return false;
    }
    res.set("www-authenticate", 'Bearer realm="buildx-fix"');
    if (json) res.status(401).json({ error: "WEB_TOKEN required: Authorization: Bearer <token>" });
    else send(res, 401, page(req, { lang, title: w.loginTitle, section: "stats", body: loginPage(lang, false) }));
    return false;
  };

  app.get("/stats", secure, async (req, res) => {
    if (!gate(req, res, false)) return;
    const lang = requestLang(req);
    const ws = typeof req.query.workspace === "string" && req.query.workspace ? req.query.workspace : undefined;
    send(res, 200, page(req, { lang, title: strings(lang).statsTitle, section: "stats", body: statsBody(await statsData(service, ws), lang), signedIn: signedIn(req) }));
  });

  app.get("/api/stats", secure, async (req, res) => {
    if (!gate(req, res, true)) return;
    const ws = typeof req.query.workspace === "string" && req.query.workspace ? req.query.workspace : undefined;
    res.set("cache-control", "no-store").json(await statsData(service, ws));
  });

  app.get("/login", secure, (req, res) => {
    const lang = requestLang(req);
    send(res, 200, page(req, { lang, title: strings(lang).loginTitle, section: "stats", body: loginPage(lang, false) }));
  });

  // A form body over 4 KB holds no token: refused before it is read further, without a stack trace page.
  const loginBody = express.urlencoded({ extended: false, limit: "4kb" });
  const loginBodyError: ErrorRequestHandler = (err: { status?: number }, _req, res, next) => (err.status && err.status < 500 ? void res.status(err.status).type("text").send("bad sign-in request") : next(err));
  app.post("/login", secure, loginBody, loginBodyError, async (req: Request, res: Response) => {
    const lang = requestLang(req);
    const token = typeof req.body?.token === "string" ? (req.body.token as string) : "";
    const allowed = await service.allow(`web-login:${req.ip ?? "?"}`, LOGIN_ATTEMPTS, 60_000);
    if (allowed && auth.signIn(token, req, res)) return void res.redirect(303, href("/stats", lang));
    send(res, allowed ? 401 : 429, page(req, { lang, title: strings(lang).loginTitle, section: "stats", body: loginPage(lang, true) }));
  });

  app.post("/logout", secure, (req, res) => {
    auth.signOut(req, res);
    res.redirect(303, href("/", requestLang(req)));
  });

  mountDiagnoseApi(app, secure, { service, auth, maxBytes: o.config.MAX_LOG_BYTES, log });
  return auth;
}
