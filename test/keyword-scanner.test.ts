import { describe, expect, it } from "vitest";
import { KeywordScanner } from "../src/engine/scan.js";

// A small deterministic PRNG, so a failure shows the same text again.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** What the scanner must report: per line, every keyword it holds, ASCII case folded. */
function naive(text: string, keywords: string[]): Array<[number, string[]]> {
  const out: Array<[number, string[]]> = [];
  let start = 0;
  for (const line of text.split("\n")) {
    const folded = line.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const found = keywords.filter((k) => folded.includes(k)).sort();
    if (found.length) out.push([start, found]);
    start += line.length + 1;
  }
  return out;
}

describe("KeywordScanner", () => {
  const keywords = ["docker", "] run ", "exec format error", "format", "rror: e", "step 1", "x", "écrit", "🐳 go"];
  const words = ["Docker", "] RUN ", "exec", "format", "error:", "STEP 1", "step", "é", "écrit", "🐳", " go", "\n", "\n", " ", "a", "zz", "#12 0.31"];

  it("reports every keyword of every line, also when the text is split into parallel parts", () => {
    const rand = rng(11);
    const scanner = new KeywordScanner(keywords);
    // Without the whale the text is Latin-1, and the long ones take the WebAssembly loop.
    for (const vocabulary of [words, words.filter((w) => w !== "🐳")]) {
      for (const size of [0, 50, 4_000, 5_000, 40_000, 150_000, 2_500_000]) {
        let text = "";
        while (text.length < size) text += vocabulary[Math.floor(rand() * vocabulary.length)]!;
        const got = scanner.scan(text).map((l): [number, string[]] => [l.start, [...l.keywords].sort()]);
        expect(got).toEqual(naive(text, keywords));
      }
    }
  });

  it("never counts a keyword that begins on the line before", () => {
    const scanner = new KeywordScanner(["format error"]);
    const text = `${"a\n".repeat(3000)}format\nerror\n${"b\n".repeat(3000)}`;
    expect(scanner.scan(text)).toEqual([]);
  });
});
