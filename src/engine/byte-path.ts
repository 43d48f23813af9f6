// The byte path: the same answer as `RuleEngine.diagnose(text)` (the string path, which stays
// the reference) for a log streamed as bytes, without decoding it or holding it in memory.
//
// One pass of a byte automaton (scan-bytes.ts) over fixed blocks picks the lines the engine
// would look at (those holding a keyword) and, around the lines where a rule's pattern
// matches, the windows its conditions read (`near`/`notNear` within, step-error lookback).
// Those lines, with every other line left out, make a reduced text that the engine itself
// diagnoses; evidence line numbers are mapped back to the log's. So rules, probes, facts and
// ranking are the engine's own code, never re-implemented here. What the pre-pass decides is
// only which lines the engine may skip, and it skips a line only when that cannot change the
// answer: a line with no keyword is never scanned by the engine, and a line whose keywords
// only feed idempotent probes whose conditions already hold adds nothing. Step headers set the
// context of later hits: an unnumbered one is always kept, a numbered one (`#7 [2/5] COPY`) is
// kept when a hit in its step needs it, however far below (put back in its place if it has
// already left the ring of recent lines).
//
// Whatever the pre-pass does not model exactly makes it give up (BailOut), and the caller
// runs the string path on the whole log: an ANSI OSC sequence or Slack link that could span
// lines, a `notInRun` rule that matched (it reads its whole run) and is not ruled out by its
// `whenNot` conditions, a window reaching further back than the two blocks kept, a UTF-16 log
// with lone surrogates.
import type { LoadedRule } from "../rules/load.js";
import type { Condition } from "../rules/schema.js";
import { detectLang } from "../i18n/detect-lang.js";
import { HEADER_KEYWORDS, closesStep, headerKind, runningIn } from "./context.js";
import { DOCKER_WINDOW, RuleEngine, STEP_LOOKBACK } from "./engine.js";
import { FactState, PROBES, type Probe } from "./facts.js";
import { type CleanLine, assertLogText, cleanLine, prepareText } from "./normalize.js";
import { MIN_WRAP, PADDED_MIN_RUN, PS_POSITION, REPAIR_LIMIT, TERMINAL_WIDTHS, rejoinWrapped } from "./repair.js";
import { ByteAutomaton, KIND_ESC, KIND_NL, KIND_OUT, ansiLength } from "./scan-bytes.js";
import { WasmScanner, segmentStarts } from "./scan-wasm.js";
import type { DiagnoseOptions, DiagnoseResult, Lang } from "./types.js";

/** repair.ts's MIN_CHAIN_WRAP, in bytes (a line that short is never joined). */
const CHAIN_MIN_BYTES = 30;

/** Whether the line [start, end) ends in `: ` or `, ` (before an optional `\r`), as repair.ts's isChainEnd. */
function endsInColonBlank(buf: Buffer, start: number, end: number): boolean {
  if (end > start && buf[end - 1] === 0x0d) end--;
  return end - start >= 2 && buf[end - 1] === 0x20 && (buf[end - 2] === 0x3a || buf[end - 2] === 0x2c);
}

/**
 * Whether the line [start, end) is indented and ends in one blank after a word, as repair.ts's isIndentedWordWrap
 * reads a Node CLI's word-wrapped column (the string path may join it to the next line).
 */
function endsInIndentedBlank(buf: Buffer, start: number, end: number): boolean {
  if (end > start && buf[end - 1] === 0x0d) end--;
  // (checked on lines of any length: the string path's shape needs 13 characters, not CHAIN_MIN_BYTES)
  return end - start >= 13 && buf[start] === 0x20 && buf[start + 1] === 0x20 && buf[end - 1] === 0x20 && buf[end - 2] !== 0x20;
}

/** Two runs of PADDED_MIN_RUN blanks or more, the first MIN_WRAP bytes in or further: maybe padded rows (repair.ts unpadRows). */
function hasPaddedRuns(buf: Buffer, start: number, end: number): boolean {
  let runs = 0;
  let blanks = 0;
  for (let i = start + MIN_WRAP; i < end; i++) {
    if (buf[i] === 0x20) {
      if (++blanks === PADDED_MIN_RUN && ++runs === 2) return true;
    } else blanks = 0;
  }
  return false;
}

/**
 * Whether the line [start, end) holds a byte that may make its length in bytes differ from the
 * string path's: UTF-8, ESC (ANSI codes), and the starts of what prepareText rewrites (an HTML
 * entity `&amp;`, a Slack link `<https://…|label>`, an Engine API message `{"stream":…}`).
 */
function hasWideByte(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 0x80 || b === 0x1b || b === 0x26 || b === 0x3c || b === 0x7b) return true;
  }
  return false;
}

export class BailOut extends Error {
  override readonly name = "BailOut";
}

/** Lines kept on each side of every window and candidate line beyond what rules ask for. */
const MARGIN = 2;
/** The string path's checks read this many characters from the start (normalize.ts). */
const HEAD_CHARS = 65_536;
/** detectLang reads this many characters from each end of longer logs. */
const LANG_SAMPLE = 100_000;
/** UTF-8 needs at most 3 bytes per UTF-16 unit: more bytes than this means more than 2 samples. */
const LANG_BYTES = 3 * 2 * LANG_SAMPLE;
/**
 * The string path's repair limit counts prepared characters, and CRLF, UTF-8, ANSI colours, JSON
 * messages, entities and Slack links make fewer characters than bytes: a log over REPAIR_LIMIT bytes
 * that holds one may still be repaired there. Up to this many bytes it is given to the string path
 * (cheap at that size); beyond, it would have to lose three bytes in four.
 */
