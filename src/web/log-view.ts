// The pasted log as the console shows it next to the answer: numbered like the engine numbers
// evidence (after the same clean-up of line endings and colours), every line masked on its
// own (so numbering never shifts), long lines cut. A big log is shown as windows around the
// evidence lines and its end, not sent back whole.
import { prepareText } from "../engine/normalize.js";
import { redact } from "../redact/secrets.js";

export interface LogChunk {
  /** 1-based number of the chunk's first line. */
  start: number;
  lines: string[];
}

export interface LogExcerpt {
  total: number;
  chunks: LogChunk[];
}

/** Logs up to this many lines are shown whole. */
const WHOLE = 3000;
/** Lines shown around each evidence line of a bigger log, and at its end. */
const CONTEXT = 12;
const TAIL = 20;
const MAX_LINE_CHARS = 2000;

const show = (line: string) => redact(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)} …` : line);

export function logExcerpt(input: string, evidenceLines: Iterable<number>): LogExcerpt {
  const lines = prepareText(input).split("\n");
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  const total = lines.length;
  if (total <= WHOLE) return { total, chunks: [{ start: 1, lines: lines.map(show) }] };
  const ranges: Array<[number, number]> = [...new Set(evidenceLines)].map((n) => [Math.max(1, n - CONTEXT), Math.min(total, n + CONTEXT)]);
  ranges.push([Math.max(1, total - TAIL + 1), total]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return { total, chunks: merged.map(([a, b]) => ({ start: a, lines: lines.slice(a - 1, b).map(show) })) };
}

/** The last lines of a log no rule knows, cleaned and masked: the sample kept when it is shared. */
export function unknownSample(input: string, max = 15): string {
  const lines = prepareText(input)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-max);
  return lines.map((l) => redact(l.length > 300 ? `${l.slice(0, 300)} …` : l)).join("\n");
}
