// What of a log reaches the model: the errors (last and first above all), the tail, deduplicated
// and cut to the token budget, from a 50 MB log as from a short one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotService } from "../src/core/bot-service.js";
import { LlmFallback } from "../src/llm/fallback.js";
import { cutMiddle, estimateTokens, failingStep, windowLog } from "../src/llm/window.js";
import { Store } from "../src/store/store.js";
import { FakeOpenAI, answerContent, llmConfigFor } from "./helpers/fake-openai.js";
import { builtinEngine } from "./helpers/engine.js";

const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu"];
const word = (n: number) => WORDS[n % WORDS.length]!;

interface BigLog {
  text: string;
  lines: number;
  /** 1-based line numbers of planted lines. */
  firstError: number;
  lastError: number;
}

// A team's own fetch script: wordings no rule knows, so the rules stay low and the model is asked.
const FIRST_ERROR = "fetch-deps: acme/first-dep 1.0.0: error: checksum missing in deps.lock";
const LAST_ERROR = "fetch-deps: acme/last-dep 2.3.4: fatal: unknown revision, the mirror has no such tag";

/** About `mb` MB of BuildKit output: module downloads, warnings with errors in them, and a failure at the end. */
function bigLog(mb: number): BigLog {
  const out: string[] = [];
  let size = 0;
  const push = (l: string) => {
    out.push(l);
    size += l.length + 1;
  };
  push("docker buildx build --platform linux/amd64 -t acme/big:7 .");
  push("#1 [internal] load build definition from Dockerfile");
  push("#12 [builder 4/9] RUN ./scripts/fetch-deps.sh");
  push(`#12 0.512 ${FIRST_ERROR}`);
  const firstError = out.length;
  let i = 0;
  while (size < mb * 1024 * 1024) {
    const t = (i / 100).toFixed(3);
    if (i % 5000 === 4999) push(`#12 ${t} warning: ${word(i)} ${word(i >> 3)} module ${word(i >> 7)}: failed to verify, retrying`);
    else push(`#12 ${t} go: downloading github.com/${word(i)}/${word(i >> 5)}-${word(i >> 10)} v0.${i % 40}.${i % 7}`);
    i++;
  }
  push(`#12 812.100 ${LAST_ERROR}`);
  const lastError = out.length;
  push("#12 ERROR: build step exited unexpectedly");
  push("ERROR: failed to build: sealed go module proxy rejected the request");
  return { text: out.join("\n"), lines: out.length, firstError, lastError };
}

describe("estimateTokens", () => {
  it("counts about four ASCII characters per token and one per CJK character", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd".repeat(100))).toBe(100);
    expect(estimateTokens("构建失败")).toBe(4);
  });
});