const SHRINK_BYTES = 4 * REPAIR_LIMIT;
const SHRINKING = /[\x80-\xff\r\x1b]|\{"|&(?:lt|gt|amp|quot|#39);|<(?:http|mailto:)/;

// Strings that prepareText rewrites (entities, Slack links, no-break space, Engine API JSON messages) or that the input
// checks look for (NUL): a line holding one is decoded and prepared the string path's way.
// (and PowerShell's position line, `At line:1 char:1`: on a paste-sized log the string path may join the
// error message above it, whose lines hold no keyword of their own)
const TRIGGERS = ["&lt;", "&gt;", "&amp;", "&quot;", "&#39;", "<http", "<mailto:", "\u00a0", "\u0000", '{"stream":', '{"status":', '{"error', '{"id":', '{"progressDetail":', '{"aux":', " char:"];

interface MatcherPlan {
  /** Compiled on first use: a short log tries few matchers. */
  readonly any: RegExp[];
  before: number;
  after: number;
  /** `notInRun` reads the whole run: the pre-pass does not keep runs, so it gives up... */
  wholeRun: boolean;
  /** ...unless one of these conditions holds: then the engine drops the matcher anyway. */
  whenNot: Condition[];
}

interface KeywordPlan {
  matchers: MatcherPlan[];
  /**
   * Conditions its probes set when every probe is idempotent (see Probe.sets), so that once
   * they hold (and the log is known as Docker output) its probes add nothing; undefined otherwise.
   */
  probeSets?: Condition[];
  /** Its idempotent probes (those the shadow runs). */
  idempotent: Probe[];
  /** For those that fill a first-wins fact: whether it is known (Probe.known). */
  known: Array<(state: FactState) => boolean>;
  hasProbes: boolean;
  /** A step header's keyword (context.ts HEADER_KEYWORDS). */
  header: boolean;
  trigger: boolean;
}

/** What the pre-pass needs to know about one engine's rules and probes. */
class Plan {
  readonly automaton: ByteAutomaton;
  readonly keywords: KeywordPlan[];
  readonly maxBefore: number;

  constructor(rules: readonly LoadedRule[]) {
    const byWord = new Map<string, { matchers: MatcherPlan[]; probes: Array<Condition[] | undefined>; idempotent: Probe[] }>();
    const entry = (k: string) => {
      const key = k.toLowerCase();
      let e = byWord.get(key);
      if (!e) byWord.set(key, (e = { matchers: [], probes: [], idempotent: [] }));
      return e;
    };
    let maxBefore = 0;
    for (const { rule } of rules) {
      for (const spec of [...(rule.variants ?? []).map((v) => v.match), ...(rule.match ? [rule.match] : [])]) {
        // The engine compiles patterns with these flags (engine.ts compileMatcher).
        const flags = spec.caseSensitive ? "u" : "iu";
        // (a generic wording's hit reads Docker's words DOCKER_WINDOW lines around it: engine.ts dockerAround)
        // (a window that looks one way only needs its lines kept on that side: a notNear that looks 500
        // lines down for the build going on must not make every hit keep 500 lines above it)
        const windows = [...spec.near, ...spec.notNear];
        const generic = spec.wording !== "specific" ? DOCKER_WINDOW : 0;
        const widestBefore = Math.max(generic, ...windows.filter((n) => n.side !== "after").map((n) => n.within));
        const widestAfter = Math.max(generic, ...windows.filter((n) => n.side !== "before").map((n) => n.within));
        let any: RegExp[] | undefined;
        const m: MatcherPlan = {
          get any() {
            return (any ??= spec.any.map((src) => new RegExp(src, flags)));
          },
          before: Math.max(widestBefore, spec.showStepErrors ? STEP_LOOKBACK : 0) + MARGIN,
          after: widestAfter + MARGIN,
          wholeRun: spec.notInRun.length > 0,
          whenNot: spec.whenNot,
        };
        maxBefore = Math.max(maxBefore, m.before);
        for (const k of spec.keywords) entry(k).matchers.push(m);
      }
    }
    for (const probe of PROBES) {
      for (const k of probe.keywords) {
        const e = entry(k);
        e.probes.push(probe.sets);
        if (probe.sets && !e.idempotent.includes(probe)) e.idempotent.push(probe);
      }
    }
    const headers = new Set(HEADER_KEYWORDS.map((k) => k.toLowerCase()));
    for (const k of headers) entry(k);
    const words = [...byWord.keys()];
    this.keywords = words.map((k) => {
      const e = byWord.get(k)!;
      const known = e.idempotent.flatMap((probe) => (probe.known ? [probe.known] : []));
      const plan: KeywordPlan = { matchers: e.matchers, idempotent: e.idempotent, known, hasProbes: e.probes.length > 0, header: headers.has(k), trigger: false };
      if (e.probes.every((sets) => sets !== undefined)) plan.probeSets = [...new Set(e.probes.flat() as Condition[])];
      return plan;
    });
    for (const t of TRIGGERS) {
      words.push(t);
      this.keywords.push({ matchers: [], idempotent: [], known: [], hasProbes: false, header: false, trigger: true });
    }
    this.automaton = new ByteAutomaton(words);
    this.maxBefore = maxBefore + MARGIN;
  }
}

/** The byte automaton for an engine's rules (the rule pack stores its tables at build time). */
export function byteAutomatonFor(engine: RuleEngine): ByteAutomaton {
  return planFor(engine).automaton;
}

const plans = new WeakMap<RuleEngine, Plan>();
function planFor(engine: RuleEngine): Plan {
  let p = plans.get(engine);
  if (!p) plans.set(engine, (p = new Plan(engine.rules)));
  return p;
}

/** What the engine learns from lines it would scan, kept to decide which lines are redundant. */
class Shadow {
  /** What the idempotent probes found on the kept lines, in the log's order (as the engine runs them). */
  private readonly facts = new FactState();
  readonly conditions = this.facts.conditions;
  docker = false;
  github = false;
  /** The first-wins facts known so far (by their Probe.known test). */
  private readonly knownFacts = new Set<(state: FactState) => boolean>();

  /** The engine's own per-line effects on idempotent state (engine.ts diagnosePrepared). */
  see(clean: CleanLine, keywords: Iterable<number>, plan: Plan): void {
    if (clean.github) this.github = true;
    if (clean.step !== undefined) this.docker = true;
    if (!clean.text) return;
    for (const k of keywords) {
      if (!plan.keywords[k]!.probeSets) continue;
      for (const probe of plan.keywords[k]!.idempotent) {
        probe.visit(clean.text, this.facts);
        if (this.facts.dockerLog) this.docker = true;
        if (probe.known?.(this.facts)) this.knownFacts.add(probe.known);
      }
    }
  }

  /** What the shadow knows, as a number that grows whenever it learns something (see silenceFinished). */
  get version(): number {
    return (this.conditions.size + this.knownFacts.size) * 4 + (this.docker ? 2 : 0) + (this.github ? 1 : 0);
  }

  /** Whether the keyword's probes can no longer change anything. */
  done(k: KeywordPlan): boolean {
    if (!k.probeSets) return false;
    return !k.hasProbes || (this.docker && k.probeSets.every((c) => this.conditions.has(c)) && k.known.every((known) => known(this.facts)));
  }
}

/**
 * Whether a line may carry a GitHub Actions timestamp or marker (cleanLine's `github`): its
 * first non-blank byte is a digit, `##`, `::` or not ASCII. A necessary condition only; a line
 * that passes is decoded and cleaned by the real cleanLine.
 */
function mayBeGithub(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0b || buf[i] === 0x0c)) i++;
  if (i >= end) return false;
  const b = buf[i]!;
  if (b >= 0x80 || (b >= 0x30 && b <= 0x39)) return true;
  return (b === 0x23 || b === 0x3a) && buf[i + 1] === b;
}

