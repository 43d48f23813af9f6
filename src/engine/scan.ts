// Finds the few lines worth a closer look: an Aho-Corasick automaton over every keyword of
// every rule and probe, run once over the text with ASCII case folded in its alphabet. One
// table lookup per character and no copy of the text keeps it near memory speed, where
// trying each rule's regexes on every line would run at a few MB/s.
//
// The hot loop does two loads per character (class, then transition) and one sign test: a
// transition into a state where some keyword ends is stored negative, -(t + 1). It runs over
// four line-aligned parts of the text at once, so that four independent chains of table loads
// hide each other's latency (the byte path's scanner, scan-bytes.ts, does the same). A long
// Latin-1 text goes through the byte path's WebAssembly loop instead (scan-wasm.ts).
import { WasmScanner, segmentStarts } from "./scan-wasm.js";

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
  /** Pre-multiplied next states; -(t + 1) when keywords end in state t. */
  delta: Int32Array;
  outputs: number[][];
}

/** Tables built at build time, by keyword list: a scanner for the same keywords starts from them. */
const prebuilt = new Map<string, ScannerTables>();
export function preloadScannerTables(tables: ScannerTables): void {
  prebuilt.set(tables.keywords.join("\n"), tables);
}

/** Below this many characters, one stream: splitting costs more than it hides. */
const STREAMS_MIN = 4096;
/** From this many characters, the WebAssembly loop (scan-wasm.ts), which pays for a copy of the table once. */
const WASM_MIN = 64 * 1024;
/** Characters per part copied to the wasm memory. */
const WASM_PART = 1024 * 1024;
/** A UTF-16 unit above Latin-1 (instant on a one-byte string, which cannot hold one). */
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

export class KeywordScanner {
  private readonly keywords: string[];
  /** Character class of each ASCII code (0 = a character no keyword has). */
  private readonly asciiClass = new Int32Array(128);
  /** Classes of the non-ASCII characters that keywords use. */
  private readonly otherClass = new Map<number, number>();
  private readonly classes: number;
  /** delta[state + class]: states pre-multiplied by `classes`, negative where keywords end. */
  private readonly delta: Int32Array;
  /** Keywords that end in each state (own and through failure links). */
  private readonly outputs: number[][];
  /** Class of every UTF-16 code unit, so the hot loop has no branch on the character. */
  private readonly unitClass: Uint8Array | Uint16Array;

