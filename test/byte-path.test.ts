// The byte path (streamed bytes, engine/byte-path.ts) must give exactly the string path's
// answer (engine.diagnose on the decoded log), whatever the string path answers: for every
// corpus log and every rule example, as plain UTF-8, CRLF, lone CR, ANSI-coloured, gzip, with
// a BOM and as UTF-16, read in small blocks (so that lines and windows cross block
// boundaries) and in the CLI's default blocks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { RuleEngine } from "../src/engine/engine.js";
import { createEngine } from "../src/engine/index.js";
import { decodeLog } from "../src/input/decode-log.js";
import { LogSource, SMALL_LOG_BYTES, diagnoseSource } from "../src/input/log-source.js";
import { FAILURES, buildkitLog } from "../bench/generate-log.js";

const engine: RuleEngine = createEngine();
const MAX = 64 * 1024 * 1024;

const dir = join(import.meta.dirname, "fixtures", "logs");
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith(".log"))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));
const examples = engine.rules.flatMap(({ rule }) =>
  [...rule.examples.match, ...rule.examples.nearMiss].map((ex, i) => ({ name: `${rule.id} example ${i}`, text: ex.log })),
);

/** The engine, recording the text the byte path hands on to it. */
function handedOn(): { spy: RuleEngine; seen: string[] } {
  const seen: string[] = [];
  const spy = Object.create(engine) as RuleEngine;
  spy.diagnosePrepared = (text, lang) => {
    seen.push(text);
    return engine.diagnosePrepared(text, lang);
  };
  return { spy, seen };
}

/** Colours words the way build tools do, splitting some keywords with escape codes. */
function coloured(text: string): string {
  return text
    .split("\n")
    .map((l, i) => (i % 3 === 0 ? `\x1b[36m${l}\x1b[0m` : l.replace(/\b(ERROR|error|failed|denied|not found)\b/g, "\x1b[1;31m$1\x1b[0m")))
    .join("\n")
    .replace(/failed to solve/g, "failed\x1b[0m to \x1b[2Ksolve");
}

const VARIANTS: Record<string, (text: string) => Buffer> = {
  utf8: (t) => Buffer.from(t),
  crlf: (t) => Buffer.from(t.replace(/\n/g, "\r\n")),
  cr: (t) => Buffer.from(t.replace(/\n/g, "\r")),
  ansi: (t) => Buffer.from(coloured(t)),
  gzip: (t) => gzipSync(Buffer.from(t)),
  bom: (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]),
  utf16: (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t.replace(/\n/g, "\r\n"), "utf16le")]),
  // Jenkins' timestamper / VS Code's Dev Containers log in front of every line
  stamped: (t) => Buffer.from(t.replace(/^/gm, "[2025-03-07T21:03:53.179Z] ")),
};

type Outcome = { result?: unknown; error?: string };