/** prepareText on one line, as it acts on that line inside the whole text. */
function prepareLine(raw: string, first: boolean): string {
  // A byte-order mark is dropped only at the very start of the text.
  return first ? prepareText(raw) : prepareText(`\ufeff${raw}`);
}

const stateOut = new Int32Array(1);

/**
 * The hot loop, kept apart and monomorphic: runs the automaton from `i` until a transition
 * that needs attention (returns its index, the encoded state in out[0]) or `end`.
 */
function runToSpecial(delta: Int32Array, byteClass: Uint8Array, buf: Uint8Array, i: number, end: number, s: number, out: Int32Array): number {
  for (; i < end; i++) {
    s = delta[s + byteClass[buf[i]!]!]!;
    if (s < 0) {
      out[0] = s;
      return i;
    }
  }
  out[0] = s;
  return end;
}

/** Below this, a block is not worth splitting in streams. */
const STREAMS_MIN = 16 * 1024;
/** The event of a line break (a keyword end's event is its state, never negative). */
const LINE_BREAK = -1;

/**
 * Runs the automaton over four segments [starts[j], ends[j]) interleaved (four independent
 * chains of table loads hide each other's latency), pushing to events[j] (position, state) of
 * every keyword end and (position, LINE_BREAK) of every LF, so that lines are found in the same
 * pass. The segments hold no CR and no ESC, and each starts at a line start.
 */
function runFourStreams(delta: Int32Array, byteClass: Uint8Array, buf: Uint8Array, starts: number[], ends: number[], events: number[][]): void {
  const [a, b, c, d] = starts as [number, number, number, number];
  const [e0, e1, e2, e3] = events as [number[], number[], number[], number[]];
  const n = Math.min(ends[0]! - a, ends[1]! - b, ends[2]! - c, ends[3]! - d);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < n; k++) {
    s0 = delta[s0 + byteClass[buf[a + k]!]!]!;
    s1 = delta[s1 + byteClass[buf[b + k]!]!]!;
    s2 = delta[s2 + byteClass[buf[c + k]!]!]!;
    s3 = delta[s3 + byteClass[buf[d + k]!]!]!;
    if ((s0 | s1 | s2 | s3) < 0) {
      // A negative transition is a line break (back to the root) or a keyword end.
      if (s0 < 0) s0 = buf[a + k] === 0x0a ? (e0.push(a + k, LINE_BREAK), 0) : (e0.push(a + k, -s0 - KIND_OUT), -s0 - KIND_OUT);
      if (s1 < 0) s1 = buf[b + k] === 0x0a ? (e1.push(b + k, LINE_BREAK), 0) : (e1.push(b + k, -s1 - KIND_OUT), -s1 - KIND_OUT);
      if (s2 < 0) s2 = buf[c + k] === 0x0a ? (e2.push(c + k, LINE_BREAK), 0) : (e2.push(c + k, -s2 - KIND_OUT), -s2 - KIND_OUT);
      if (s3 < 0) s3 = buf[d + k] === 0x0a ? (e3.push(d + k, LINE_BREAK), 0) : (e3.push(d + k, -s3 - KIND_OUT), -s3 - KIND_OUT);
    }
  }
  // Each segment's rest, alone.
  const states = [s0, s1, s2, s3];
  for (let j = 0; j < 4; j++) runOneStream(delta, byteClass, buf, starts[j]! + n, ends[j]!, states[j]!, events[j]!);
}

/** One stream over [from, end) from state `s`, with runFourStreams's events. */
function runOneStream(delta: Int32Array, byteClass: Uint8Array, buf: Uint8Array, from: number, end: number, s: number, ev: number[]): void {
  for (let i = from; i < end; i++) {
    s = delta[s + byteClass[buf[i]!]!]!;
    if (s < 0) s = buf[i] === 0x0a ? (ev.push(i, LINE_BREAK), 0) : (ev.push(i, -s - KIND_OUT), -s - KIND_OUT);
  }
}

/** Parts smaller than this stay in JavaScript: the wasm memory costs a copy of the table. */
const WASM_MIN = 64 * 1024;

export interface ByteScanOptions {
  lang?: DiagnoseOptions["lang"];
  /** Bytes per block (tests use tiny blocks to cross every boundary). */
  blockSize?: number;
  /** Told the size of the reduced text (the bench reports it). */
  onReduced?: (lines: number, chars: number) => void;
}

