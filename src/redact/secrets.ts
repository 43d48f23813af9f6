// Masks secrets in anything the bot posts or sends away: tokens, passwords given on a
// command line, Authorization / Cookie headers, credentials in URLs, key=value secrets.
// Applied to evidence lines, facts and rendered text; the original log is never echoed.

export const MASK = "****";

interface SecretPattern {
  name: string;
  re: RegExp;
  /** Replacement; `$<keep>` keeps the non-secret part. */
  replace: string;
}

const PATTERNS: SecretPattern[] = [
  { name: "private-key", re: /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)/g, replace: `-----BEGIN PRIVATE KEY----- ${MASK}` },
  // A line that is nothing but a long base64 run with upper case, lower case and digits (after
  // a CI timestamp or a BuildKit step prefix): the body of a key or a secret file seen without
  // its BEGIN line, e.g. in an excerpt of the log. Not a path: those start with a slash.
  {
    name: "key-body",
    re: /^(?<keep>[ \t]*(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?)?(?:#\d+ (?:\d+\.\d+ )?)?)(?!\/)(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*\d)[A-Za-z0-9+/]{40,}={0,2}[ \t]*$/gm,
    replace: `$<keep>${MASK}`,
  },
  // A scheme word or a long token must follow: "may require authorization: server message" is prose.
  { name: "authorization", re: /(?<keep>\b(?:proxy-)?authorization\s*[:=]\s*(?:bearer|basic|token|bot|digest|negotiate)\s+)[^\s"',;]+/gi, replace: `$<keep>${MASK}` },
  { name: "authorization-token", re: /(?<keep>\b(?:proxy-)?authorization\s*[:=]\s*)(?=[A-Za-z0-9+/=._~-]*\d)[A-Za-z0-9+/=._~-]{16,}/gi, replace: `$<keep>${MASK}` },
  { name: "cookie", re: /(?<keep>\b(?:set-)?cookie\s*:\s*)[^\r\n]+/gi, replace: `$<keep>${MASK}` },
  { name: "url-credentials", re: /(?<keep>\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*:)[^\s@/"']+(?=@)/gi, replace: `$<keep>${MASK}` },
  { name: "github-token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: MASK },
  { name: "gitlab-token", re: /\bglpat-[A-Za-z0-9_-]{20,}/g, replace: MASK },
  { name: "slack-token", re: /\b(?:xoxe\.)?xox[a-z]-[A-Za-z0-9-]{10,}|\bxapp-[A-Za-z0-9-]{10,}/g, replace: MASK },
  // Discord bot tokens: base64 user id, timestamp, HMAC.
  { name: "discord-token", re: /\b[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,40}\b/g, replace: MASK },
  { name: "npm-token", re: /\bnpm_[A-Za-z0-9]{30,}/g, replace: MASK },
  { name: "docker-pat", re: /\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}/g, replace: MASK },
  { name: "aws-key", re: /\b(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA|AGPA|ANPA|APKA)[A-Z0-9]{16}\b/g, replace: MASK },
  { name: "jwt", re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: MASK },
  { name: "openai-key", re: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/g, replace: MASK },
  // Only on login lines: `docker run -p 8080:80` is a port, not a password.
  { name: "docker-login-password", re: /(?<keep>\blogin\b[^\n]*?\s(?:-p|--password)(?:\s+|=))(?!-)(?:"[^"\n]*"|'[^'\n]*'|[^\s]+)/gi, replace: `$<keep>${MASK}` },
  // ~/.docker/config.json: "auth" is base64 of user:password.
  { name: "docker-config-auth", re: /(?<keep>"auth"\s*:\s*")[^"\s]+/g, replace: `$<keep>${MASK}` },
  // `KEY=value`, `key: value` and JSON's `"key": "value"`.
  { name: "assignment", re: /(?<keep>\b[\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key)[\w.-]*["']?\s*[=:]\s*["']?)(?![*]{4})[^\s"',;&]{3,}/gi, replace: `$<keep>${MASK}` },
];

/** Masks every secret in `text`. */
export function redact(text: string): string {
  let out = text;
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
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