  constructor(keywords: Iterable<string>) {
    this.keywords = [...new Set([...keywords].map((k) => k.toLowerCase()).filter(Boolean))];
    const pre = prebuilt.get(this.keywords.join("\n"));
    if (pre) {
      this.asciiClass.set(pre.asciiClass);
      for (const [code, cls] of pre.otherClass) this.otherClass.set(code, cls);
      this.classes = pre.classes;
      this.delta = pre.delta;
      this.outputs = pre.outputs;
      this.unitClass = this.unitTable();
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
    // Transitions into a state where keywords end, negative: the hot loop's only test.
    for (let i = 0; i < delta.length; i++) if (outputs[delta[i]! / classes]!.length) delta[i] = -delta[i]! - 1;
    this.delta = delta;
    this.outputs = outputs;
    this.unitClass = this.unitTable();
  }

  private unitTable(): Uint8Array | Uint16Array {
    const t = this.classes <= 256 ? new Uint8Array(65536) : new Uint16Array(65536);
    t.set(this.asciiClass);
    for (const [code, cls] of this.otherClass) t[code] = cls;
    return t;
  }

  tables(): ScannerTables {
    return { keywords: this.keywords, asciiClass: [...this.asciiClass], otherClass: [...this.otherClass], classes: this.classes, delta: this.delta, outputs: this.outputs };
  }

  /** The wasm loop's memory, made for the first long Latin-1 text (null: not available). */
  private wasm?: WasmScanner | null;
  private wasmBytes?: Buffer;

  /**
   * The same events as runFour, by the byte path's WebAssembly loop over the text's Latin-1
   * bytes (one byte per UTF-16 unit, so offsets are the text's), in parts of WASM_PART
   * characters. False when the text is not Latin-1 or WebAssembly is not there.
   */
  private scanWasm(text: string, events: number[]): boolean {
    // (The wasm loop reads a negative transition on LF as a line break: no keyword may hold one.)
    if (!(this.unitClass instanceof Uint8Array) || this.unitClass[0x0a] !== 0 || NOT_LATIN1.test(text)) return false;
    if (this.wasm === undefined) {
      // Slots of half a part: a segment is a quarter of its part and the rest of a line.
      this.wasm = WasmScanner.create(this.unitClass.subarray(0, 256), this.delta, WASM_PART / 2) ?? null;
      if (this.wasm) this.wasmBytes = Buffer.from(this.wasm.bytes.buffer);
    }
    const w = this.wasm;
    if (!w) return false;
    const n = text.length;
    const { delta, unitClass } = this;
    for (let at = 0; at < n; ) {
      let stop = n;
      if (n - at > WASM_PART) {
        const nl = text.indexOf("\n", at + WASM_PART);
        stop = nl === -1 ? n : nl + 1;
      }
      const len = stop - at;
      const starts = segmentStarts(len, (from) => {
        const nl = text.indexOf("\n", at + from);
        return nl === -1 ? -1 : nl - at;
      });
      const ends = [...starts.slice(1), len];
      const lengths = ends.map((e, j) => e - starts[j]!);
      if (Math.max(...lengths) > w.slotSize) {
        // A line longer than a slot: this part in JavaScript.
        runFour(delta, unitClass, text, [at, stop, stop, stop], [stop, stop, stop, stop], events);
        at = stop;
        continue;
      }
      for (let j = 0; j < starts.length; j++) this.wasmBytes!.write(text.slice(at + starts[j]!, at + ends[j]!), w.slotAt(j), "latin1");
      const r = w.run(lengths);
      for (let j = 0; j < starts.length; j++) {
        const [a, b] = r.ranges[j]!;
        const shift = at + starts[j]!;
        for (let e = a; e < b; e += 2) events.push(r.ints[e]! + shift, r.ints[e + 1]!);
        // The segment's rest (less than a line), in JavaScript.
        let s = r.states[j]!;
        for (let i = shift + r.done; i < at + ends[j]!; i++) {
          s = delta[s + unitClass[text.charCodeAt(i)]!]!;
          if (s < 0) events.push(i, (s = -s - 1));
        }
      }
      at = stop;
    }
    return true;
  }

  scan(text: string): ScannedLine[] {
    const n = text.length;
    // Four parts that start at line starts (a part may be empty). Starting a part at the root
    // state loses only keywords that begin on the line before, which never count (below).
    const starts = [0, n, n, n];
    if (n >= STREAMS_MIN) {
      for (let j = 1; j < 4; j++) {
        const nl = text.indexOf("\n", Math.max(starts[j - 1]!, ((n * j) >> 2) - 1));
        starts[j] = nl === -1 ? n : nl + 1;
      }
    }
    const ends = [starts[1]!, starts[2]!, starts[3]!, n];
    const events: number[] = [];
    if (n < WASM_MIN || !this.scanWasm(text, events)) runFour(this.delta, this.unitClass, text, starts, ends, events);

    const out: ScannedLine[] = [];
    let current: ScannedLine | undefined;
    const { classes } = this;
    for (let e = 0; e < events.length; e += 2) {
      const i = events[e]!;
      if (!current || i >= current.end) {
        const start = text.lastIndexOf("\n", i) + 1;
        const nl = text.indexOf("\n", i);
        current = { start, end: nl === -1 ? n : nl, keywords: new Set() };
        out.push(current);
      }
      for (const k of this.outputs[events[e + 1]! / classes]!) {
        const word = this.keywords[k]!;
        // A keyword that began on the previous line (across the newline) does not count.
        if (i - word.length + 1 >= current.start) current.keywords.add(word);
      }
    }
    return out.filter((l) => l.keywords.size > 0);
  }
}

/**
 * The hot loop, kept apart and monomorphic: the automaton over four parts [starts[j], ends[j])
 * of the text interleaved, then each part's rest alone. Pushes (position, state) of every
 * keyword end to `events`, in the text's order (the parts are consecutive).
 */
function runFour(delta: Int32Array, unitClass: Uint8Array | Uint16Array, text: string, starts: number[], ends: number[], events: number[]): void {
  const a = starts[0]!;
  const b = starts[1]!;
  const c = starts[2]!;
  const d = starts[3]!;
  const common = Math.min(ends[0]! - a, ends[1]! - b, ends[2]! - c, ends[3]! - d);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const ev: number[][] = [[], [], [], []];
  for (let k = 0; k < common; k++) {
    s0 = delta[s0 + unitClass[text.charCodeAt(a + k)]!]!;
    s1 = delta[s1 + unitClass[text.charCodeAt(b + k)]!]!;
    s2 = delta[s2 + unitClass[text.charCodeAt(c + k)]!]!;
    s3 = delta[s3 + unitClass[text.charCodeAt(d + k)]!]!;
    if ((s0 | s1 | s2 | s3) < 0) {
      if (s0 < 0) ev[0]!.push(a + k, (s0 = -s0 - 1));
      if (s1 < 0) ev[1]!.push(b + k, (s1 = -s1 - 1));
      if (s2 < 0) ev[2]!.push(c + k, (s2 = -s2 - 1));
      if (s3 < 0) ev[3]!.push(d + k, (s3 = -s3 - 1));
    }
  }
  const states = [s0, s1, s2, s3];
  for (let j = 0; j < 4; j++) {
    let s = states[j]!;
    const list = ev[j]!;
    for (let i = starts[j]! + common; i < ends[j]!; i++) {
      s = delta[s + unitClass[text.charCodeAt(i)]!]!;
      if (s < 0) list.push(i, (s = -s - 1));
    }
    for (const x of list) events.push(x);
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