/** The reduced text's lines and, for each, its line number in the log (0: a gap marker). */
interface Reduced {
  lines: string[];
  numbers: number[];
}

/**
 * Streams one log through the pre-pass. `write` takes bytes in any chunking; `finish`
 * returns the answer. Throws BailOut when the string path must answer instead.
 */
export class ByteDiagnosis {
  private readonly plan: Plan;
  private readonly auto: ByteAutomaton;
  private readonly shadow = new Shadow();
  private readonly reduced: Reduced = { lines: [], numbers: [] };
  private lastEmitted = 0;
  private keepUntil = 0;

  // Two block buffers: the current one and the one before it, for windows that look back.
  private cur: Buffer;
  private prev: Buffer;
  private curBase = 0;
  private curLen = 0;
  private prevBase = 0;
  private prevLen = 0;
  private readonly blockSize: number;

  // Where each of the last lines starts and ends (absolute offsets), for windows.
  private readonly ringSize: number;
  private readonly ringStart: Float64Array;
  private readonly ringEnd: Float64Array;
  /** Kept lines not yet in the reduced text: the line number in each slot, and its text. */
  private readonly kept: Float64Array;
  private readonly keptText: Array<string | undefined>;

  /** Matchers with `notInRun` whose patterns matched a line (see finish). */
  private readonly wholeRunHits: MatcherPlan[] = [];
  private lineNo = 1;
  private lineStart = 0;
  /** Just past the last CR and any ANSI sequences right after it: an LF there ends no line. */
  private crEnd = -1;
  private state = 0;
  private lineKeys = new Set<number>();
  private lineEsc = false;
  private total = 0;
  /** A line ended in `: ` (repair.ts rule 1b): on a paste-sized log only the string path joins it. */
  private chainEnd = false;
  /** A line that may be a console's padded rows copied as one (repair.ts unpadRows): the string path answers. */
  private paddedRows = false;
  /** Whether the bytes so far may prepare to fewer characters (SHRINK_BYTES), and the last few. */
  private mayShrink = false;
  private shrinkTail = "";
  /** The byte length of the line before (for repair.ts's "as long as its neighbour"). */
  private prevLineLen = -1;
  /** The line before held such bytes: its width in characters is not known, only bounded. */
  private prevWide = false;

  // The whole-log checks and the language, from the head and the tail.
  private headChars = 0;
  private readonly headLines: string[] = [];
  private nonBlank = false;
  private sawNul = false;
  /** A PowerShell position line (`At line:1 char:1`) was seen (see finish). */
  private psPosition = false;
  private readonly rawHead: Buffer[] = [];
  private rawHeadLen = 0;

  constructor(
    private readonly engine: RuleEngine,
    private readonly opts: ByteScanOptions = {},
  ) {
    this.plan = planFor(engine);
    // Each diagnosis silences keywords as it learns; the plan's automaton stays intact.
    this.auto = this.plan.automaton.clone();
    // Blocks start small (a chat-sized log allocates little) and double up to the block size. 2 MB, not
    // more: each block's text is short-lived garbage, and larger blocks grow V8's young generation
    // (8 MB blocks: 123 MB peak RSS on a 300 MB log, 2 MB: 105 MB, at the same speed). Not less either:
    // the look-back reaches only the block before, and a log of long lines (a verbose C++ build's) must
    // keep a failed step's output in reach (1 MB blocks made such a log leave for the string path).
    this.blockSize = opts.blockSize ?? 2 * 1024 * 1024;
    this.cur = Buffer.allocUnsafe(Math.min(this.blockSize, 64 * 1024));
    this.prev = Buffer.allocUnsafe(0);
    let ring = 1;
    while (ring <= this.plan.maxBefore + 1) ring *= 2;
    this.ringSize = ring;
    this.ringStart = new Float64Array(ring);
    this.ringEnd = new Float64Array(ring);
    this.kept = new Float64Array(ring);
    this.keptText = new Array<string | undefined>(ring);
  }

  /** Feeds bytes of the (decompressed, UTF-8) log. */
  write(chunk: Uint8Array): void {
    this.noteRaw(chunk);
    let off = 0;
    while (off < chunk.length) {
      if (this.curLen === this.cur.length) this.makeRoom();
      const n = Math.min(chunk.length - off, this.cur.length - this.curLen);
      this.cur.set(chunk.subarray(off, off + n), this.curLen);
      this.curLen += n;
      off += n;
      if (this.curLen === this.cur.length) this.scanBlock(false);
    }
  }

  /**
   * Reads the log straight into the block buffer (no copy): `read(buffer, offset, length)`
   * returns how many bytes it put there, 0 at the end.
   */
  fill(read: (buffer: Buffer, offset: number, length: number) => number): void {
    for (;;) {
      if (this.curLen === this.cur.length) this.makeRoom();
      const n = read(this.cur, this.curLen, this.cur.length - this.curLen);
      if (n === 0) return;
      this.noteRaw(this.cur.subarray(this.curLen, this.curLen + n));
      this.curLen += n;
      if (this.curLen === this.cur.length) this.scanBlock(false);
    }
  }

  /** Keeps the head for detectLang and counts the bytes. */
  private noteRaw(chunk: Uint8Array): void {
    if (this.rawHeadLen <= LANG_BYTES) {
      const take = chunk.subarray(0, LANG_BYTES + 1 - this.rawHeadLen);
      this.rawHead.push(Buffer.from(take));
      this.rawHeadLen += take.length;
    }
    if (!this.mayShrink && this.total < SHRINK_BYTES) {
      const text = this.shrinkTail + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString("latin1");
      this.mayShrink = SHRINKING.test(text);
      this.shrinkTail = text.slice(-8);
    }
    this.total += chunk.length;
  }

