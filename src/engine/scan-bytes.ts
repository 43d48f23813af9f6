// The keyword automaton over raw bytes (the byte path's twin of scan.ts): Aho-Corasick over
// the UTF-8 bytes of every keyword, with a 256-entry byte -> class table that folds ASCII case
// exactly as the string scanner does. Transitions that need attention are stored negative, so
// the hot loop does one table load and one sign test per byte:
//   -(t + 1)  enter state t, where some keyword ends (t is pre-multiplied by the class count)
//   -(p + 2)  an ESC byte read in state p (the caller skips the ANSI sequence, then resumes p)
//   -(p + 3)  a line break (LF or CR); the automaton restarts at the root, as the string one does
// Line breaks reset the automaton, so a keyword never spans two lines.

const NL_CLASS = 1;
const ESC_CLASS = 2;
/** Classes 0..2 are "no keyword byte", line break, ESC; keyword bytes start here. */
const FIRST_KEYWORD_CLASS = 3;

export const KIND_OUT = 1;
export const KIND_ESC = 2;
export const KIND_NL = 3;

/** The automaton's tables, as the compiled rule pack stores them (see rules/pack.ts). */
export interface ByteTables {
  keywords: string[];
  byteClass: number[];
  classes: number;
  delta: Int32Array;
  outputs: Array<[number, number[]]>;
}

/**
 * Tables as preloaded: the transition table may be read only when an automaton is first built (the
 * byte path's, which a chat-sized log never needs); undefined from the loader means "build your own".
 */
export type PreloadedByteTables = Omit<ByteTables, "delta"> & { delta: Int32Array | (() => Int32Array | undefined) };

const prebuilt = new Map<string, PreloadedByteTables>();
/** Tables built at build time: an automaton for the same keywords starts from them. */
export function preloadByteTables(tables: PreloadedByteTables): void {
  prebuilt.set(tables.keywords.join("\n"), tables);
}

export class ByteAutomaton {
  /** Class of each byte value. */
  readonly byteClass = new Uint8Array(256);
  /** delta[state + class]; states are pre-multiplied by `classes`. */
  delta: Int32Array;
  readonly classes: number;
  /** Keyword indexes ending in each (pre-multiplied) state, own and through failure links. */
  private readonly outputs: Map<number, number[]>;

  constructor(readonly keywords: readonly string[]) {
    const key = keywords.join("\n");
    let pre = prebuilt.get(key);
    if (pre && typeof pre.delta === "function") {
      // (read on first use; a table that cannot be read is built below instead)
      const delta = pre.delta();
      if (delta) pre.delta = delta;
      else {
        prebuilt.delete(key);
        pre = undefined;
      }
    }
    if (pre && typeof pre.delta !== "function") {
      this.byteClass.set(pre.byteClass);
      this.classes = pre.classes;
      this.delta = pre.delta;
      this.outputs = new Map(pre.outputs);
      return;
    }
    const encoded = keywords.map((k) => Buffer.from(k.toLowerCase(), "utf8"));
    for (const bytes of encoded) {
      if (bytes.length === 0 || bytes.includes(0x0a) || bytes.includes(0x0d) || bytes.includes(0x1b)) {
        throw new Error(`keyword ${JSON.stringify(bytes.toString())} cannot be scanned as bytes`);
      }
    }
    let classes = FIRST_KEYWORD_CLASS;
    for (const bytes of encoded) {
      for (const b of bytes) {
        if (this.byteClass[b] !== 0) continue;
        const cls = classes++;
        this.byteClass[b] = cls;
        // ASCII letters in either case (the keywords are lower case already).
        if (b >= 0x61 && b <= 0x7a) this.byteClass[b - 0x20] = cls;
        if (b >= 0x41 && b <= 0x5a) this.byteClass[b + 0x20] = cls;
      }
    }
    if (classes > 255) throw new Error("too many distinct keyword bytes");
    this.byteClass[0x0a] = NL_CLASS;
    this.byteClass[0x0d] = NL_CLASS;
    this.byteClass[0x1b] = ESC_CLASS;
    this.classes = classes;

    // The trie, with children in one flat table (-1: none).
    const maxStates = encoded.reduce((n, b) => n + b.length, 1);
    const child = new Int32Array(maxStates * classes).fill(-1);
    const own: number[][] = [[]];
    let states = 1;
    encoded.forEach((bytes, index) => {
      let s = 0;
      for (const b of bytes) {
        const at = s * classes + this.byteClass[b]!;
        if (child[at] === -1) {
          child[at] = states++;
          own.push([]);
        }
        s = child[at]!;
      }
      own[s]!.push(index);
    });

    // Failure links breadth-first; goto[] is the complete automaton in plain state numbers.
    const go = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const out: number[][] = own;
    const queue: number[] = [];
    for (let c = FIRST_KEYWORD_CLASS; c < classes; c++) {
      const next = child[c]!;
      go[c] = next === -1 ? 0 : next;
      if (next !== -1) queue.push(next);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      if (out[fail[s]!]!.length) out[s] = [...out[s]!, ...out[fail[s]!]!];
      for (let c = FIRST_KEYWORD_CLASS; c < classes; c++) {
        const next = child[s * classes + c]!;
        if (next === -1) go[s * classes + c] = go[fail[s]! * classes + c]!;
        else {
          fail[next] = go[fail[s]! * classes + c]!;
          go[s * classes + c] = next;
          queue.push(next);
        }
      }
    }

    // Pre-multiplied, with the special transitions encoded negative.
    const delta = new Int32Array(states * classes);
    this.outputs = new Map();
    for (let s = 0; s < states; s++) {
      const row = s * classes;
      if (out[s]!.length) this.outputs.set(row, out[s]!);
      delta[row] = 0;
      delta[row + NL_CLASS] = -(row + KIND_NL);
      delta[row + ESC_CLASS] = -(row + KIND_ESC);
      for (let c = FIRST_KEYWORD_CLASS; c < classes; c++) {
        const t = go[row + c]! * classes;
        delta[row + c] = out[go[row + c]!]!.length ? -(t + KIND_OUT) : t;
      }
    }
    this.delta = delta;
  }