describe("cutMiddle", () => {
  it("keeps head and tail and never leaves half a word at the cut", () => {
    const token = "ghp_" + "A".repeat(36);
    const line = `${"x ".repeat(100)}${token} ${"y ".repeat(100)}`;
    const cut = cutMiddle(line, 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toContain(" … ");
    for (const w of cut.split(" ")) expect(w === "x" || w === "y" || w === "…" || w === "").toBe(true);
  });
});

describe("failingStep", () => {
  it("finds the failed step's instruction in BuildKit and classic output", () => {
    expect(failingStep("#12 [builder 4/9] RUN go mod download\n#13 [builder 5/9] COPY . .\n------\n > [builder 4/9] RUN go mod download:\n------")).toBe("RUN go mod download");
    expect(failingStep(" => ERROR [build 3/6] RUN npm ci --token=abcdefsecret                12.3s")).toBe("RUN npm ci --token=****");
    expect(failingStep("Step 3/7 : RUN make all\n ---> Running in 0a1b2c\nmake: *** [all] Error 2")).toBe("RUN make all");
    expect(failingStep("ERROR: something with no steps")).toBeUndefined();
  });
});

describe("windowLog", () => {
  let big: BigLog;
  beforeAll(() => {
    big = bigLog(50);
  });

  it("fits a 50 MB log into the token budget, keeping the last and first errors and the tail", () => {
    expect(big.text.length).toBeGreaterThan(50 * 1024 * 1024);
    const w = windowLog(big.text, { tokenBudget: 6000 });
    expect(w.tokens).toBeLessThanOrEqual(6000);
    expect(w.tokens).toBeGreaterThan(3000);
    const at = (n: number) => w.lines.find((l) => l.line === n)?.text;
    expect(at(big.lastError)).toBe(LAST_ERROR);
    expect(at(big.firstError)).toBe(FIRST_ERROR);
    expect(at(big.lines)).toBe("ERROR: failed to build: sealed go module proxy rejected the request");
    expect(at(1)).toBe("docker buildx build --platform linux/amd64 -t acme/big:7 .");
    // In log order, each line once, and the excerpt says where lines were left out.
    const numbers = w.lines.map((l) => l.line);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(w.lines.map((l) => l.text)).size).toBe(w.lines.length);
    expect(w.text).toContain("\n…\n");
    expect(w.text.split("\n").filter((l) => l !== "…")).toHaveLength(w.lines.length);
  });

  it("uses real line numbers", () => {
    const w = windowLog(big.text, { tokenBudget: 2000 });
    const all = big.text.split("\n");
    for (const l of w.lines) expect(all[l.line - 1]!.endsWith(l.text.replace(/ … .*$/, "").slice(-20))).toBe(true);
  });

  it("cuts a smaller budget from the least important end: the decisive lines stay", () => {
    const w = windowLog(big.text, { tokenBudget: 300 });
    expect(w.tokens).toBeLessThanOrEqual(300);
    const numbers = w.lines.map((l) => l.line);
    expect(numbers).toContain(big.lastError);
    expect(numbers).toContain(big.lines);
    expect(numbers.length).toBeLessThan(20);
  });

  it("deduplicates lines that differ only in numbers and cleans CI and BuildKit prefixes", () => {
    const log = [
      "2024-05-01T10:00:00.1234567Z ##[group]Run docker/build-push-action@v5",
      "#5 1.001 Retrying in 1s (attempt 1/5): connection reset",
      "#5 2.002 Retrying in 2s (attempt 2/5): connection reset",
      "#5 4.004 Retrying in 4s (attempt 3/5): connection reset",
      "2024-05-01T10:00:09.0000000Z ##[error]buildx failed with: ERROR: failed to solve: could not fetch content",
    ].join("\r\n");
    const w = windowLog(log, { tokenBudget: 6000 });
    expect(w.lines.map((l) => l.text)).toEqual([
      "Run docker/build-push-action@v5",
      "Retrying in 4s (attempt 3/5): connection reset",
      "buildx failed with: ERROR: failed to solve: could not fetch content",
    ]);
    expect(w.lines.map((l) => l.line)).toEqual([1, 4, 5]);
  });

  it("keeps the first line and the last docker command, however far from the errors", () => {
    const noise = Array.from({ length: 200 }, (_, i) => `#4 ${i}.5 step ${word(i)} ${word(i >> 2)} ok`);
    const log = ["$ make image", ...noise, "+ docker buildx build --push -t ghcr.io/acme/web:3 .", ...noise, "ERROR: failed to solve: sealed proxy rejected the request"].join("\n");
    const w = windowLog(log, { tokenBudget: 400 });
    expect(w.lines.map((l) => l.line)).toEqual(expect.arrayContaining([1, 202, 403]));
    expect(w.lines.find((l) => l.line === 202)?.text).toBe("+ docker buildx build --push -t ghcr.io/acme/web:3 .");
  });

  it("copes with one enormous line", () => {
    const w = windowLog(`ERROR: ${"z".repeat(5 * 1024 * 1024)} end`, { tokenBudget: 6000 });
    expect(w.lines).toHaveLength(1);
    expect(w.lines[0]!.text.length).toBeLessThanOrEqual(400);
  });
});

describe("what is sent for a 50 MB log", () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await FakeOpenAI.start();
  });
  afterAll(async () => {
    await fake.close();
  });

  it("is one request within the budget, with the failing command and the facts", async () => {
    const big = bigLog(50);
    const service = new BotService(builtinEngine(), Store.create(undefined), new LlmFallback({ config: llmConfigFor(fake, { tokenBudget: 6000 }) }));
    const rules = service.diagnose(big.text).result;
    expect(rules.diagnoses.filter((d) => d.confidence !== "low")).toEqual([]);
    fake.script({ content: answerContent() });
    const { result } = await service.answer(big.text);
    expect(result.source).toBe("llm");
    expect(fake.requests).toHaveLength(1);
    const [system, user] = fake.requests[0]!.body.messages!;
    expect(estimateTokens(user!.content)).toBeLessThanOrEqual(6000 + 200);
    expect(estimateTokens(system!.content)).toBeLessThan(2500);
    expect(fake.requests[0]!.raw.length).toBeLessThan(60_000);
    expect(user!.content).toContain("- image: acme/big:7");
    expect(user!.content).toContain("Failing step: RUN ./scripts/fetch-deps.sh\n");
    expect(user!.content).toContain(`${big.lastError} | ${LAST_ERROR}`);
  });
});