  /** Ends the log and returns the engine's answer on the reduced text. */
  finish(): DiagnoseResult {
    this.scanBlock(true);
    for (let n = this.lineNo - this.ringSize + 2; n <= this.lineNo; n++) this.flush(n);
    this.checkInput();
    // The string path would join a line ending in `: ` to the next one (repair.ts), possibly
    // making a keyword neither line holds: on a log small enough to be repaired, it answers.
    const repair = this.total <= REPAIR_LIMIT;
    if (!repair && this.mayShrink && this.total <= SHRINK_BYTES) throw new BailOut("over the repair limit in bytes, maybe not in characters");
    if (repair && this.chainEnd) throw new BailOut("a line ends in ': ' or ', ', or an indented one in a blank (a chain, sentence or column the string path may join)");
    if (repair && this.psPosition) throw new BailOut("a PowerShell error view, whose message the string path may rejoin");
    if (repair && this.paddedRows) throw new BailOut("a console's padded rows copied as one line, which the string path unpads");
    // Conditions only accumulate, and the shadow's are a subset of the engine's: a `whenNot`
    // condition seen means the engine drops the matcher, so its run need not be read.
    for (const m of this.wholeRunHits) {
      if (!m.whenNot.some((c) => this.shadow.conditions.has(c))) throw new BailOut("a notInRun rule matched: it reads its whole run");
    }
    const lang = this.opts.lang && this.opts.lang !== "auto" ? this.opts.lang : this.language();
    const text = prepareText(this.reduced.lines.join("\n"));
    // A hard wrap the repair joins may make a hit that no physical line showed, whose windows and
    // step header the pass did not keep: such a paste goes to the string path, which sees it all.
    if (repair && rejoinWrapped(text).joins.length > 0) throw new BailOut("a hard wrap the string path joins");
    this.opts.onReduced?.(this.reduced.lines.length, text.length);
    // A larger log is not repaired by the string path: its reduced text must not be either.
    const result = this.engine.diagnosePrepared(text, lang, repair);
    const numbers = this.reduced.numbers;
    for (const d of result.diagnoses) for (const e of d.evidence) e.line = numbers[e.line - 1] ?? e.line;
    return result;
  }

  /** Scanned bytes of the current block are kept as `prev`; the unscanned tail moves on. */
  private makeRoom(): void {
    const scanned = this.scannedUpTo - this.curBase;
    if (scanned === 0) {
      // One line longer than a block: grow both buffers.
      const bigger = Buffer.allocUnsafe(this.cur.length * 2);
      this.cur.copy(bigger, 0, 0, this.curLen);
      this.cur = bigger;
      return;
    }
    const old = this.prev;
    const size = Math.max(this.cur.length, Math.min(this.blockSize, this.cur.length * 2));
    this.prev = this.cur;
    this.prevBase = this.curBase;
    this.prevLen = scanned;
    this.cur = old.length === size ? old : Buffer.allocUnsafe(size);
    const rest = this.curLen - scanned;
    this.prev.copy(this.cur, 0, scanned, this.curLen);
    this.curBase += scanned;
    this.curLen = rest;
  }

  private scannedUpTo = 0;

  /** Runs the automaton over the complete lines of the current block (all of it at the end). */
  private scanBlock(last: boolean): void {
    const buf = this.cur;
    const base = this.curBase;
    let end = this.curLen;
    if (!last) {
      // Stop after the last line break; a partial line waits for the next block.
      end = Math.max(buf.lastIndexOf(0x0a, end - 1), buf.lastIndexOf(0x0d, end - 1)) + 1;
    }
    const from = this.scannedUpTo - base;
    // (Not when the block starts right after a CR: its LF ends the same line, which only the
    // per-byte loop below knows.)
    if (end - from >= STREAMS_MIN && this.state === 0 && base + from !== this.crEnd) {
      const block = buf.subarray(from, end);
      if (block.indexOf(0x0d) === -1 && block.indexOf(0x1b) === -1) {
        this.scanStreams(buf, from, end);
        this.scannedUpTo = base + end;
        if (last) this.lineDone(buf, this.lineStart - base, end, true);
        return;
      }
    }
    const { delta, byteClass } = this.auto;
    const classes = this.auto.classes;
    let s = this.state;
    for (let i = from; i < end; i++) {
      i = runToSpecial(delta, byteClass, buf, i, end, s, stateOut);
      s = stateOut[0]!;
      if (i === end) break;
      const v = -s;
      const kind = v % classes;
      if (kind === KIND_OUT) {
        s = v - KIND_OUT;
        for (const k of this.auto.outputsOf(s)) this.lineKeys.add(k);
      } else if (kind === KIND_NL) {
        s = 0;
        if (buf[i] === 0x0a && base + i === this.crEnd) {
          // The LF of a CRLF (ANSI codes between them are gone in the string path too).
          this.lineStart = base + i + 1;
          continue;
        }
        if (buf[i] === 0x0d) this.crEnd = base + i + 1;
        this.lineDone(buf, this.lineStart - base, i, false);
        this.lineStart = base + i + 1;
        this.lineNo++;
      } else {
        // KIND_ESC: an ANSI sequence is removed by the string path before it scans.
        s = v - KIND_ESC;
        this.lineEsc = true;
        const n = ansiLength(buf, i, this.curLen);
        if (n < 0) throw new BailOut("an ANSI OSC sequence may span lines");
        if (n === 0) s = delta[s]!; // a lone ESC stays: a byte no keyword has
        else {
          if (base + i === this.crEnd) this.crEnd += n;
          i += n - 1;
        }
      }
    }
    this.state = s;
    this.scannedUpTo = base + end;
    if (last) this.lineDone(buf, this.lineStart - base, end, true);
  }

  /** Event lists of the four streams, reused. */
  private readonly events: number[][] = [[], [], [], []];

