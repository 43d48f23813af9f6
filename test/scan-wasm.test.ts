import { describe, expect, it } from "vitest";
import { ByteAutomaton } from "../src/engine/scan-bytes.js";
import { STREAMS, WasmScanner, segmentStarts } from "../src/engine/scan-wasm.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe("the WebAssembly scan loop", () => {
  it("finds, per line, the same keywords as the automaton read line by line", () => {
    const keywords = ["docker", "] run ", "exec format error", "format", "rror: e", "écrit"];
    const auto = new ByteAutomaton(keywords);
    const words = ["Docker", "] RUN ", "exec", " format", " error:", "é", "écrit", "\n", "\n", " ", "zz", "#12 0.31 "];
    const rand = rng(5);
    let text = "";
    while (text.length < 200_000) text += words[Math.floor(rand() * words.length)]!;
    text += "\n";
    const bytes = Buffer.from(text, "utf8");

    // Segments starting at line starts, as the byte path cuts them.
    const starts = segmentStarts(bytes.length, (from) => bytes.indexOf(0x0a, from));
    expect(new Set(starts).size).toBe(STREAMS);
    const ends = [...starts.slice(1), bytes.length];
    const wasm = WasmScanner.create(auto.byteClass, auto.delta, bytes.length)!;
    expect(wasm).toBeDefined();
    for (let j = 0; j < STREAMS; j++) bytes.copy(wasm.bytes, wasm.slotAt(j), starts[j]!, ends[j]!);
    const r = wasm.run(ends.map((e, j) => e - starts[j]!));

    // Per line (numbered by its line breaks), the keywords the wasm loop reported.
    const got: string[][] = [];
    let line: Set<string> = new Set();
    const take = (at: number, state: number) => {
      if (state === -1) {
        got.push([...line].sort());
        line = new Set();
      } else for (const k of auto.outputsOf(state)) line.add(keywords[k]!);
      return at;
    };
    for (let j = 0; j < STREAMS; j++) {
      const [a, b] = r.ranges[j]!;
      for (let e = a; e < b; e += 2) take(r.ints[e]! + starts[j]!, r.ints[e + 1]!);
      // The rest of a segment, byte by byte, as the byte path finishes it in JavaScript.
      let s = r.states[j]!;
      for (let i = starts[j]! + r.done; i < ends[j]!; i++) {
        s = auto.delta[s + auto.byteClass[bytes[i]!]!]!;
        if (s < 0) s = bytes[i] === 0x0a ? (take(i, -1), 0) : (take(i, -s - 1), -s - 1);
      }
    }

    const want = text
      .split("\n")
      .slice(0, -1)
      .map((l) => {
        const found = new Set<number>();
        auto.keywordsIn(Buffer.from(l, "utf8"), found);
        return [...found].map((k) => keywords[k]!).sort();
      });
    expect(got).toEqual(want);
  });
});

describe("a clone of the byte automaton", () => {
  const found = (a: ByteAutomaton, text: string) => {
    const out = new Set<number>();
    a.keywordsIn(Buffer.from(text), out);
    return [...out].sort();
  };
  it("shares its table until one side silences, and then neither changes the other", () => {
    const keywords = ["no space left", "timed out", "denied"];
    const source = new ByteAutomaton(keywords);
    const line = "write: no space left on device; read timed out; denied";
    const a = source.clone();
    const b = source.clone();
    expect(a.delta).toBe(source.delta); // shared, not copied up front
    a.silence((k) => k === 0);
    b.silence((k) => k === 1);
    expect(a.delta).not.toBe(source.delta);
    expect(found(source, line)).toEqual([0, 1, 2]);
    expect(found(a, line)).toEqual([1, 2]);
    expect(found(b, line)).toEqual([0, 2]);
    // the source silencing after it was cloned copies its own table too
    const c = source.clone();
    source.silence((k) => k === 2);
    expect(found(c, line)).toEqual([0, 1, 2]);
    expect(found(source, line)).toEqual([0, 1]);
  });
});
