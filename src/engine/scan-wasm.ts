// The automaton's interleaved-streams loop as a tiny WebAssembly function, assembled here at run
// time (no toolchain, no binary in the repository). Same tables, same transitions and the same
// events as runFourStreams in byte-path.ts, which stays as the reference and the fall-back; the
// wasm loop has no bounds checks, where a 100 MB
// log spends its time. Used by the byte path and, for long Latin-1 texts, by the string scan.
// Memory layout (byte addresses):
//   0..255         class of each byte (u8)
//   CTRL..         per stream j: event pointer e[j], state s[j] (i32), in and out
//   DELTA..        the transition table (i32, states pre-multiplied by the class count)
//   then one slot per stream for its segment's bytes, then one event area per stream:
//   (offset in the segment, state or -1 for an LF)

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
const CONST = 0x41, EQZ = 0x45, EQ = 0x46, NE = 0x47, LT_S = 0x48, ADD = 0x6a, SUB = 0x6b, OR = 0x72, SHL = 0x74;

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

/**
 * scan(n): n steps (n even) of the STREAMS streams; stream j reads its bytes at slotAt + j * slotSize
 * (constants of the code, so one counter k indexes every stream), its event pointer and state
 * are in CTRL, in and out. An event is (k, state) or (k, -1) for an LF.
 */