  /**
   * A block with no CR and no ESC: the automaton runs over four parts of it at once (see
   * runFourStreams), noting where keywords end and where lines do; then the events are walked
   * in order, as the one-stream loop would have met them. No per-line search for the LF.
   */
  private scanStreams(buf: Buffer, from: number, end: number): void {
    // The streams cover an eighth of a block at a time: that bounds the event lists (a log of
    // empty lines has an event per byte) and still leaves each stream long runs.
    const part = Math.max(STREAMS_MIN, this.blockSize >> 3);
    for (let at = from; at < end; ) {
      let stop = end;
      if (end - at > part) {
        const nl = buf.indexOf(0x0a, at + part);
        stop = nl === -1 || nl >= end ? end : nl + 1;
      }
      this.scanPart(buf, at, stop);
      at = stop;
    }
  }

  /** The wasm loop's memory, made for the first part big enough to pay for it (null: not available). */
  private wasm?: WasmScanner | null;

  private scanPart(buf: Buffer, from: number, end: number): void {
    if (this.wasm === undefined && end - from >= WASM_MIN) {
      // Slots of half a usual part: a segment is a quarter of its part and the rest of a line.
      this.wasm = WasmScanner.create(this.auto.byteClass, this.auto.delta, Math.max(STREAMS_MIN, this.blockSize >> 4)) ?? null;
      if (this.wasm) this.auto.moveDelta(this.wasm.delta);
    }
    let pos = this.lineStart - this.curBase;
    const w = this.wasm;
    const lineBreakAfter = (at: number): number => {
      const nl = buf.indexOf(0x0a, from + at);
      return nl === -1 ? -1 : nl - from;
    };
    // Segments that start at line starts (a segment may be empty).
    const wStarts = w && end - from >= WASM_MIN ? segmentStarts(end - from, lineBreakAfter) : [];
    const wEnds = [...wStarts.slice(1), end - from];
    const lengths = wEnds.map((e, j) => e - wStarts[j]!);
    if (w && wStarts.length && Math.max(...lengths) <= w.slotSize) {
      for (let j = 0; j < wStarts.length; j++) buf.copy(w.bytes, w.slotAt(j), from + wStarts[j]!, from + wEnds[j]!);
      const r = w.run(lengths);
      const ev = this.events[0]!;
      for (let j = 0; j < wStarts.length; j++) {
        const [a, b] = r.ranges[j]!;
        pos = this.walk(buf, pos, r.ints, a, b, from + wStarts[j]!);
        // The segment's rest, alone (segments differ in length by less than a line).
        runOneStream(this.auto.delta, this.auto.byteClass, buf, from + wStarts[j]! + r.done, from + wEnds[j]!, r.states[j]!, ev);
        pos = this.walk(buf, pos, ev, 0, ev.length, 0);
        ev.length = 0;
      }
    } else {
      const starts = [from];
      for (let j = 1; j < 4; j++) {
        const at = Math.max(starts[j - 1]!, from + (((end - from) * j) >> 2));
        const nl = at >= end ? -1 : buf.indexOf(0x0a, at);
        starts.push(nl === -1 || nl >= end ? end : nl + 1);
      }
      const ends = [starts[1]!, starts[2]!, starts[3]!, end];
      runFourStreams(this.auto.delta, this.auto.byteClass, buf, starts, ends, this.events);
      for (const ev of this.events) {
        pos = this.walk(buf, pos, ev, 0, ev.length, 0);
        ev.length = 0;
      }
    }
    this.lineStart = this.curBase + pos;
  }

  /**
   * The streams' events [a, b) of `ev` (position + shift, state), in the log's order: keyword
   * ends, and line ends (the line from `pos`). Returns where the next line starts.
   */
  private walk(buf: Buffer, pos: number, ev: ArrayLike<number>, a: number, b: number, shift: number): number {
    const mask = this.ringSize - 1;
    for (let e = a; e < b; e += 2) {
      const at = ev[e]! + shift;
      const state = ev[e + 1]!;
      if (state !== LINE_BREAK) {
        for (const k of this.auto.outputsOf(state)) this.lineKeys.add(k);
        continue;
      }
      const lineNo = this.lineNo;
      this.noteWrap(buf, pos, at);
      if (this.lineKeys.size === 0 && lineNo > this.keepUntil && this.headChars > HEAD_CHARS && this.nonBlank) {
        if (!this.chainEnd) this.chainEnd = (at - pos >= CHAIN_MIN_BYTES && endsInColonBlank(buf, pos, at)) || endsInIndentedBlank(buf, pos, at);
        // Most lines: no keyword, no window, the head read. Only their place is noted (endLine's first lines).
        this.flush(lineNo - this.ringSize + 1);
        this.ringStart[lineNo & mask] = this.curBase + pos;
        this.ringEnd[lineNo & mask] = this.curBase + at;
      } else this.endLine(buf, pos, at, false);
      this.lineNo = lineNo + 1;
      pos = at + 1;
    }
    return pos;
  }

  private lineDone(buf: Buffer, start: number, end: number, last: boolean): void {
    this.noteWrap(buf, start, end);
    this.endLine(buf, start, end, last);
  }

  /**
   * On a paste-sized log the string path joins a line as wide as a terminal (or as its neighbour)
   * to the next one (repair.ts rule 1): such a line is handed on with the lines around it, so the
   * engine's own repair of the reduced text joins what the string path joins. (Byte lengths: a
   * line with UTF-8 or ANSI bytes counts as such a line whatever its width.)
   */
  private noteWrap(buf: Buffer, start: number, end: number): void {
    if (this.total > REPAIR_LIMIT) return;
    if (end > start && buf[end - 1] === 0x0d) end--;
    const len = end - start;
    const wide = len >= MIN_WRAP && hasWideByte(buf, start, end);
    const wrap = len >= MIN_WRAP && (wide || TERMINAL_WIDTHS.has(len) || len === this.prevLineLen || (this.prevWide && len <= this.prevLineLen));
    if (!this.paddedRows && len >= 2 * MIN_WRAP + 2 * PADDED_MIN_RUN) this.paddedRows = hasPaddedRuns(buf, start, end);
    this.prevLineLen = len;
    this.prevWide = wide;
    if (!wrap) return;
    if (this.lineNo > 1) this.keepBefore(this.lineNo, 1);
    this.keepUntil = Math.max(this.keepUntil, this.lineNo + 1);
  }

