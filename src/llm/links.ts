// No invented link reaches a channel: a link from the model is kept only when it is https, on
// an allowed documentation host (and under an allowed path where the entry names one), with
// no credentials and no odd port. Every host-looking token inside its prose and commands
// (URLs of any scheme, bare domains, IP addresses: see hosts.ts) is held to the same list;
// hosts the log itself names may be repeated (they are the user's, not the model's).
import { hostTokens } from "./hosts.js";

/** An allowlist entry, `host` or `host/path-prefix`, as parsed from the configuration. */
interface Entry {
  host: string;
  path: string;
}

export class LinkAllowlist {
  private readonly entries: Entry[];

  constructor(list: readonly string[]) {
    this.entries = list.map((raw) => {
      const e = raw.trim().toLowerCase().replace(/^https?:\/\//, "");
      const slash = e.indexOf("/");
      if (slash === -1) return { host: e, path: "/" };
      const path = e.slice(slash);
      return { host: e.slice(0, slash), path: path.endsWith("/") ? path : `${path}/` };
    });
  }

  /** The hosts, for telling the model where links may come from. */
  describe(): string[] {
    return this.entries.map((e) => (e.path === "/" ? e.host : `${e.host}${e.path}`));
  }

  allows(url: string): boolean {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.protocol !== "https:" || u.username || u.password || u.port) return false;
    const host = u.hostname.toLowerCase();
    const path = `${u.pathname.toLowerCase().replace(/\/+$/, "")}/`;
    return this.entries.some((e) => e.host === host && path.startsWith(e.path));
  }

  /** Whether a host-looking token may stand: allowlisted, or a host in `seen`. */
  private passes(token: { host: string; url: string }, seen: ReadonlySet<string>): boolean {
    return seen.has(token.host) || this.allows(token.url);
  }

  /** Replaces every host-looking token in prose that the list does not allow (nor `seen` holds). */
  scrubText(s: string, replacement: string, seen: ReadonlySet<string> = NONE): string {
    let out = "";
    let from = 0;
    for (const t of hostTokens(s)) {
      if (this.passes(t, seen)) continue;
      out += s.slice(from, t.start) + replacement;
      from = t.end;
    }
    return out + s.slice(from);
  }

  /** Whether a command holds a host-looking token off the list and not in `seen` (such a command is not shown at all). */
  hasForeignUrl(command: string, seen: ReadonlySet<string> = NONE): boolean {
    return hostTokens(command).some((t) => !this.passes(t, seen));
  }
}

const NONE: ReadonlySet<string> = new Set();