function scanBody(slotAt0: number, slotSize: number): number[] {
  // Locals: 0 n (param), 1 k, then e and s of each stream.
  const K = 1, E = (j: number) => 2 + j, S = (j: number) => 2 + STREAMS + j;
  const code: number[] = [];
  for (let j = 0; j < STREAMS; j++) {
    code.push(CONST, 0, LOAD, 2, ...uleb(CTRL + 8 * j), SET, E(j));
    code.push(CONST, 0, LOAD, 2, ...uleb(CTRL + 8 * j + 4), SET, S(j));
  }
  code.push(BLOCK, VOID, GET, 0, EQZ, BR_IF, 0, LOOP, VOID);
  // Two bytes per turn of the loop (n is even): half the loop's own instructions.
  for (const at of [0, 1]) {
    const slotAt = (j: number) => uleb(slotAt0 + j * slotSize + at);
    for (let j = 0; j < STREAMS; j++) {
      // s = delta[s + class[byte k + at of slot j]]
      code.push(GET, S(j), GET, K, LOAD8U, 0, ...slotAt(j), LOAD8U, 0, 0, ADD, CONST, 2, SHL, LOAD, 2, ...uleb(DELTA), SET, S(j));
    }
    code.push(GET, S(0));
    for (let j = 1; j < STREAMS; j++) code.push(GET, S(j), OR);
    code.push(CONST, 0, LT_S, IF, VOID);
    for (let j = 0; j < STREAMS; j++) {
      code.push(GET, S(j), CONST, 0, LT_S, IF, VOID);
      code.push(GET, E(j), GET, K, CONST, at, ADD, STORE, 2, 0);
      code.push(GET, K, LOAD8U, 0, ...slotAt(j), CONST, 10, EQ, IF, VOID);
      code.push(GET, E(j), CONST, ...sleb(-1), STORE, 2, 4, CONST, 0, SET, S(j));
      code.push(ELSE);
      // A keyword end: -(t + 1) -> t
      code.push(CONST, ...sleb(-1), GET, S(j), SUB, SET, S(j), GET, E(j), GET, S(j), STORE, 2, 4);
      code.push(END);
      code.push(GET, E(j), CONST, 8, ADD, SET, E(j));
      code.push(END);
    }
    code.push(END);
  }
  code.push(GET, K, CONST, 2, ADD, TEE, K, GET, 0, NE, BR_IF, 0, END, END);
  for (let j = 0; j < STREAMS; j++) {
    code.push(CONST, 0, GET, E(j), STORE, 2, ...uleb(CTRL + 8 * j));
    code.push(CONST, 0, GET, S(j), STORE, 2, ...uleb(CTRL + 8 * j + 4));
  }
  code.push(END);
  const locals = vec([[1 + 2 * STREAMS, 0x7f]]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** Compiled modules by layout (the slots' addresses are constants of the code). */
const compiled = new Map<string, object | null>();

function moduleBytes(slotAt: number, slotSize: number): Uint8Array {
  const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  const type = section(1, vec([[0x60, ...vec([[0x7f]]), ...vec([])]]));
  // (import "m" "memory" (memory 1))
  const imports = section(2, vec([[...name("m"), ...name("memory"), 0x02, 0x00, 1]]));
  const funcs = section(3, vec([[0]]));
  const exports = section(7, vec([[...name("scan"), 0x00, 0]]));
  const code = section(10, vec([scanBody(slotAt, slotSize)]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

/** The compiled module for a layout, or undefined where WebAssembly is not available. */
function wasmModule(slotAt: number, slotSize: number): object | undefined {
  const key = `${slotAt}:${slotSize}`;
  if (!compiled.has(key)) {
    try {
      if (!WASM) throw new Error("no WebAssembly");
      compiled.set(key, new WASM.Module(moduleBytes(slotAt, slotSize)));
    } catch {
      compiled.set(key, null);
    }
  }
  return compiled.get(key) ?? undefined;
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

/** Events of one scan: for each stream, [from, to) in `ints` (Int32 indexes), pairs of (offset in the segment, state). */
export interface WasmEvents {
  ints: Int32Array;
  ranges: Array<[number, number]>;
  /** How far every stream went (the shortest segment's length), and each stream's state there. */
  done: number;
  states: number[];
}

/**
 * One scanner's memory: its own copy of the transition table (silenced in place), STREAMS slots
 * of `slotSize` bytes for the segments of a part, and the event areas.
 */
export class WasmScanner {
  readonly delta: Int32Array;
  readonly bytes: Uint8Array;
  readonly slotSize: number;
  private readonly slotsAt: number;
  private readonly ints: Int32Array;
  private readonly eventsAt: number;
  private readonly scan: (n: number) => void;

  private constructor(memory: { buffer: ArrayBuffer }, scan: (n: number) => void, byteClass: Uint8Array, delta: Int32Array, slotsAt: number, slotSize: number) {
    const buffer = memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.ints = new Int32Array(buffer);
    this.bytes.set(byteClass, 0);
    this.delta = new Int32Array(buffer, DELTA, delta.length);
    this.delta.set(delta);
    this.slotsAt = slotsAt;
    this.slotSize = slotSize;
    this.eventsAt = align(slotsAt + STREAMS * slotSize);
    this.scan = scan;
  }

  /** A scanner for segments of up to `slotSize` bytes, or undefined without WebAssembly. */
  static create(byteClass: Uint8Array, delta: Int32Array, slotSize: number): WasmScanner | undefined {
    const size = align(slotSize);
    const slotsAt = align(DELTA + delta.length * 4);
    const mod = wasmModule(slotsAt, size);
    if (!mod) return undefined;
    // The slots, then at most one event (8 bytes) per byte.
    const total = align(slotsAt + STREAMS * size) + 8 * STREAMS * size + 64;
    const memory = new WASM!.Memory({ initial: Math.ceil(total / PAGE) });
    const instance = new WASM!.Instance(mod, { m: { memory } });
    return new WasmScanner(memory, instance.exports.scan as (n: number) => void, byteClass, delta, slotsAt, size);
  }

  /** Where segment j's bytes go in `bytes` before `run`. */
  slotAt(j: number): number {
    return this.slotsAt + j * this.slotSize;
  }

  /** Runs the streams over the segments copied to the slots, as far as the shortest one goes. */
  run(lengths: number[]): WasmEvents {
    // An even number of steps (the loop takes two at a time); the caller finishes each segment.
    const n = Math.min(...lengths) & ~1;
    const ctrl = CTRL / 4;
    const ranges: Array<[number, number]> = [];
    for (let j = 0; j < STREAMS; j++) {
      const area = this.eventsAt + 8 * j * this.slotSize;
      this.ints[ctrl + 2 * j] = area;
      this.ints[ctrl + 2 * j + 1] = 0;
      ranges.push([area / 4, 0]);
    }
    this.scan(n);
    const states: number[] = [];
    for (let j = 0; j < STREAMS; j++) {
      ranges[j]![1] = this.ints[ctrl + 2 * j]! / 4;
      states.push(this.ints[ctrl + 2 * j + 1]!);
    }
    return { ints: this.ints, ranges, done: n, states };
  }
}

function align(n: number): number {
  return (n + 63) & ~63;
}
