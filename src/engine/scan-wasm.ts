// The automaton's interleaved-streams loop as a tiny WebAssembly function, assembled here at run
// time (no toolchain, no binary in the repository). Same tables, same transitions and the same
// events as runFourStreams in byte-path.ts, which stays as the reference and the fall-back; the
// wasm loop has no bounds checks, where a 100 MB
// log spends its time. Used by the byte path and, for long Latin-1 texts, by the string scan.
// Memory layout (byte addresses):
//   0..255         class of each byte (u8)
//   CTRL..         per stream j: position p[j], event pointer e[j], state s[j] (i32), in and out
//   DELTA..        the transition table (i32, states pre-multiplied by the class count)
//   then the bytes to scan, then one event area per stream: (position, state or -1 for an LF)

/** The part of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WASM = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const CTRL = 256;
export const DELTA = 1024;
const PAGE = 65536;

// Opcodes and immediates used below.
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, END = 0x0b, BR_IF = 0x0d, VOID = 0x40;
const GET = 0x20, SET = 0x21, TEE = 0x22;
const LOAD = 0x28, LOAD8U = 0x2d, STORE = 0x36;
const CONST = 0x41, EQZ = 0x45, EQ = 0x46, LT_S = 0x48, ADD = 0x6a, SUB = 0x6b, OR = 0x72, SHL = 0x74;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** Streams interleaved (four independent chains of table loads; eight measured no faster, the loop being bound by its instruction count). */
export const STREAMS = 4;

