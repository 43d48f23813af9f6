// Finds the few lines worth a closer look: an Aho-Corasick automaton over every keyword of
// every rule and probe, run once over the text with ASCII case folded in its alphabet. One
// table lookup per character and no copy of the text keeps it near memory speed, where
// trying each rule's regexes on every line would run at a few MB/s.

export interface ScannedLine {
  /** Offsets of the line in the text (end excludes the newline). */
  start: number;
  end: number;
  /** Every keyword the line holds (lower case). */
  keywords: Set<string>;
}

/** The automaton's tables, as the compiled rule pack stores them (see rules/pack.ts). */
export interface ScannerTables {
  keywords: string[];
  asciiClass: number[];
  otherClass: Array<[number, number]>;
  classes: number;
  delta: Int32Array;
  outputs: number[][];
}

/** Tables built at build time, by keyword list: a scanner for the same keywords starts from them. */
const prebuilt = new Map<string, ScannerTables>();
export function preloadScannerTables(tables: ScannerTables): void {
  prebuilt.set(tables.keywords.join("\n"), tables);
}

export class KeywordScanner {
  private readonly keywords: string[];
  /** Character class of each ASCII code (0 = a character no keyword has). */
  private readonly asciiClass = new Int32Array(128);
  /** Classes of the non-ASCII characters that keywords use. */
  private readonly otherClass = new Map<number, number>();
  private readonly classes: number;
  /** delta[state * classes + class] = next state * classes (pre-multiplied). */
  private readonly delta: Int32Array;
  /** Keywords that end in each state (own and through failure links). */
  private readonly outputs: number[][];
  private readonly hasOutput: Uint8Array;

  constructor(keywords: Iterable<string>) {
    this.keywords = [...new Set([...keywords].map((k) => k.toLowerCase()).filter(Boolean))];
    const pre = prebuilt.get(this.keywords.join("\n"));
    if (pre) {
      this.asciiClass.set(pre.asciiClass);
      for (const [code, cls] of pre.otherClass) this.otherClass.set(code, cls);
      this.classes = pre.classes;
      this.delta = pre.delta;
      this.outputs = pre.outputs;
      this.hasOutput = new Uint8Array(pre.delta.length);
      pre.outputs.forEach((o, st) => {
        if (o.length) this.hasOutput[st * pre.classes] = 1;
      });
      return;
    }
    let classes = 1;
    const classOf = (code: number): number => (code < 128 ? this.asciiClass[code]! : (this.otherClass.get(code) ?? 0));
    for (const k of this.keywords) {
      for (const ch of k) {
        const code = ch.charCodeAt(0);
        if (classOf(code) !== 0) continue;
        const cls = classes++;
        const upper = ch.toUpperCase().charCodeAt(0);
        for (const c of [code, upper]) {
          if (c < 128) this.asciiClass[c] = cls;
          else this.otherClass.set(c, cls);
        }
      }
    }
    this.classes = classes;

    // The trie, then failure links breadth-first, then the full transition table.
    const children: Array<Map<number, number>> = [new Map()];
    const outputs: number[][] = [[]];
    this.keywords.forEach((k, index) => {
      let state = 0;
      for (let i = 0; i < k.length; i++) {
        const cls = classOf(k.charCodeAt(i));
        let next = children[state]!.get(cls);
        if (next === undefined) {
          next = children.push(new Map()) - 1;
          outputs.push([]);
          children[state]!.set(cls, next);
        }
        state = next;
      }
      outputs[state]!.push(index);
    });
    const states = children.length;
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = 0; c < classes; c++) {
      const child = children[0]!.get(c);
      if (child !== undefined) queue.push(child);
      delta[c] = (child ?? 0) * classes;
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      outputs[s]!.push(...outputs[fail[s]!]!);
      for (let c = 0; c < classes; c++) {
        const child = children[s]!.get(c);
        if (child !== undefined) {
          fail[child] = delta[fail[s]! * classes + c]! / classes;
          queue.push(child);
          delta[s * classes + c] = child * classes;
        } else {
          delta[s * classes + c] = delta[fail[s]! * classes + c]!;
        }
      }
    }
    this.delta = delta;
    this.outputs = outputs;
    // Indexed by the pre-multiplied state, so the hot loop does no division.
    this.hasOutput = new Uint8Array(states * classes);
    outputs.forEach((o, st) => {
      if (o.length) this.hasOutput[st * classes] = 1;
    });
  }

  tables(): ScannerTables {
    return { keywords: this.keywords, asciiClass: [...this.asciiClass], otherClass: [...this.otherClass], classes: this.classes, delta: this.delta, outputs: this.outputs };
  }

  scan(text: string): ScannedLine[] {
    const { delta, asciiClass, otherClass, hasOutput, classes } = this;
    const out: ScannedLine[] = [];
    let current: ScannedLine | undefined;
    let state = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      state = delta[state + (code < 128 ? asciiClass[code]! : (otherClass.get(code) ?? 0))]!;
      if (hasOutput[state] === 0) continue;
      if (!current || i >= current.end) {
        const start = text.lastIndexOf("\n", i) + 1;
        const nl = text.indexOf("\n", i);
        current = { start, end: nl === -1 ? n : nl, keywords: new Set() };
        out.push(current);
      }
      for (const k of this.outputs[state / classes]!) {
        const word = this.keywords[k]!;
        // A keyword that began on the previous line (across the newline) does not count.
        if (i - word.length + 1 >= current.start) current.keywords.add(word);
      }
    }
    return out.filter((l) => l.keywords.size > 0);
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
