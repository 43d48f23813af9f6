// Masks secrets in anything the bot posts, prints, logs or sends to a model: provider tokens
// (rules.ts, after gitleaks' rule set), passwords given on a command line, Authorization /
// Cookie / API-key headers, credentials in URLs and connection strings, and key=value or
// --flag value secrets, the generic ones only when the value looks like a secret (entropy.ts).
// Applied to evidence lines, facts, rendered text, model text and log lines; the original log
// is never echoed.
import { looksSecret, placeholder } from "./entropy.js";
import { PROVIDER_RULES } from "./rules.js";

export const MASK = "****";

interface SecretPattern {
  name: string;
  re: RegExp;
  /** Replacement; `$<keep>` keeps the non-secret part. */
  replace: string;
  /** Masks a match only when this says the captured `value` group is a secret. */
  check?: (value: string) => boolean;
}

const keep = `$<keep>${MASK}`;
/** A value as a shell word: quoted, or up to whitespace and quotes. */
const WORD = String.raw`(?<value>"[^"\n]*"|'[^'\n]*'|[^\s"'\x60]+)`;
const unquote = (v: string) => v.replace(/^(["'])(.*)\1$/, "$2");
/** Generic keywords: worth masking only when the value looks like a secret. */
const KEYWORD = String.raw`(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key(?:[_-]?id)?|client[_-]?secret|auth[_-]?token|credentials?)`;
const PASSWORDISH = /pass(?:word|wd|phrase)?|pwd/i;
/** Flags whose value names a secret rather than holding it. */
const NAMES_A_SECRET = /(?:-stdin|-file|-path|-env|-id|-name|-ref|-arn|-type|-length|-policy)$/i;

const PATTERNS: SecretPattern[] = [
  { name: "private-key", re: /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)/g, replace: `-----BEGIN PRIVATE KEY----- ${MASK}` },
  // A line that is nothing but a long base64 run with upper case, lower case and digits (after
  // a CI timestamp or a BuildKit step prefix): the body of a key or a secret file seen without
  // its BEGIN line, e.g. in an excerpt of the log. Not a path: those start with a slash.
  {
    name: "key-body",
    re: /^(?<keep>[ \t]*(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?)?(?:#\d+ (?:\d+\.\d+ )?)?)(?!\/)(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*\d)[A-Za-z0-9+/]{40,}={0,2}[ \t]*$/gm,
    replace: keep,
  },
  // A scheme word or a long token must follow: "may require authorization: server message" is prose.
  { name: "authorization", re: /(?<keep>\b(?:proxy-)?authorization\s*[:=]\s*(?:bearer|basic|token|bot|digest|negotiate|sharedaccesssignature)\s+)[^\s"',;]+/gi, replace: keep },
  { name: "authorization-token", re: /(?<keep>\b(?:proxy-)?authorization\s*[:=]\s*)(?=[A-Za-z0-9+/=._~-]*\d)[A-Za-z0-9+/=._~-]{16,}/gi, replace: keep },
  { name: "cookie", re: /(?<keep>\b(?:set-)?cookie\s*:\s*)[^\r\n]+/gi, replace: keep },
  { name: "api-key-header", re: /(?<keep>\b(?:x-api-key|api-key|x-auth-token|private-token|job-token|x-gitlab-token|x-vault-token|x-registry-auth|x-functions-key|ocp-apim-subscription-key)\s*:\s*)[^\s"',;]+/gi, replace: keep },
  // The password runs to the last `@` before the host: `https://u:p@ss@host/` leaks nothing. (A path
  // cleaning collapses a URL's `//`: BuildKit's `…/buildkit-mount1/https:/u:p@host/app.git/Dockerfile`.)
  { name: "url-credentials", re: /(?<keep>\b(?:[a-z][a-z0-9+.-]*:\/\/|(?:https?|s?ftps?|git|ssh):\/)[^\s:/@"']*:)[^\s/"']+(?=@[^\s@/"']+(?:[/:?#\s"']|$))/gi, replace: keep },
  ...PROVIDER_RULES.map((r) => ({ name: r.id, re: r.re, replace: r.keep ? keep : MASK })),
  // Connection strings and SAS URLs (Azure and the like): `AccountKey=…;`, `?sig=…&`.
  { name: "connection-string-key", re: /(?<keep>\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|AccessKey|ApiKey|Password|Pwd|sig|client_secret|refresh_token|access_token|id_token|code_verifier)=)(?![*]{4})[^\s&;"'<>]{6,}/gi, replace: keep },
  // ~/.docker/config.json: "auth" is base64 of user:password.
  { name: "docker-config-auth", re: /(?<keep>\\?"(?:auth|identitytoken|registrytoken)\\?"\s*:\s*\\?")[^"\s\\]+/gi, replace: keep },
  // .npmrc: `_auth` is base64 of user:password; `_password` likewise.
  { name: "npmrc-auth", re: /(?<keep>(?:^|[\s:'"])_(?:auth|authToken|password)\s*=\s*["']?)[^\s"']+/gim, replace: keep },
  // Only on login lines: `docker run -p 8080:80` is a port, not a password.
  { name: "docker-login-password", re: /(?<keep>\blogin\b[^\n]*?\s(?:-p|--password)(?:\s+|=))(?![-$])(?:"[^"\n]*"|'[^'\n]*'|[^\s]+)/gi, replace: keep },
  // mysql / mariadb take the password glued to -p (`-p` alone prompts; `-P` is the port).
  { name: "mysql-password", re: /(?<keep>\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlsh|mariadb(?:-dump|-admin)?)\b[^\n]*?\s-p)(?=[^\s$-])(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)/gi, replace: keep },
  { name: "sshpass", re: /(?<keep>\bsshpass\b[^\n]*?\s-p\s*)(?![$])(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)/gi, replace: keep },
  // curl / wget `-u user:password` (not `docker run -u 1000:1000`).
  { name: "http-basic-flag", re: /(?<keep>\b(?:curl|wget|http|httpie|git)\b[^\n]*?\s(?:-u|--user|--proxy-user|-U)(?:\s+|=)["']?[^\s:"']*:)[^\s"']+/gi, replace: keep },
  { name: "wget-password", re: /(?<keep>\s--(?:http-|ftp-|proxy-)?password(?:\s+|=))(?!-)[^\s"']+/gi, replace: keep },
  // `--password X`, `--client-secret=X`, `-e DB_PASSWORD X` style flags with a secret value.
  {
    name: "secret-flag",
    re: new RegExp(String.raw`(?<keep>(?:^|\s)--?(?<flag>[\w-]*${KEYWORD}[\w-]*)(?:\s+|=))(?!-)${WORD}`, "gim"),
    replace: keep,
    check: (v) => !placeholder(unquote(v)) && !/^[\w.-]+=/.test(unquote(v)),
  },
  // `KEY=value`, `key: value`, JSON's `"key": "value"` and `key value` for AWS's secret key.
  {
    name: "assignment",
    // JSON quoted again (`\"key\": \"value\"`, as BuildKit prints a failing command) too.
    re: new RegExp(String.raw`(?<keep>\b(?<flag>[\w.-]*${KEYWORD}[\w.-]*)\\?["']?\s*[=:]\s*\\?["']?)(?![*]{4})(?<value>[^\s"',;&\\]{3,})`, "gi"),
    replace: keep,
  },
  { name: "aws-secret-spaced", re: /(?<keep>\b(?:aws[_-]?)?secret[_-]?(?:access[_-]?)?key\b["']?\s+["']?)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi, replace: keep },
];

/** Whether a generic keyword match is a secret: passwords always (unless a placeholder), other keywords when the value looks like one. */
function genericSecret(flag: string | undefined, value: string): boolean {
  const v = unquote(value);
  if (placeholder(v)) return false;
  if (flag && NAMES_A_SECRET.test(flag)) return false;
  if (flag && PASSWORDISH.test(flag)) return v.length >= 3;
  return looksSecret(v);
}

/** Masks every secret in `text`. */
export function redact(text: string): string {
  let out = text;
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    if (p.name === "assignment" || p.name === "secret-flag") {
      out = out.replace(p.re, (...args: unknown[]) => {
        const m = args[0] as string;
        const g = args.at(-1) as { keep: string; flag?: string; value: string };
        if (p.check && !p.check(g.value)) return m;
        return genericSecret(g.flag, g.value) ? `${g.keep}${MASK}` : m;
      });
      continue;
    }
    out = out.replace(p.re, p.replace);
  }
  return out;
}

/** Masks secrets in every string value of a flat record. */
export function redactRecord<T extends Record<string, string>>(rec: T): T {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) out[k] = redact(v);
  return out as T;
}