  /** Decides what to do with the line [start, end) of the current block. */
  private endLine(buf: Buffer, start: number, end: number, last: boolean): void {
    if (!this.chainEnd) this.chainEnd = (end - start >= CHAIN_MIN_BYTES && endsInColonBlank(buf, start, end)) || endsInIndentedBlank(buf, start, end);
    const lineNo = this.lineNo;
    this.flush(lineNo - this.ringSize + 1);
    this.ringStart[lineNo & (this.ringSize - 1)] = this.curBase + start;
    this.ringEnd[lineNo & (this.ringSize - 1)] = this.curBase + end;
    const keys = this.lineKeys;
    const esc = this.lineEsc;
    this.lineEsc = false;
    const needHead = this.headChars <= HEAD_CHARS || !this.nonBlank;
    if (keys.size === 0 && !needHead && lineNo > this.keepUntil) return;
    if (keys.size) this.lineKeys = new Set();

    let trigger = false;
    let quiet = true; // only keywords of finished idempotent probes: the line adds nothing
    for (const k of keys) {
      const kp = this.plan.keywords[k]!;
      if (kp.trigger) trigger = true;
      else if (kp.matchers.length || kp.header || !this.shadow.done(kp)) quiet = false;
    }
    const inWindow = lineNo <= this.keepUntil;
    if (!trigger && !needHead && !inWindow && quiet && (this.shadow.github || !mayBeGithub(buf, start, end))) return;

    const raw = buf.toString("utf8", start, end);
    const prepared = trigger || esc || lineNo === 1 ? prepareLine(raw, lineNo === 1) : raw;
    let found: Set<number> = keys;
    if (trigger) {
      // A Slack link's label may run on to a later line: only the whole text can tell.
      if (/<(?:https?|mailto):/.test(raw) && raw.indexOf(">", raw.lastIndexOf("<")) === -1) throw new BailOut("a Slack link may span lines");
      if (prepared.includes("\u0000")) this.sawNul = true;
      if (PS_POSITION.test(prepared)) this.psPosition = true;
      found = new Set();
      this.auto.keywordsIn(Buffer.from(prepared, "utf8"), found);
      for (const k of found) if (this.plan.keywords[k]!.trigger) found.delete(k);
    }
    if (needHead) this.head(prepared, last);

    let keep = inWindow;
    if (found.size) {
      const clean = cleanLine(prepared);
      // What the engine would do with this line: its own effects, then each matcher's patterns.
      let effect = (clean.github && !this.shadow.github) || (clean.step !== undefined && !this.shadow.docker);
      for (const k of found) if (!this.shadow.done(this.plan.keywords[k]!)) effect = true;
      let before = 0;
      let after = 0;
      let hit = false;
      let headerStep: number | undefined;
      let unnumberedHeader = false;
      if (clean.text) {
        for (const k of found) {
          const kp = this.plan.keywords[k]!;
          // A step header (engine: StepTracker.visit). An unnumbered one speaks for the lines
          // below it, until the next one: only the last before a kept line is handed on
          // (pendingHeader). A numbered one speaks only for its step's lines: kept when a hit in
          // that step needs it (needHeader).
          // A finished build closes the step for every line after it, numbered or not, a finished
          // pull the step shown; a running container's output (Compose's service prefix) opens none.
          const asHeader = kp.header && !clean.service && headerStep === undefined && !effect;
          const kind = asHeader ? headerKind(clean.text) : undefined;
          if (asHeader && closesStep(clean.text)) unnumberedHeader = true;
          // (s6-overlay's stages open nothing inside a numbered or timed step; elsewhere the line is handed on
          // after the header pending above it, whose kind decides whether it opens a container: StepTracker.visit)
          else if (kind === "container") keep ||= clean.step === undefined && !clean.timed;
          else if (kind) {
            if (clean.step === undefined) unnumberedHeader = true;
            else headerStep = clean.step;
          }
          for (const m of kp.matchers) {
            if (!m.any.some((re) => re.test(clean.text))) continue;
            if (m.wholeRun) this.wholeRunHits.push(m);
            effect = true;
            hit = true;
            before = Math.max(before, m.before);
            after = Math.max(after, m.after);
          }
        }
      }
      if (headerStep !== undefined) this.headers.set(headerStep, { lineNo, raw });
      // (`---> Running in` under a pending `Step N/M : CMD` changes nothing: the engine keeps the Step's kind.)
      const redundant = unnumberedHeader && this.pendingHeader !== undefined && !this.pendingHeader.done && runningIn(clean.text);
      if (redundant) unnumberedHeader = false;
      if (unnumberedHeader && !effect && !keep) this.pendingHeader = { lineNo, raw, done: closesStep(clean.text) };
      else if (unnumberedHeader) this.pendingHeader = undefined;
      if (hit && clean.step !== undefined) this.needHeader(clean.step, lineNo);
      keep ||= effect;
      if (keep) {
        this.shadow.see(clean, found, this.plan);
        this.silenceFinished();
      }
      if (before) this.keepBefore(lineNo, before);
      if (after) this.keepUntil = Math.max(this.keepUntil, lineNo + after);
    }
    if (keep) {
      this.keepPendingHeader(lineNo);
      this.keepLine(lineNo, raw);
    }
  }

  /**
   * The last unnumbered step header (error box, tty view, classic `Step N/M`) not kept yet: a log
   * made of nothing but classic headers must not keep them all. It is handed on before the next
   * kept line, so the engine's step tracker reads the same current step there.
   */
  private pendingHeader: { lineNo: number; raw: string; done: boolean } | undefined;

  private keepPendingHeader(lineNo: number): void {
    const h = this.pendingHeader;
    if (!h || h.lineNo >= lineNo) return;
    this.pendingHeader = undefined;
    if (h.lineNo > lineNo - this.ringSize + 1) this.keepLine(h.lineNo, h.raw);
    else this.insertFlushed(h.lineNo, h.raw);
  }

