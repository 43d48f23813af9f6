// Who may see the console's stats. With WEB_TOKEN: a request that shows it (Authorization:
// Bearer <token>) or a session cookie from the login form. Without it: only when the server
// listens on loopback alone; on an address other machines can reach, the stats are refused
// and the page says why. Tokens are compared in constant time; the cookie holds an HMAC
// keyed by the token (never the token), so changing WEB_TOKEN signs everyone out.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { parseCookie } from "cookie";
import type { Request, Response } from "express";

export const SESSION_COOKIE = "bxf_session";
const SESSION_MS = 7 * 24 * 60 * 60 * 1000;

export type GateMode = "open" | "token" | "refused";

/** Whether HOST keeps the server on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Equal strings, in time that does not depend on where they differ (both are hashed first). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export class WebAuth {
  readonly mode: GateMode;

  constructor(
    private readonly token: string | undefined,
    readonly host: string,
  ) {
    this.mode = token ? "token" : isLoopbackHost(host) ? "open" : "refused";
  }

  authorized(req: Request): boolean {
    if (this.mode !== "token") return this.mode === "open";
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    if (bearer !== undefined) return sameSecret(bearer, this.token!);
    return this.validSession(parseCookie(req.headers.cookie ?? "")[SESSION_COOKIE]);
  }

  /** A login form's token: right -> a session cookie is set. */
  signIn(candidate: string, req: Request, res: Response): boolean {
    if (this.mode !== "token" || !sameSecret(candidate, this.token!)) return false;
    const expires = Date.now() + SESSION_MS;
    res.cookie(SESSION_COOKIE, `${expires}.${this.sign(expires)}`, { httpOnly: true, sameSite: "strict", secure: req.secure, path: "/", maxAge: SESSION_MS });
    return true;
  }

  signOut(req: Request, res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "strict", secure: req.secure, path: "/" });
  }

  private sign(expires: number): string {
    return createHmac("sha256", this.token!).update(`buildx-fix web session ${expires}`).digest("hex");
  }

  private validSession(value: string | undefined): boolean {
    const m = /^(\d{10,16})\.([0-9a-f]{64})$/.exec(value ?? "");
    if (!m) return false;
    const expires = Number(m[1]);
    return expires > Date.now() && sameSecret(m[2]!, this.sign(expires));
  }
}
