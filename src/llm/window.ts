// What of a log the model gets to see: never the whole log, but the lines around the errors
// (most of all the last one and the first one) and the tail, each line cleaned of CI and
// BuildKit prefixes, masked, cut to a sane length, deduplicated, and chosen by importance
// until an estimated token budget is spent. Works in one pass over a 50 MB log with memory
// bounded by the number of lines kept, not by the size of the log.
import { normalizeForFingerprint } from "../core/fingerprint.js";
import { cleanLine, prepareText } from "../engine/normalize.js";
import { LineCounter } from "../engine/scan.js";
import { redact } from "../redact/secrets.js";

export interface WindowLine {
  /** 1-based line number in the pasted log. */
  line: number;
  /** Cleaned and masked. */
  text: string;
}

export interface LogWindow {
  /** In log order. */
  lines: WindowLine[];
  /** Estimated tokens of `text`. */
  tokens: number;
  /** The excerpt as the model sees it: line numbers, `…` where lines were left out. */
  text: string;
}

/** Words of a line that reports a failure. */
const ERROR_WORDS =
  /error|fail|fatal|denied|cannot|can't|could not|couldn't|unable to|not found|no such|unauthori[sz]ed|forbidden|refused|timed out|timeout|killed|panic|exit code|exit status|non-zero|invalid|错误|失败|無法|无法/gi;

/** A docker command line that starts a build, a run or a registry operation. */
const COMMAND = /\b(?:docker|podman|nerdctl)(?: buildx)? (?:build|bake|run|push|pull|compose)\b/g;

/** The first errors (the cause is often early) and the latest ones are remembered. */
const FIRST_ERRORS = 10;
const LAST_ERRORS = 120;
const TAIL_LINES = 40;
/** Longest raw line read; longer lines keep their head and tail (cut at whitespace). */
const RAW_LINE_CAP = 8192;
/** Longest line sent. */
const SENT_LINE_CAP = 400;
/** Tokens a line's number, separator and a possible `…` gap line before it cost. */
const LINE_OVERHEAD = 5;

/**
 * Tokens a text costs, estimated: about four characters per token for ASCII (English, code,
 * paths) and one per character otherwise (CJK text runs close to that).
 */
export function estimateTokens(s: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

/**
 * `s` cut to `max` characters keeping the head and the tail. The cut never leaves part of a
 * word: a half token on either side of the cut would slip past the masking.
 */
export function cutMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  const half = Math.floor((max - 3) / 2);
  const head = s.slice(0, half).replace(/\S*$/, "");
  const tail = s.slice(s.length - half).replace(/^\S*/, "");
  return `${head.trimEnd()} … ${tail.trimStart()}`;
}

interface Candidate {
  start: number;
  end: number;
  score: number;
}

function lineEndAt(text: string, start: number): number {
  const nl = text.indexOf("\n", start);
  return nl === -1 ? text.length : nl;
}

function prevLineStart(text: string, start: number): number {
  return start <= 1 ? 0 : text.lastIndexOf("\n", start - 2) + 1;
}

/** The line at [start, end) as it is sent: cleaned, masked, capped. Empty: nothing worth sending. */
export function sendableLine(raw: string): string {
  const capped = cutMiddle(raw, RAW_LINE_CAP);
  const clean = cleanLine(capped).text;
  if (!clean) return "";
  return cutMiddle(redact(clean), SENT_LINE_CAP);
}

export interface WindowOptions {
  /** Estimated tokens the excerpt may use. */
  tokenBudget: number;
}