  private silenced = new Set<number>();
  private silencedAt = -1;
  /** Keywords whose consumers can no longer change anything stop being reported at all. */
  private silenceFinished(): void {
    if (!this.shadow.github) return;
    // Nothing learnt since the last look: nothing more can be silenced (the shadow only grows).
    const version = this.shadow.version;
    if (version === this.silencedAt) return;
    this.silencedAt = version;
    let any = false;
    this.plan.keywords.forEach((kp, k) => {
      if (!this.silenced.has(k) && !kp.trigger && !kp.header && kp.matchers.length === 0 && this.shadow.done(kp)) {
        this.silenced.add(k);
        any = true;
      }
    });
    if (any) this.auto.silence((k) => this.silenced.has(k));
  }

  /** Marks a line for the reduced text; it goes out once no later window can reach it. */
  private keepLine(lineNo: number, raw: string): void {
    const slot = lineNo & (this.ringSize - 1);
    if (this.kept[slot] === lineNo) return;
    this.kept[slot] = lineNo;
    this.keptText[slot] = raw;
  }

  /** The last numbered step header of each step, not handed on unless a hit in its step needs it. */
  private readonly headers = new Map<number, { lineNo: number; raw: string }>();

  /** A hit on `lineNo` in step `step`: the engine must see the step's header above it. */
  private needHeader(step: number, lineNo: number): void {
    const h = this.headers.get(step);
    if (!h || h.lineNo >= lineNo) return;
    if (h.lineNo > lineNo - this.ringSize + 1) this.keepLine(h.lineNo, h.raw);
    else this.insertFlushed(h.lineNo, h.raw);
  }

  /** Puts a line that has already left the ring into the reduced text, in its place (gaps as flush makes them). */
  private insertFlushed(lineNo: number, raw: string): void {
    const { lines, numbers } = this.reduced;
    let p = numbers.length;
    while (p > 0 && (numbers[p - 1] === 0 || numbers[p - 1]! > lineNo)) p--;
    if (p > 0 && numbers[p - 1] === lineNo) return; // already there
    const prev = p > 0 ? numbers[p - 1]! : 0;
    const q = p < numbers.length && numbers[p] === 0 ? p + 1 : p; // past the gap that was there
    const next = q < numbers.length ? numbers[q] : undefined;
    const add: Array<[string, number]> = [];
    if (lineNo !== prev + 1) add.push(["", 0]);
    add.push([raw, lineNo]);
    if (next !== undefined && next !== lineNo + 1) add.push(["", 0]);
    lines.splice(p, q - p, ...add.map(([l]) => l));
    numbers.splice(p, q - p, ...add.map(([, n]) => n));
  }

  /** Lines leave the ring in order; the kept ones join the reduced text (gaps as one blank line). */
  private flush(lineNo: number): void {
    if (lineNo < 1) return;
    const slot = lineNo & (this.ringSize - 1);
    if (this.kept[slot] !== lineNo) return;
    if (lineNo !== this.lastEmitted + 1) {
      this.reduced.lines.push("");
      this.reduced.numbers.push(0);
    }
    this.reduced.lines.push(this.keptText[slot]!);
    this.reduced.numbers.push(lineNo);
    this.keptText[slot] = undefined;
    this.lastEmitted = lineNo;
  }

  /** Keeps the `count` lines above `lineNo`, read back from the blocks still in memory. */
  private keepBefore(lineNo: number, count: number): void {
    for (let n = Math.max(lineNo - count, 1); n < lineNo; n++) {
      const slot = n & (this.ringSize - 1);
      if (this.kept[slot] === n) continue;
      const s = this.ringStart[slot]!;
      const e = this.ringEnd[slot]!;
      let text: string;
      if (s >= this.curBase) text = this.cur.toString("utf8", s - this.curBase, e - this.curBase);
      else if (s >= this.prevBase && e <= this.prevBase + this.prevLen) text = this.prev.toString("utf8", s - this.prevBase, e - this.prevBase);
      else throw new BailOut("a window reaches before the kept blocks");
      this.keepLine(n, text);
    }
  }

  /** Collects the prepared head for the input checks (and notes any non-blank line). */
  private head(prepared: string, last: boolean): void {
    if (!this.nonBlank && prepared.trim().length > 0) this.nonBlank = true;
    if (this.headChars <= HEAD_CHARS) {
      this.headLines.push(prepared);
      this.headChars += prepared.length + (last ? 0 : 1);
    }
  }

  /** assertLogText's verdict on the whole log, from what the pass saw. */
  private checkInput(): void {
    if (!this.nonBlank) assertLogText(""); // throws the string path's "empty" error
    if (this.sawNul) assertLogText("\u0000"); // and its "binary" one
    const head = this.headLines.join("\n").slice(0, HEAD_CHARS);
    if (head.trim().length > 0) assertLogText(head);
  }

  /** detectLang on the decoded log (before normalising), from its head and tail bytes. */
  private language(): Lang {
    const head = Buffer.concat(this.rawHead);
    if (this.total <= LANG_BYTES) return detectLang(head.toString("utf8"));
    const tailBytes = LANG_BYTES / 2 + 8;
    const tailStart = this.total - tailBytes;
    let tail: string;
    if (tailStart >= this.curBase) tail = this.cur.toString("utf8", tailStart - this.curBase, this.curLen);
    else if (tailStart >= this.prevBase && this.prevBase + this.prevLen === this.curBase) {
      tail = Buffer.concat([this.prev.subarray(tailStart - this.prevBase, this.prevLen), this.cur.subarray(0, this.curLen)]).toString("utf8");
    } else throw new BailOut("the log's tail is not in the kept blocks");
    const start = head.toString("utf8", 0, LANG_BYTES / 2 + 8).slice(0, LANG_SAMPLE);
    return detectLang(start + tail.slice(-LANG_SAMPLE));
  }
}

export { RuleEngine };
