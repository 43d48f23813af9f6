// No invented link reaches a channel: a link from the model is kept only when it is https, on
// an allowed documentation host (and under an allowed path where the entry names one), with
// no credentials and no odd port. URLs inside its prose are held to the same list.

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

  /** Replaces every URL in prose that the list does not allow. */
  scrubText(s: string, replacement: string): string {
    return s.replace(URL_IN_TEXT, (url) => {
      const bare = trimUrl(url);
      return this.allows(bare) ? url : `${replacement}${url.slice(bare.length)}`;
    });
  }

  /** Whether a command holds a URL off the list (such a command is not shown at all). */
  hasForeignUrl(command: string): boolean {
    for (const m of command.matchAll(URL_IN_TEXT)) if (!this.allows(trimUrl(m[0]))) return true;
    return false;
  }
}

const URL_IN_TEXT = /\b(?:https?|ftp):\/\/[^\s<>"'`)\]]+/gi;

/** Sentence punctuation after a URL in prose is not part of it. */
function trimUrl(url: string): string {
  return url.replace(/[.,;:!?]+$/, "");
}