export function windowLog(input: string, opts: WindowOptions): LogWindow {
  const text = prepareText(input);
  const candidates = new Map<number, Candidate>();
  const add = (start: number, end: number, score: number) => {
    const had = candidates.get(start);
    if (!had || had.score < score) candidates.set(start, { start, end, score });
  };

  // Error lines: the first few and a ring of the latest.
  const first: Array<[number, number]> = [];
  const last: Array<[number, number]> = [];
  ERROR_WORDS.lastIndex = 0;
  for (let m = ERROR_WORDS.exec(text); m; m = ERROR_WORDS.exec(text)) {
    const start = text.lastIndexOf("\n", m.index) + 1;
    const end = lineEndAt(text, m.index);
    if (first.length < FIRST_ERRORS) first.push([start, end]);
    else {
      last.push([start, end]);
      if (last.length > LAST_ERRORS * 2) last.splice(0, last.length - LAST_ERRORS);
    }
    ERROR_WORDS.lastIndex = end + 1;
    if (end >= text.length) break;
  }
  const errors = [...first, ...last.slice(-LAST_ERRORS)];

  const withContext = (start: number, end: number, score: number, before: number, after: number, step: number) => {
    add(start, end, score);
    let s = start;
    for (let d = 1; d <= before && s > 0; d++) {
      s = prevLineStart(text, s);
      add(s, lineEndAt(text, s), score - 100 - d * step);
    }
    let e = end;
    for (let d = 1; d <= after && e < text.length; d++) {
      const ns = e + 1;
      e = lineEndAt(text, ns);
      add(ns, e, score - 100 - d * step);
    }
  };

  // Most important: the last error with its run-up, then the tail, then the first error,
  // then the other errors from the latest back.
  errors.forEach(([start, end], i) => {
    const isLast = i === errors.length - 1;
    const isFirst = i === 0;
    if (isLast) withContext(start, end, 1100, 15, 6, 2);
    else if (isFirst) withContext(start, end, 1050, 5, 3, 10);
    else withContext(start, end, 900 - (errors.length - 1 - i), 3, 2, 20);
  });
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  for (let d = 0; d < TAIL_LINES && end > 0; d++) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    add(start, end, 1080 - d * 3);
    if (start === 0) break;
    end = start - 1;
  }

  // The command that was run: the first line of a paste often is it, else the last one seen.
  add(0, lineEndAt(text, 0), 1060);
  COMMAND.lastIndex = 0;
  let lastCommand = -1;
  for (let m = COMMAND.exec(text); m; m = COMMAND.exec(text)) {
    lastCommand = m.index;
    COMMAND.lastIndex = lineEndAt(text, m.index);
  }
  if (lastCommand >= 0) add(text.lastIndexOf("\n", lastCommand) + 1, lineEndAt(text, lastCommand), 1060);

  const ranked = [...candidates.values()].sort((a, b) => b.score - a.score || b.start - a.start);
  const chosen: Array<{ start: number; text: string }> = [];
  const seen = new Set<string>();
  let tokens = 0;
  for (const c of ranked) {
    const sent = sendableLine(text.slice(c.start, c.end));
    if (!sent) continue;
    const key = normalizeForFingerprint(sent);
    if (seen.has(key)) continue;
    const cost = estimateTokens(sent) + LINE_OVERHEAD;
    if (tokens + cost > opts.tokenBudget) continue;
    seen.add(key);
    tokens += cost;
    chosen.push({ start: c.start, text: sent });
  }

  chosen.sort((a, b) => a.start - b.start);
  const counter = new LineCounter(text);
  const lines: WindowLine[] = chosen.map((c) => ({ line: counter.lineAt(c.start), text: c.text }));
  const width = String(lines.at(-1)?.line ?? 1).length;
  const out: string[] = [];
  let prev = 0;
  for (const l of lines) {
    if (l.line !== prev + 1) out.push("…");
    out.push(`${String(l.line).padStart(width)} | ${l.text}`);
    prev = l.line;
  }
  const rendered = out.join("\n");
  return { lines, tokens: estimateTokens(rendered), text: rendered };
}

// Step headers: BuildKit's error summary (` > [stage 4/9] RUN cmd:`), its failed step
// (`=> ERROR [stage 4/9] RUN cmd`), plain progress (`#12 [stage 4/9] RUN cmd`), the classic
// builder (`Step 4/9 : RUN cmd`).
const STEP_SUMMARY = /^ ?> \[[^\]\n]*\d+\/\d+\] ([A-Z]+ [^\n]*?):[ \t]*$/gm;
const STEP_ERROR = /^[ \t]*(?:#\d+ )?=> ERROR \[[^\]\n]*\d+\/\d+\] ([A-Z]+ [^\n]*?)(?:\s{2,}[\d.]+s)?[ \t]*$/gm;
const STEP_HEADER = /^(?:#\d+ \[[^\]\n]*\d+\/\d+\] |Step \d+\/\d+ : )([A-Z]+ [^\n]*?)[ \t]*$/gm;

function lastMatch(re: RegExp, text: string): string | undefined {
  re.lastIndex = 0;
  let found: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) found = m[1];
  return found;
}

/**
 * The Dockerfile instruction of the step that failed (`RUN go mod download`), when the log
 * shows one: the error summary's, else the failed step's, else the last step started.
 */
export function failingStep(input: string): string | undefined {
  const text = prepareText(input);
  const step = lastMatch(STEP_SUMMARY, text) ?? lastMatch(STEP_ERROR, text) ?? lastMatch(STEP_HEADER, text);
  return step ? cutMiddle(redact(step.trim()), SENT_LINE_CAP) : undefined;
}
