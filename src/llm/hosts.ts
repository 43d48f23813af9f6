// Finds every token in model-written text that names a host: URLs of any scheme, bare domains
// with or without a path or port (`evil.example/install.sh`), IPv4 and bracketed IPv6
// addresses. A model can smuggle a link without `https://`, so the allowlist has to judge
// these too. Whether a dotted word is a domain is decided with the public suffix list
// (tldts), plus the reserved names of RFC 2606/6761 that it does not carry, so that
// `package.json` or `Node.js` stay words; file names whose extension happens to be a country
// code (`setup.py`, `install.sh`, `README.md`) count as hosts only with a scheme or a path.
import { parse } from "tldts";

export interface HostToken {
  /** Offsets of the whole token (scheme, host, port, path) in the text. */
  start: number;
  end: number;
  /** Lower case, without brackets or port. */
  host: string;
  /** The token as an https URL, for the allowlist's host+path check. */
  url: string;
}

const RESERVED = new Set(["example", "test", "invalid", "localhost", "local", "internal", "lan", "home", "corp", "onion"]);
/** Extensions of source and build files that are also top-level domains. */
const FILE_EXTENSIONS = new Set(["py", "sh", "rs", "md", "pl", "pm", "so", "cc", "in", "mk", "am", "ac", "ml", "zip", "mov", "ps", "sc", "cs", "gz", "bz", "xz", "lock", "sbt", "kt", "ts", "js", "go", "ai"]);

// Not inside a path or another word (`./a.b`, `x@a.b` keeps its userinfo part in the token).
const TOKEN =
  /(?<![\w.\/@%-])(?:(?<scheme>[a-z][a-z0-9+.-]{0,15}):\/\/)?(?:[^\s/@"'`<>]+@)?(?<host>\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}|(?:[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62})(?<port>:\d{1,5})?(?<path>[/?#][^\s<>"'`)\]|]*)?/gi;

function looksLikeHost(host: string, strong: boolean): boolean {
  if (host.startsWith("[") || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return true;
  const labels = host.split(".");
  const last = labels.at(-1)!;
  if (strong) return /^[a-z]{2,}$/.test(last) || /^xn--/.test(last);
  // A bare word: a real or reserved top-level domain, not a file name.
  if (FILE_EXTENSIONS.has(last) || /^(?:docker|container)file$/.test(labels[0]!)) return false;
  if (RESERVED.has(last)) return true;
  return parse(host).isIcann === true;
}

/** Every host-looking token of `text`, in order. */
export function hostTokens(text: string): HostToken[] {
  const out: HostToken[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const g = m.groups!;
    const host = g.host!.toLowerCase();
    const path = (g.path ?? "").replace(/[.,;:!?]+$/, "");
    const strong = Boolean(g.scheme || g.port || path);
    if (!looksLikeHost(host, strong)) continue;
    const start = m.index;
    const end = start + m[0].length - ((g.path ?? "").length - path.length);
    const url = g.scheme ? text.slice(start, end) : `https://${text.slice(start, end)}`;
    out.push({ start, end, host: host.replace(/^\[|\]$/g, ""), url });
  }
  return out;
}

/** The hosts named in `text` (a log's lines), for telling the model's echo from its invention. */
export function hostsIn(text: string): Set<string> {
  return new Set(hostTokens(text).map((t) => t.host));
}

// `curl … | sh`, `wget -O- … | sudo bash`, `sh -c "$(curl …)"`, `bash <(curl …)`, and the
// PowerShell `iwr … | iex`: a download run unseen. Never shown, whatever the host.
const PIPE_TO_SHELL =
  /\b(?:curl|wget|fetch|iwr|invoke-webrequest|irm|invoke-restmethod)\b[^\n|;&]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:\/\S*\/)?(?:ba|z|da|k|c|tc|fi)?sh\b|\b(?:curl|wget|fetch|iwr|irm)\b[^\n|;&]*\|\s*(?:sudo\s+)?(?:\/\S*\/)?(?:python3?|perl|ruby|node|iex|invoke-expression)\b|(?:\$\(|`|<\()\s*(?:curl|wget|fetch)\b/i;

export function pipesDownloadToShell(text: string): boolean {
  return PIPE_TO_SHELL.test(text);
}

/** `text` with each download-to-shell command, up to the end of its code span or line, replaced. */
export function scrubPipesToShell(text: string, replacement: string): string {
  const all = new RegExp(PIPE_TO_SHELL.source, "gi");
  let out = "";
  let from = 0;
  for (let m = all.exec(text); m; m = all.exec(text)) {
    if (m.index < from) continue;
    const rest = text.slice(m.index + m[0].length);
    const stop = rest.search(/[`\n]/);
    out += text.slice(from, m.index) + replacement;
    from = m.index + m[0].length + (stop === -1 ? rest.length : stop);
    all.lastIndex = from;
  }
  return out + text.slice(from);
}