function stringPath(bytes: Buffer): Outcome {
  try {
    return { result: engine.diagnose(decodeLog(bytes, MAX)) };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

async function bytePath(bytes: Buffer, blockSize: number | undefined, bailed: string[]): Promise<Outcome> {
  try {
    const result = await diagnoseSource(engine, LogSource.fromBuffer(bytes), { maxBytes: MAX, blockSize, onBailOut: (why) => bailed.push(why) });
    return { result };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

async function compare(cases: Array<{ name: string; text: string }>, blockSize: number | undefined): Promise<{ runs: number; bailed: string[] }> {
  const bailed: string[] = [];
  let runs = 0;
  for (const c of cases) {
    for (const [variant, encode] of Object.entries(VARIANTS)) {
      const bytes = encode(c.text);
      const expected = stringPath(bytes);
      const got = await bytePath(bytes, blockSize, bailed);
      runs++;
      // JSON, as `diagnose --json` and the chat renderers see it.
      expect(JSON.parse(JSON.stringify(got)), `${c.name} (${variant}, blocks ${blockSize ?? "default"})`).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  }
  return { runs, bailed };
}

/** The byte path hands `text` to the string path for `reason`, and both answer with `ruleId`. */
async function expectHandedOn(text: string, ruleId: string, reason: string): Promise<void> {
  const bailed: string[] = [];
  const got = await bytePath(Buffer.from(text), undefined, bailed);
  expect(got).toEqual(stringPath(Buffer.from(text)));
  expect(JSON.stringify(got)).toContain(ruleId);
  expect(bailed.join()).toContain(reason);
}

describe("byte path = string path", () => {
  it("on every corpus log and its encodings, in small blocks", async () => {
    const { runs, bailed } = await compare(corpus, 4096);
    // The comparison must exercise the byte path, not its fall-back to the string path. (Pastes
    // whose hard wraps the string path joins go to it: about 6 % of these runs.)
    expect(bailed.filter((b) => !b.includes("hard wrap")).length, bailed.join("\n")).toBeLessThan(runs * 0.05);
    expect(bailed.length, bailed.join("\n")).toBeLessThan(runs * 0.1);
  }, 300_000);

  it("on pastes a terminal hard-wrapped, whose wraps the string path joins (fresh logs)", async () => {
    // The wrapped line and its neighbours are handed on; when the reduced text's repair joins them,
    // the paste goes to the string path (a join may make a hit whose windows the pass did not keep).
    const fresh = join(import.meta.dirname, "fixtures", "fresh");
    const cases = [
      "set-7/copy-source-not-found--dockerfile-maven-target-lib.log",
      "set-32/run-step-failed--platformio-devcontainer-argument-list-too-long.log",
      "set-18/no-output-docker-container-driver--vscode-volume-bootstrap.log",
    ].map((f) => ({ name: f, text: readFileSync(join(fresh, f), "utf8").replace(/^(?:# (?:source|why):[^\n]*\n)+/, "") }));
    for (const c of cases) expect(engine.diagnose(c.text).diagnoses[0]?.confidence, c.name).toMatch(/high|medium/);
    await compare(cases, 4096);
  }, 120_000);

  it("repairs a paste over 256 KiB in bytes but under it in characters as the string path does", async () => {
    // The string path's repair limit counts prepared characters: Chinese lines are 3 bytes a character.
    const fresh = join(import.meta.dirname, "fixtures", "fresh");
    const wrapped = readFileSync(join(fresh, "set-7/copy-source-not-found--dockerfile-maven-target-lib.log"), "utf8").replace(/^(?:# (?:source|why):[^\n]*\n)+/, "");
    let head = "";
    for (let i = 0; Buffer.byteLength(head) < 270 * 1024; i++) head += `${String(i).padStart(5, "0")} 正在下载依赖包，请稍候，构建仍在进行中。\n`;
    const text = head + wrapped;
    expect(Buffer.byteLength(text)).toBeGreaterThan(256 * 1024);
    expect(text.length).toBeLessThan(256 * 1024);
    const bytes = Buffer.from(text);
    const expected = stringPath(bytes);
    expect((expected.result as { diagnoses: Array<{ confidence: string }> }).diagnoses[0]?.confidence).toMatch(/high|medium/);
    const bailed: string[] = [];
    expect(JSON.parse(JSON.stringify(await bytePath(bytes, 65536, bailed)))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(bailed).toEqual(["over the repair limit in bytes, maybe not in characters"]);
  });

  it("keeps a classic verdict's bare opening, whatever the step's shell, since it closes the output above it", async () => {
    const pad = Array.from({ length: 5 }, (_, i) => `x${i}`).join("\n");
    const cases = ["'/bin/sh -c curl x", "'cmd /S /C curl x", "'powershell iwr x"].map((open) => ({
      name: open,
      text: `curl: (6) Could not resolve host: example.com\n${pad}\nThe command ${open}\n`,
    }));
    for (const c of cases) expect(engine.diagnose(c.text).diagnoses[0]?.confidence, c.name).toBe("high");
    await compare(cases, 4096);
  });

  it("counts a CRLF split across two blocks as one line break, before a block of LF-only lines", async () => {
    // The CR is the block's last byte; the next block (no CR in it) starts with the LF.
    let head = "";
    for (let i = 0; head.length < 65536 - 40; i++) head += `progress line ${String(i).padStart(6, "0")} ok\r\n`;
    head += `${"x".repeat(65536 - head.length - 1)}\r\n`;
    let tail = "";
    for (let j = 0; j < 1500; j++) tail += `plain line ${String(j).padStart(6, "0")} of the build\n`;
    tail += 'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref abc::def: "/app/dist": not found\n';
    const bytes = Buffer.from(head + tail);
    expect(bytes[65535]).toBe(0x0d);
    const got = await bytePath(bytes, 65536, []);
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(stringPath(bytes))));
  });

  it("on 10 long logs made of the corpus logs, in large blocks (four interleaved streams)", async () => {
    const long = Array.from({ length: 10 }, (_, g) => {
      const part = corpus.filter((_c, i) => i % 10 === g);
      // Repeated past the size the string path repairs (256 KiB of prepared characters; CRLF, UTF-8
      // and ANSI variants shrink, so 1 MiB of bytes): long logs are CI logs, not pastes.
      const once = part.map((c) => c.text).join("\n");
      let text = once;
      while (text.length <= 1100 * 1024) text += `\n${once}`;
      return { name: `${part[0]!.name} + ${part.length - 1} more`, text };
    });
    expect(long.every((l) => l.text.length > 1100 * 1024)).toBe(true);
    const { runs, bailed } = await compare(long, 1024 * 1024);
    // Most of these hold a `notInRun` rule's line somewhere, or a line ending in `: ` or a hard
    // wrap that the string path joins to the next (the byte path then hands the log to the string
    // path); the rest must take the byte path.
    expect(bailed.filter((b) => !b.includes("notInRun") && !b.includes("ends in ': '") && !b.includes("hard wrap")), bailed.join("\n")).toEqual([]);
    expect(bailed.length).toBeLessThan(runs * 0.8);
  }, 300_000);

  it("on a long generated build, whose repeated export lines stop being handed on once what they say is known", async () => {
    // Export steps (`exporting layers`) repeat all through a long build; they only tell that this
    // is Docker output, known from the first lines.
    const bytes = Buffer.from(buildkitLog(6 * 1024 * 1024, 5, FAILURES));
    const { spy, seen } = handedOn();
    const got = await diagnoseSource(spy, LogSource.fromBuffer(bytes), { maxBytes: MAX, blockSize: 1024 * 1024 });
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(stringPath(bytes).result)));
    const exporting = (text: string) => text.split("\n").filter((l) => l.endsWith(" exporting layers")).length;
    expect(exporting(bytes.toString())).toBeGreaterThan(100);
    expect(exporting(seen[0]!)).toBeLessThan(5);
  }, 300_000);

  it("stops handing on platform-named step headers once the platform is known", async () => {
    // A multi-platform build names every step `[linux/amd64 ...]`; only the first says anything.
    const steps = Array.from({ length: 20_000 }, (_, i) => `#${i + 10} [linux/amd64 build 2/4] RUN echo ${i}\n#${i + 10} DONE 0.1s\n`).join("");
    const text = `#1 [internal] load build definition from Dockerfile\n${steps}#99999 [linux/arm64 build 4/4] RUN npm ci\n#99999 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 132\n`;
    const bytes = Buffer.from(text);
    const { spy, seen } = handedOn();
    const got = await diagnoseSource(spy, LogSource.fromBuffer(bytes), { maxBytes: MAX, blockSize: 1024 * 1024 });
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(stringPath(bytes).result)));
    expect(got.diagnoses[0]?.ruleId).toBe("qemu-emulation-crash");
    expect(seen[0]!.split("[linux/amd64").length - 1).toBeLessThan(1_000);
  }, 300_000);

  it("hands on only the last classic step header before a kept line, not every one", async () => {
    // A log of nothing but `Step N/M : RUN` headers must not be kept whole; the failing step's
    // header, far below the others, still gives its error line its context.
    const steps = Array.from({ length: 20_000 }, (_, i) => `Step ${i + 2}/20002 : RUN echo ${i}\n`).join("");
    const text = `Sending build context to Docker daemon  2.048kB\nStep 1/20002 : FROM python:2.7-alpine\n${steps}Step 20002/20002 : RUN pip install -r requirements.txt\n ---> Running in a692c0566ff4\nERROR: Package 'gunicorn' requires a different Python: 2.7.17 not in '>=3.4'\n`;
    const bytes = Buffer.from(text);
    const { spy, seen } = handedOn();
    const got = await diagnoseSource(spy, LogSource.fromBuffer(bytes), { maxBytes: MAX, blockSize: 1024 * 1024 });
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(stringPath(bytes).result)));
    expect(got.diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
    // The first header (a probe reads its FROM) and the window the rules read above the error.
    expect(seen[0]).not.toContain("Step 10000/20002");
    expect(seen[0]!.split("Step ").length - 1).toBeLessThan(1_000);
  }, 300_000);

  it("keeps the step header that gives a later hit its context, however far above", async () => {
    // `#7 [2/5] COPY` makes step 7 a COPY step: its connection error is not a container's start.
    // The header is 10 or 3 000 lines above (in the ring of recent lines, or long out of it),
    // with other steps' lines and headers in between, in small and default blocks.
    const head = `#1 [internal] load build definition from Dockerfile\n${"output\n".repeat(5000)}$ docker run --rm app\n`;
    const cases = [10, 3000].flatMap((gap) => [
      { name: `COPY header ${gap} lines above`, text: `${head}#7 [2/5] COPY . .\n${"#7 copying\n".repeat(gap)}#7 connect: connection refused\n` },
      {
        name: `COPY header ${gap} lines above, steps interleaved`,
        text: `${head}#6 [1/5] RUN make\n#7 [2/5] COPY . .\n${"#6 0.1 compiling\n#7 copying\n".repeat(gap / 2)}#8 [3/5] RUN x\n#6 0.2 connect: connection refused\n#7 connect: connection refused\n#9 connect: connection refused\n`,
      },
    ]);
    for (const blockSize of [4096, undefined]) {
      const { bailed } = await compare(cases, blockSize);
      expect(bailed).toEqual([]);
    }
  }, 300_000);

  it("agrees on where a build ended: a numbered step after `naming to`, Compose's service lines, a CMD step's `Running in`", async () => {
    const filler = "#13 0.5 fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz\n".repeat(3000);
    const cases = [
      {
        name: "numbered RUN step after a finished build",
        text: `#12 naming to docker.io/library/a:latest done\n#13 [b 2/3] RUN apk add curl\n${filler}exec /bin/sh: exec format error\nERROR: process "/bin/sh -c apk add curl" did not complete successfully: exit code: 1\n`,
      },
      {
        name: "service lines after a classic RUN step",
        text: `Step 4/4 : RUN npm run build\n ---> Running in 1a2b3c4d5e6f\n${"npm info ok\n".repeat(3000)}web-1  | Step 9/9 : RUN make\nweb-1  | qemu: uncaught target signal 4 (Illegal instruction) - core dumped\n`,
      },
      {
        name: "a CMD step's Running in, then a finished build",
        text: `Step 2/2 : CMD ["/app/start"]\n ---> Running in ede1a47f24c0\n${"Removing intermediate container ede1a47f24c0\n".repeat(3000)}Successfully built 86d4fc5b2f41\nstandard_init_linux.go:211: exec user process caused "exec format error"\n`,
      },
    ];
    for (const blockSize of [4096, undefined]) await compare(cases, blockSize);
  }, 300_000);
  it("keeps the lines a generic hit reads Docker's words from, however common their words", async () => {
    // (kaniko's snapshot line holds a keyword whose probe is done by then: only the hit's window keeps it)
    const filler = "  ready: false\n".repeat(10);
    const cases = [
      { name: "kaniko snapshot", text: `#1 [internal] load build definition from Dockerfile\nINFO[0019] Taking snapshot of full filesystem...\nINFO[0020] Taking snapshot of full filesystem...\n${filler}go: example.com/x@v1.2.0: dial tcp: lookup proxy.golang.org: no such host\n` },
      { name: "buildah step", text: `STEP 8: RUN gpg --recv-keys 0E16\n${filler}gpg: keyserver receive failed: No name\n` },
    ];
    for (const blockSize of [4096, undefined]) await compare(cases, blockSize);
    expect(engine.diagnose(cases[1]!.text).diagnoses[0]?.confidence).not.toBe("low");
  }, 300_000);
  it("on every rule example and its encodings, in the default blocks", async () => {
    const { runs, bailed } = await compare(examples, undefined);
    expect(bailed.length, bailed.join("\n")).toBeLessThan(runs * 0.05);
  }, 300_000);

  it("on inputs the input checks refuse, with the same errors", async () => {
    for (const text of ["", "  \n\t\n", "docker build .\n\u0000\u0001binary", "\ufffd".repeat(40) + "\n" + "x".repeat(100)]) {
      const bytes = Buffer.from(text);
      const got = await bytePath(bytes, 4096, []);
      expect(got.error).toBeDefined();
      expect(got).toEqual(stringPath(bytes));
    }
  });

  it("on windows and facts that cross many blocks of a long log", async () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `#7 ${(i / 100).toFixed(2)} Setting up libfoo${i}:amd64 (1.0.${i}) ...`).join("\n");
    const failure = corpus.find((c) => c.name.startsWith("exec-format-error"))!.text;
    const text = `docker buildx build --platform linux/arm64 -t ghcr.io/acme/app:1 .\n${filler}\n${failure}\n${filler}\n`;
    // Tiny blocks cannot hold a 400-line lookback: those may fall back, the CLI's may not.
    for (const block of [512, 4096]) expect(await bytePath(Buffer.from(text), block, [])).toEqual(stringPath(Buffer.from(text)));
    const bailed: string[] = [];
    for (const block of [65_536, undefined]) expect(await bytePath(Buffer.from(text), block, bailed)).toEqual(stringPath(Buffer.from(text)));
    expect(bailed).toEqual([]);
  });

  it("gives a paste with a chain wrapped at `: ` to the string path, which joins it", async () => {
    const text = [
      "An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: User: arn:aws:sts::1:assumed-role/ci is not authorized to perform: ",
      "ecr:GetAuthorizationToken on resource: *",
      "",
    ].join("\n");
    await expectHandedOn(text, "wrong-credentials", "ends in ': '");
  });

  it("gives a message word-wrapped in an indented column to the string path, which joins it", async () => {
    const text = [
      "       Command failed with exit code 1: docker images -q app",
      "       Got permission denied while trying to ",
      "       connect to the Docker daemon socket at ",
      "       unix:///var/run/docker.sock: Get http://%2Fvar%2Frun%2Fdocker.sock/v1.24/images/json: dial unix ",
      "       /var/run/docker.sock: connect: permission ",
      "       denied",
      "",
    ].join("\n");
    await expectHandedOn(text, "docker-socket-permission", "an indented one in a blank");
    // Buried among lines without a keyword, the wrapped lines are not kept in the reduced text, so only the bail-out
    // hands the log on (at the end of a short paste, the reduced text's own repair would join them anyway). Lines
    // shorter than a chain's 30 bytes count too: the string path's shape needs 13 characters.
    const filler = (from: number) => Array.from({ length: 2000 }, (_, i) => `[${String(from + i).padStart(5, "0")}] compiling module_${from + i}.c`);
    for (const wrapped of [
      ["       the copy of the layer stopped with no ", "       space left on device"],
      ["       copy stopped with no ", "       space left on device"],
    ]) {
      await expectHandedOn([...filler(0), ...wrapped, ...filler(2000), ""].join("\n"), "disk-full", "an indented one in a blank");
    }
  });

  it("keeps a long lookback that reaches above a shorter window kept just before it", async () => {
    const output = Array.from({ length: 120 }, (_, i) => `#12 1.${i} compiling module${i}.o`).join("\n");
    const text = [
      "#12 [builder 3/5] RUN make",
      "#12 0.9 src/main.c:12: undefined reference to `frobnicate'",
      output,
      "#12 2.0 exec /bin/sh: exec format error",
      '#12 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
      "",
    ].join("\n");
    const expected = stringPath(Buffer.from(text));
    expect(JSON.stringify(expected)).toContain("frobnicate");
    const bailed: string[] = [];
    expect(await bytePath(Buffer.from(text), undefined, bailed)).toEqual(expected);
    expect(bailed).toEqual([]);
  });
});

describe("which path a log takes", () => {
  it("a chat-sized plain log goes to the string path; a gzip one, a large one or a watched call to the byte path", async () => {
    const small = Buffer.from("#12 ERROR: failed to solve: process \"/bin/sh -c make\" did not complete successfully: exit code: 2\n");
    expect(LogSource.fromBuffer(small).isSmallPlain(SMALL_LOG_BYTES)).toBe(true);
    expect(LogSource.fromBuffer(gzipSync(small)).isSmallPlain(SMALL_LOG_BYTES)).toBe(false);
    expect(LogSource.fromBuffer(Buffer.alloc(SMALL_LOG_BYTES + 1, 0x61)).isSmallPlain(SMALL_LOG_BYTES)).toBe(false);
    // the same answer either way
    const direct = await diagnoseSource(engine, LogSource.fromBuffer(small), { maxBytes: MAX });
    const bailed: string[] = [];
    const watched = await diagnoseSource(engine, LogSource.fromBuffer(small), { maxBytes: MAX, onBailOut: (why) => bailed.push(why) });
    expect(direct).toEqual(watched);
    expect(direct).toEqual(engine.diagnose(small.toString("utf8")));
  });
});