  tables(): ByteTables {
    return { keywords: [...this.keywords], byteClass: [...this.byteClass], classes: this.classes, delta: this.delta, outputs: [...this.outputs] };
  }

  /**
   * A copy that can be silenced without touching this one. The table (7 MB with today's keywords)
   * is shared until the copy first silences a state: most logs never do, and a big one moves it
   * into the wasm scanner's memory anyway, so copying it here up front only raised peak memory.
   */
  clone(): ByteAutomaton {
    const copy = Object.create(ByteAutomaton.prototype) as ByteAutomaton;
    // (both sides: whichever silences first copies, so neither ever patches the other's table)
    this.sharedDelta = true;
    return Object.assign(copy, this, { outputs: new Map(this.outputs), sharedDelta: true });
  }

  /** Whether `delta` is still another automaton's (see clone): copied before it is patched. */
  private sharedDelta = false;

  /** Moves the transition table into `into` (the wasm scanner's memory); silencing then patches that copy. */
  moveDelta(into: Int32Array): void {
    into.set(this.delta);
    this.delta = into;
    this.sharedDelta = false;
  }

  /** The keyword indexes that end in (pre-multiplied) state `t`. */
  outputsOf(t: number): readonly number[] {
    return this.outputs.get(t) ?? [];
  }

  /** States whose outputs are all in `done`: from now on they are entered silently. */
  silence(done: (keyword: number) => boolean): void {
    const quiet = new Set<number>();
    for (const [t, list] of this.outputs) if (list.every(done)) quiet.add(t);
    if (quiet.size === 0) return;
    if (this.sharedDelta) {
      this.delta = this.delta.slice();
      this.sharedDelta = false;
    }
    const d = this.delta;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v < 0 && (-v) % this.classes === KIND_OUT && quiet.has(-v - KIND_OUT)) d[i] = -v - KIND_OUT;
    }
    for (const t of quiet) this.outputs.delete(t);
  }

  /** Every keyword index found in one line's bytes (ESC and line breaks read as plain bytes). */
  keywordsIn(bytes: Uint8Array, into: Set<number>): void {
    const { delta, byteClass } = this;
    let s = 0;
    for (let i = 0; i < bytes.length; i++) {
      const cls = byteClass[bytes[i]!]!;
      let v = delta[s + (cls === NL_CLASS || cls === ESC_CLASS ? 0 : cls)]!;
      if (v < 0) {
        v = -v - KIND_OUT;
        for (const k of this.outputsOf(v)) into.add(k);
      }
      s = v;
    }
  }
}

/**
 * Length of the ANSI escape sequence at `i` (an ESC byte), with the same grammar as
 * normalize.ts's ANSI pattern: CSI, OSC (ended by BEL or ESC \), or a charset selection.
 * 0 when none starts there (the ESC stays, as it does in the string path); -1 when an OSC is
 * still open at the end of the line, which the string path may close on a later line.
 */
export function ansiLength(buf: Uint8Array, i: number, end: number): number {
  const b = i + 1 < end ? buf[i + 1]! : -1;
  if (b === 0x5b) {
    // CSI: ESC [ [0-9;?]* [ -/]* [@-~]
    let j = i + 2;
    while (j < end && ((buf[j]! >= 0x30 && buf[j]! <= 0x39) || buf[j] === 0x3b || buf[j] === 0x3f)) j++;
    while (j < end && buf[j]! >= 0x20 && buf[j]! <= 0x2f) j++;
    return j < end && buf[j]! >= 0x40 && buf[j]! <= 0x7e ? j + 1 - i : 0;
  }
  if (b === 0x5d) {
    // OSC: ESC ] [^BEL ESC]* (BEL | ESC \)
    for (let j = i + 2; j < end; j++) {
      const c = buf[j]!;
      if (c === 0x07) return j + 1 - i;
      if (c === 0x1b) return j + 1 < end && buf[j + 1] === 0x5c ? j + 2 - i : 0;
      if (c === 0x0a || c === 0x0d) return -1;
    }
    return -1;
  }
  if (b === 0x28 || b === 0x29) {
    const c = i + 2 < end ? buf[i + 2]! : -1;
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? 3 : 0;
  }
  return 0;
}