/** scan(n): n steps of the STREAMS streams described in CTRL; updates CTRL. */
function scanBody(): number[] {
  // Locals: 0 n (param), then p, e and s of each stream.
  const P = (j: number) => 1 + j, E = (j: number) => 1 + STREAMS + j, S = (j: number) => 1 + 2 * STREAMS + j;
  const code: number[] = [];
  for (let j = 0; j < STREAMS; j++) {
    code.push(CONST, 0, LOAD, 2, ...uleb(CTRL + 12 * j), SET, P(j));
    code.push(CONST, 0, LOAD, 2, ...uleb(CTRL + 12 * j + 4), SET, E(j));
    code.push(CONST, 0, LOAD, 2, ...uleb(CTRL + 12 * j + 8), SET, S(j));
  }
  code.push(BLOCK, VOID, GET, 0, EQZ, BR_IF, 0, LOOP, VOID);
  for (let j = 0; j < STREAMS; j++) {
    // s = delta[s + class[byte at p]]
    code.push(GET, S(j), GET, P(j), LOAD8U, 0, 0, LOAD8U, 0, 0, ADD, CONST, 2, SHL, LOAD, 2, ...uleb(DELTA), SET, S(j));
  }
  code.push(GET, S(0));
  for (let j = 1; j < STREAMS; j++) code.push(GET, S(j), OR);
  code.push(CONST, 0, LT_S, IF, VOID);
  for (let j = 0; j < STREAMS; j++) {
    code.push(GET, S(j), CONST, 0, LT_S, IF, VOID);
    code.push(GET, E(j), GET, P(j), STORE, 2, 0);
    code.push(GET, P(j), LOAD8U, 0, 0, CONST, 10, EQ, IF, VOID);
    code.push(GET, E(j), CONST, ...sleb(-1), STORE, 2, 4, CONST, 0, SET, S(j));
    code.push(ELSE);
    // A keyword end: -(t + 1) -> t
    code.push(CONST, ...sleb(-1), GET, S(j), SUB, SET, S(j), GET, E(j), GET, S(j), STORE, 2, 4);
    code.push(END);
    code.push(GET, E(j), CONST, 8, ADD, SET, E(j));
    code.push(END);
  }
  code.push(END);
  for (let j = 0; j < STREAMS; j++) code.push(GET, P(j), CONST, 1, ADD, SET, P(j));
  code.push(GET, 0, CONST, 1, SUB, TEE, 0, BR_IF, 0, END, END);
  for (let j = 0; j < STREAMS; j++) {
    code.push(CONST, 0, GET, P(j), STORE, 2, ...uleb(CTRL + 12 * j));
    code.push(CONST, 0, GET, E(j), STORE, 2, ...uleb(CTRL + 12 * j + 4));
    code.push(CONST, 0, GET, S(j), STORE, 2, ...uleb(CTRL + 12 * j + 8));
  }
  code.push(END);
  const locals = vec([[3 * STREAMS, 0x7f]]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

let compiled: object | undefined | null;

function moduleBytes(): Uint8Array {
  const type = section(1, vec([[0x60, ...vec([[0x7f]]), ...vec([])]]));
  const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  // (import "m" "memory" (memory 1))
  const imports = section(2, vec([[...name("m"), ...name("memory"), 0x02, 0x00, 1]]));
  const funcs = section(3, vec([[0]]));
  const exports = section(7, vec([[...name("scan"), 0x00, 0]]));
  const code = section(10, vec([scanBody()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

/** The compiled module, or undefined where WebAssembly is not available. */
function wasmModule(): object | undefined {
  if (compiled === undefined) {
    try {
      if (!WASM) throw new Error("no WebAssembly");
      compiled = new WASM.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** Cuts [0, length) of `text`'s lines into STREAMS segments that start at line starts (some may be empty). */
export function segmentStarts(length: number, lineBreakAfter: (from: number) => number): number[] {
  const starts = [0];
  for (let j = 1; j < STREAMS; j++) {
    const from = Math.max(starts[j - 1]!, Math.floor((length * j) / STREAMS) - 1);
    const nl = from >= length ? -1 : lineBreakAfter(from);
    starts.push(nl === -1 || nl >= length ? length : nl + 1);
  }
  return starts;
}

/** Events of one scan: for each stream, [from, to) in `ints` (Int32 indexes), pairs of (address, state). */
export interface WasmEvents {
  ints: Int32Array;
  ranges: Array<[number, number]>;
  /** Where each stream stopped and its state (for the JS loop to finish the segment). */
  positions: number[];
  states: number[];
}

/** One scanner's memory: its own copy of the transition table (silenced in place) and room for a part. */
export class WasmScanner {
  readonly delta: Int32Array;
  readonly bytes: Uint8Array;
  readonly bufferAt: number;
  readonly capacity: number;
  private readonly ints: Int32Array;
  private readonly eventsAt: number;
  private readonly scan: (n: number) => void;

  private constructor(memory: { buffer: ArrayBuffer }, instance: { exports: Record<string, unknown> }, byteClass: Uint8Array, delta: Int32Array, capacity: number) {
    const buffer = memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.ints = new Int32Array(buffer);
    this.bytes.set(byteClass, 0);
    this.delta = new Int32Array(buffer, DELTA, delta.length);
    this.delta.set(delta);
    this.bufferAt = align(DELTA + delta.length * 4);
    this.capacity = capacity;
    this.eventsAt = align(this.bufferAt + capacity);
    this.scan = instance.exports.scan as (n: number) => void;
  }

  /** A scanner for parts of up to `capacity` bytes, or undefined without WebAssembly. */
  static create(byteClass: Uint8Array, delta: Int32Array, capacity: number): WasmScanner | undefined {
    const mod = wasmModule();
    if (!mod) return undefined;
    // Bytes, then at most one event (8 bytes) per byte.
    const size = align(align(DELTA + delta.length * 4) + capacity) + 8 * capacity + 64;
    const memory = new WASM!.Memory({ initial: Math.ceil(size / PAGE) });
    const instance = new WASM!.Instance(mod, { m: { memory } });
    return new WasmScanner(memory, instance, byteClass, delta, capacity);
  }

  /**
   * Runs the STREAMS streams over the part already copied to `bufferAt` (segments given as offsets
   * into it) for `n` steps each, each stream writing its events in its own area.
   */
  run(starts: number[], lengths: number[]): WasmEvents {
    const n = Math.min(...lengths);
    const ctrl = CTRL / 4;
    const ranges: Array<[number, number]> = [];
    let area = this.eventsAt;
    for (let j = 0; j < STREAMS; j++) {
      this.ints[ctrl + 3 * j] = this.bufferAt + starts[j]!;
      this.ints[ctrl + 3 * j + 1] = area;
      this.ints[ctrl + 3 * j + 2] = 0;
      ranges.push([area / 4, 0]);
      area += 8 * lengths[j]!;
    }
    this.scan(n);
    const positions: number[] = [];
    const states: number[] = [];
    for (let j = 0; j < STREAMS; j++) {
      positions.push(this.ints[ctrl + 3 * j]! - this.bufferAt);
      ranges[j]![1] = this.ints[ctrl + 3 * j + 1]! / 4;
      states.push(this.ints[ctrl + 3 * j + 2]!);
    }
    return { ints: this.ints, ranges, positions, states };
  }
}

function align(n: number): number {
  return (n + 63) & ~63;
}
