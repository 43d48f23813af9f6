// Finds the few lines worth a closer look. One pass of a single alternation of every
// keyword over the lower-cased text: V8 runs it at several hundred MB/s, where trying each
// rule's regexes on every line would run at a few MB/s.

export interface ScannedLine {
  /** Offsets of the line in the text (end excludes the newline). */
  start: number;
  end: number;
  /** Every keyword the line holds (lower case). */
  keywords: Set<string>;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export class KeywordScanner {
  private readonly caseSensitive: RegExp;
  private readonly caseInsensitive: RegExp;
  /** A keyword found at a position implies the shorter keywords it contains. */
  private readonly implied = new Map<string, string[]>();

  constructor(keywords: Iterable<string>) {
    const unique = [...new Set([...keywords].map((k) => k.toLowerCase()))];
    // Longest first, so that at one position the alternation reports the longest keyword;
    // the shorter ones starting there are then substrings of it and come from `implied`.
    unique.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    for (const k of unique) this.implied.set(k, unique.filter((other) => k.includes(other)));
    const source = unique.map(escapeRegex).join("|") || "(?!)";
    this.caseSensitive = new RegExp(source, "g");
    this.caseInsensitive = new RegExp(source, "gi");
  }

  scan(text: string): ScannedLine[] {
    const lower = text.toLowerCase();
    // Lower-casing can change the length of a few rare characters (e.g. U+0130); then the
    // offsets would drift, so fall back to the slower case-insensitive pass on the original.
    const sameOffsets = lower.length === text.length;
    const haystack = sameOffsets ? lower : text;
    const re = sameOffsets ? this.caseSensitive : this.caseInsensitive;
    re.lastIndex = 0;
    const out: ScannedLine[] = [];
    let current: ScannedLine | undefined;
    let m: RegExpExecArray | null;
    while ((m = re.exec(haystack)) !== null) {
      const at = m.index;
      if (!current || at >= current.end) {
        const start = at === 0 ? 0 : haystack.lastIndexOf("\n", at - 1) + 1;
        const nl = haystack.indexOf("\n", at);
        current = { start, end: nl === -1 ? haystack.length : nl, keywords: new Set() };
        out.push(current);
      }
      for (const k of this.implied.get(m[0].toLowerCase()) ?? []) current.keywords.add(k);
      re.lastIndex = at + 1;
    }
    return out;
  }
}

/** Counts lines up to offsets asked for in increasing order, without splitting the text. */
export class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  lineAt(pos: number): number {
    if (pos < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    let nl = this.text.indexOf("\n", this.offset);
    while (nl !== -1 && nl < pos) {
      this.line++;
      nl = this.text.indexOf("\n", nl + 1);
    }
    this.offset = pos;
    return this.line;
  }
}

/** The raw lines within `within` lines before and after the line at [start, end), nearest first. */
export function linesAround(text: string, start: number, end: number, within: number): { before: string[]; after: string[] } {
  const before: string[] = [];
  let s = start;
  for (let i = 0; i < within && s > 0; i++) {
    const prev = s - 2 < 0 ? 0 : text.lastIndexOf("\n", s - 2) + 1;
    before.push(text.slice(prev, s - 1));
    s = prev;
  }
  const after: string[] = [];
  let e = end;
  for (let i = 0; i < within && e < text.length; i++) {
    const next = text.indexOf("\n", e + 1);
    const stop = next === -1 ? text.length : next;
    after.push(text.slice(e + 1, stop));
    e = stop;
  }
  return { before, after };
}
