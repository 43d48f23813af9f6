// Repairs what terminals and chat clients do to a pasted log before it is matched: lines hard-
// wrapped at the window width are joined back, and placeholders / redactions (`{your_registry}`,
// `<image>`, `***`, `[MASKED]`) become plain tokens so host/image/tag patterns still read them.
//
// THE WRAP RULE (a local decision on one line break, with a look-back of two lines and a
// look-ahead of one): the break after line L is removed, joining the next line M onto L, when
//   1. L is at least MIN_WRAP characters long, and its length is one of TERMINAL_WIDTHS, or equal
//      to the length of the line before it (unless the two begin with the same eight characters
//      or are both log lines of one fixed format, SAME_FORMAT: those give no width) or of M (a
//      paragraph wrapped at an unusual width);
//      1b. or L is at least MIN_CHAIN_WRAP long and ends in `: ` or `, ` (an error chain or a
//      sentence a browser or chat client wrapped at a blank, keeping the blank), and is not a
//      prompt (`password: `, `Username: `); after `, ` M must open with a lower-case word;
//      1c. or L is at least MIN_WRAP long and ends at a split pane's border (`…724e-4f│`), which goes;
//   2. M is not empty and does not look like the start of a log line: no leading blank, no
//      BuildKit `#N`, no timestamp, no `=>`, `[`, `>`, `-`, `$ `, no `ERROR` / `Caused by` /
//      `Step N/M` / `npm` ... head word, not Compose's `web-1 exited with code 0` nor a container's line behind
//      its service prefix (`web-1  | …`; with one blank, `dhis2-database | …`, only a prefix that opens another
//      line of the paste too: a pipeline's chunk, `ments.txt | xargs …`, has that shape), not a compiler's
//      diagnostic (`file.go:9:2: …`, `file.c:12: error: …`; make's `build.make:158: target` cut
//      inside a path is a wrap) (NEW_LINE_START below), nor, unless L ends a chain's `: ` (1b), a Go
//      program's log location (`standard_init_linux.go:190: …`), and does not begin with the same
//      eight characters as L when those hold a blank (a repeated head: syslog stamps, `npm ERR!`,
//      a compose service's `app-1  |`); when only M's equal length says L was wrapped, the same
//      eight characters without a blank are enough (one message printed twice).
//      2b. One leading blank is no new line when the console cut right before a blank: L's width is
//      known (rule 1, not M's length alone), M is exactly as wide (a wrap's middle chunk) and L does
//      not itself open with one blank (Compose's progress rows, aligned tables); the rest of M is
//      still checked as above.
// A PowerShell error message (its `Exception calling "X" with "N" argument(s): "` or `Cmdlet-Name : ` head)
// that runs on until its `At line:N char:N` position line is one message word-wrapped at the console's
// width: its lines are joined with a blank, or without one where the console cut a word (a line as wide as
// a terminal, or one ending inside a URL) (PS_POSITION below).
// Only texts up to REPAIR_LIMIT are repaired: hard wraps come from terminal and chat pastes,
// never from CI log files, and the pass stays off the path of large logs. The byte path
// (byte-path.ts) does not repair: on a log that small with a line ending in `: ` it gives the log
// to the string path, and on a larger one it tells diagnosePrepared not to repair either.

export const MIN_WRAP = 60;
/** A shorter line may still be a wrapped chain when it ends in `: ` (rule 1b). */
const MIN_CHAIN_WRAP = 30;
export const TERMINAL_WIDTHS = new Set([80, 100, 120, 132, 140, 150, 160, 180, 200, 220, 240, 250]);
export const REPAIR_LIMIT = 256 * 1024;
// (V8 opens each part of its fatal report on a line of its own: `<--- Last few GCs --->`.)
// (nor a message a carriage return overwrote, which opens with its last words: `': No such file or
// directorye 'bash`, `: not found`, `: invalid option`; a wrap splits anywhere, these words start a line)
// (nor a shell's prompt, `user@host:~/app$ docker …`: a command typed starts a line of its own)
const NEW_LINE_START =
  /^(?:$|\s|[\w.-]{1,40}@[\w.-]{1,63}:(?:~|\/)[^\s$#]{0,200}[$#] |'?: (?:No such file or directory|not found|invalid (?:shell )?option|command not found|bad interpreter)|#\d|<--- |\d{4}[-/]\d\d[-/]\d\d|\d+\.\d+ |=>|\[|>|-|\$ |(?:ERROR|Error|error|WARN|WARNING|Warning|warning|INFO|DEBUG|FATAL|fatal|Caused by|hint|note|E|W|Get|Hit|Ign|Step \d+\/\d+|npm|yarn|pnpm|pip|go|docker|Successfully|Sending|Removing|Running|Traceback|panic|goroutine|exec)\b|[\w.-]+ exited with code \d+$|(?=[0-9_.-]{0,62}[a-z])[a-z0-9][a-z0-9_.-]{2,62} {2,40}\| |[\w./-]{1,200}\.[A-Za-z]{1,6}:\d+:(?:\d+:)? (?:(?:fatal )?error|warning|note|cannot|undefined|expected|no )\b|[\w./-]{1,200}\.[A-Za-z]{1,6}:\d+:\d+: )/;
// Compose pads every service's name to the longest one's and adds ` | `: Compose v2 pads one blank more, so its
// prefixes hold two blanks or more before the bar (NEW_LINE_START); v1's longest name keeps one, `dhis2-database | `,
// the very shape a wrapped shell pipeline's chunk has (`ments.txt | xargs …`, `microsoft.asc | gpg --dearmor`).
// Such a one-blank head opens a line only when it opens another line of the paste too: a service prints many.
const COMPOSE_ONE_BLANK_HEAD = /^(?=[0-9_.-]{0,62}[a-z])[a-z0-9][a-z0-9_.-]{2,62} \| /;
const SENTENCE_GOES_ON = /^[a-z]+[ ,.;']/;
/** Two indented lines of one length (a traceback's frame and its code) are their own lines, not a width:
 * a wrap's chunk may start with blanks (a run of them split at the edge), but the line before it does not. */
const INDENTED = /^ {2}|^\t/;
/** The heads of log lines printed one per line in a fixed format (rule 1's equal-length exception). */
const SAME_FORMAT = /^(?:[\w./-]{1,200}\.[A-Za-z]{1,6}:\d+:(?:\d+:)? |\[ {0,2}\d{1,3}%\] |#\d+ |\d{4}[-/]\d\d[-/]\d\d[T ])/;
/**
 * A split terminal's border (tmux, an editor's terminal beside another pane) right after the text: the
 * text reached the pane's edge, so the line was cut at the pane's width, whatever that is. The border
 * is the pane's, not the log's: it goes when the lines are joined. (A table's `│ cell │` has a blank
 * before its border.)
 */
export const PANE_EDGE = /[^\s│┃][│┃]$/;
/** A line that asks for input ends in `: ` too: the answer is no continuation. */
const PROMPT_END = /(?:password|passphrase|username|login|token)(?: for [^:]*)?[^:]{0,40}: $/i;

/**
 * Whether the break between `prev`/`line` and `next` is a terminal's hard wrap (the rule above). `composeHeads`:
 * the one-blank Compose prefixes (`dhis2-database | `) that open two lines or more of the paste.
 */
export function isWrapBreak(prev: string | undefined, line: string, next: string, composeHeads?: ReadonlySet<string>): boolean {
  // A browser or chat client that wrapped an error chain keeps the blank after the chain's colon at
  // the end of the line (`is not authorized to perform: ` / `ecr:GetDownloadUrlForLayer ...`).
  // After a comma only a sentence goes on: the next line must open with a plain lower-case word
  // (not a program's `gpg: …`, `curl: …` line).
  const chain =
    line.length >= MIN_CHAIN_WRAP &&
    isChainEnd(line) &&
    !PROMPT_END.test(line) &&
    (line.endsWith(": ") || SENTENCE_GOES_ON.test(next));
  // Only the next line's equal length says "wrapped" (1, unusual width): when it also begins like
  // this one, it is the same message again (`/app: /lib64/libc.so.6: version … not found` twice).
  let onlyEqualNext = false;
  if (!chain && PANE_EDGE.test(line)) {
    if (line.length < MIN_WRAP) return false;
  } else if (!chain) {
    if (line.length < MIN_WRAP) return false;
    // (two lines of one log format, compiler diagnostics, CMake's progress, BuildKit steps, dated
    // lines, or beginning alike, give no width to wrap at, however long they happen to be)
    const width =
      TERMINAL_WIDTHS.has(line.length) ||
      (prev?.length === line.length &&
        !prev.startsWith(line.slice(0, 8)) &&
        !(SAME_FORMAT.test(prev) && SAME_FORMAT.test(line)) &&
        !(INDENTED.test(line) && INDENTED.test(prev)));
    if (!width && next.length !== line.length) return false;
    onlyEqualNext = !width;
  }
  // Lines that begin alike (a syslog stamp, `npm ERR!`, a service prefix) are separate log lines.
  const head = line.slice(0, 8);
  if ((onlyEqualNext || head.includes(" ")) && next.startsWith(head)) return false;
  // The console cut right before a blank: the next chunk opens with that one blank. Only when the width
  // is already known and the next chunk is as wide again (it is a wrap's middle, not a new indented line)
  // does the blank not say "new line"; the rest of the chunk still may.
  // (Compose's progress rows and aligned tables open every row with one blank and pad them to one width:
  // a line that itself opens so is such a row, and so is the next)
  const cutAtBlank = !chain && !onlyEqualNext && next.length === line.length && /^ \S/.test(next) && !/^ \S/.test(line);
  if (composeHeads?.size) {
    const composeHead = COMPOSE_ONE_BLANK_HEAD.exec(next)?.[0];
    if (composeHead !== undefined && composeHeads.has(composeHead)) return false;
  }
  // A line that ends in a number and a next one that opens with a capitalised word (`… exit code: 137` over `The
  // hosted runner: …`): joined they would read `137The`, a word glued to a number; two lines. (Only a number of its
  // own: an identifier cut after its digit, `…s3.model.S3` over `Exception: …`, is one word wrapped.)
  if (NUMBER_END.test(line) && CAPITALISED_WORD.test(next)) return false;
  // The same after a quoted value that closes the line (apt's `… from 'stable' to 'oldstable'` over the classic
  // builder's `The command '/bin/sh -c …'`): a wrap inside prose leaves a blank, never a quote glued to a word.
  if (QUOTE_END.test(line) && CAPITALISED_WORD.test(next)) return false;
  // BuildKit's tty rows are padded to the terminal's width and end in their step's duration (`=> => transferring
  // dockerfile: 2B      0.0s`): a row that ends so is whole, whatever follows (Compose's bare `failed to solve: …`).
  if (!chain && (line.startsWith("=> ") || line.startsWith(" => ")) && TTY_ROW_END.test(line)) return false;
  const rest = cutAtBlank ? next.slice(1) : next;
  // (a Go program's `log` line, `standard_init_linux.go:190: …`, opens a line of its own when only a width says
  // "wrapped"; not after a chain's `: `, where runc's chains go on with the same shape: `OCI runtime create failed: `
  // over `container_linux.go:380: starting container process caused: …` is one message a browser wrapped)
  if (!chain && GO_LOCATION_START.test(rest)) return false;
  return !NEW_LINE_START.test(rest);
}
const GO_LOCATION_START = /^[\w-]{1,60}\.go:\d+: /;
const NUMBER_END = /(?<![\w.])\d+$/;
const QUOTE_END = /[\w.)\]-]['"]$/;
const TTY_ROW_END = / {2}\d{1,5}\.\ds$/;
const CAPITALISED_WORD = /^[A-Z][a-z]{1,30}[ ,:]/;

/** Rule 1b's shape: the line ends in a colon or comma and one blank (the byte path checks the same bytes). */
export function isChainEnd(line: string): boolean {
  return line.endsWith(": ") || line.endsWith(", ");
}

export interface Repaired {
  text: string;
  /** Offsets (in the repaired text) where a line break was removed, ascending. */
  joins: number[];
}

// PowerShell's error view: the message (`Exception calling "DownloadString" with "1" argument(s): "The remote
// name could not be resolved: 'chocolatey.org'"`, `Invoke-WebRequest : Unable to connect to the remote server`)
// word-wrapped at the console's width, then its position line (`At line:1 char:1`, `At C:\build.ps1:12 char:5`).
export const PS_POSITION = /^\s*At (?:line:\d{1,6}|\S[^\n]{0,300}:\d{1,6}) char:\d{1,6}\s*$/;
// (a cmdlet's name is an approved verb and a noun: `Invoke-WebRequest : …`; an HTTP header's `Retry-After : 120` is none)
const PS_MESSAGE_HEAD =
  /^\s*(?:Exception calling "[^"\n]{1,100}" with "\d{1,3}" argument\(s\): "|(?:Add|Clear|Copy|Expand|Export|Get|Import|Install|Invoke|Join|Move|New|Out|Push|Register|Remove|Rename|Resolve|Restart|Save|Select|Set|Start|Stop|Test|Uninstall|Update|Wait|Write)-[A-Z][A-Za-z]{1,40} : \S)/;
/** A line the message cannot run on over: another position line, the error record's `+ …` lines, a prompt. */
const PS_NOT_MESSAGE = /^\s*(?:\+ |PS [^>\n]{1,80}> |At (?:line:)?\S)|^(?:\[[^\]\n]{1,80}\]|\S{0,80})[$#] /;
/** How many lines a PowerShell message may be wrapped over. */
const PS_MESSAGE_LINES = 6;

/** Line indexes whose break to the next line is inside a wrapped PowerShell error message. */
function powerShellWraps(lines: string[]): Set<number> {
  const out = new Set<number>();
  for (let i = 2; i < lines.length; i++) {
    if (!PS_POSITION.test(lines[i]!)) continue;
    for (let j = i - 1; j >= Math.max(0, i - PS_MESSAGE_LINES); j--) {
      const line = lines[j]!;
      if (PS_MESSAGE_HEAD.test(line)) {
        // (a message on one line, right above its position, has nothing to join)
        for (let k = j; k < i - 1; k++) out.add(k);
        break;
      }
      if (PS_NOT_MESSAGE.test(line) || line.trim() === "") break;
    }
  }
  return out;
}

/**
 * PowerShell wraps a message at word boundaries, dropping the blank it broke at, but cuts a word longer
 * than the console (a URL) at the console's width: `physical` (the line as pasted) that wide is joined to
 * `next` without a blank, any other with one.
 */
function powerShellJoin(current: string, physical: string, next: string): string {
  const rest = next.trimStart();
  const indent = physical.length - physical.trimStart().length;
  // (and a line that ends inside a URL: the console cut it whatever its width, and a blank in it would hide its
  // credentials from the masking)
  const full = TERMINAL_WIDTHS.has(physical.length) || TERMINAL_WIDTHS.has(physical.length - indent) || /(?:\b(?:https?|s?ftps?|git|ssh|wss?):\/{0,2}|:\/\/\S*)$/i.test(physical);
  return full ? `${current}${rest}` : `${current.trimEnd()} ${rest}`;
}

/** The one-blank Compose prefixes that open two lines or more (COMPOSE_ONE_BLANK_HEAD). */
function recurringComposeHeads(lines: string[]): Set<string> {
  const seen = new Set<string>();
  const recurring = new Set<string>();
  for (const line of lines) {
    const head = COMPOSE_ONE_BLANK_HEAD.exec(line)?.[0];
    if (head === undefined) continue;
    if (seen.has(head)) recurring.add(head);
    else seen.add(head);
  }
  return recurring;
}

// A Node CLI's task list (listr, ora, execa's error under a task) word-wraps a message inside its indented column and
// keeps the blank it broke at: the line ends in that one blank, and the next goes on at the same indentation with a
// lower-case word or a path (`       Got permission denied while trying to ` / `       connect to the Docker daemon …`).
// A log's own indented lines rarely end in a blank; where they do, a CI runner echoing a script whose lines kept their
// trailing blanks (GitHub Actions' `Run` block, `  docker build -t app . ` over `  docker run --rm app`), the next
// line opens with a command, which a sentence goes on with far less often: such a line is its own.
const WORD_WRAPPED_INDENTED = /^( {2,12})\S[^\n]{8,}\S $/;
const SAME_COLUMN_GOES_ON = /^[a-z0-9/%(]/;
const COMMAND_START = /^(?:echo|cd|export|sudo|make|cmake|cargo|mvn|gradle|curl|wget|apt-get|apk|mkdir|cp|mv|rm|chmod|chown|ls|cat|git|kubectl|helm|aws|gcloud|az|podman|buildah|bash|sh|python3?|node|npx)\s/;

/** The break after `line` is a word wrap inside an indented column (WORD_WRAPPED_INDENTED): `next` goes on at its indentation. */
export function isIndentedWordWrap(line: string, next: string): boolean {
  const m = WORD_WRAPPED_INDENTED.exec(line);
  if (!m) return false;
  const indent = m[1]!;
  const rest = next.slice(indent.length);
  // (not a list of records whose lines end in a blank, Docker's `b2a90e359469: Preparing `, nor a next line that
  // opens with a record's own head, `denied: requested access …`)
  return (
    next.startsWith(indent) &&
    rest[0] !== " " &&
    SAME_COLUMN_GOES_ON.test(rest) &&
    !RECORD_HEAD.test(rest) &&
    !RECORD_HEAD.test(line.slice(indent.length)) &&
    !NEW_LINE_START.test(rest) &&
    !COMMAND_START.test(rest)
  );
}
const RECORD_HEAD = /^[\w.-]{1,40}: /;

// A console's rows padded with blanks to the window's width and copied as one line (a Windows console,
// `…failed to calculate checksu                     m of ref …`): the text of every row but the last is
// one width, and so is its padding. Two padded rows at least, the text MIN_WRAP wide or more: an aligned
// table's columns are neither that wide nor that regular.
const PAD_RUN = / {8,}/g;
export const PADDED_MIN_RUN = 8;

// (A row's own text may end, or the next one begin, in a blank where the console cut at a word's end: that run
// of blanks is one or two longer than the padding, on either side of it. The padding is then the shortest run or
// up to two less (every row may begin with a blank), tried longest first, and the rows' period within two of the
// distance between the first two runs' starts; only the padding goes, a row's own blanks stay.)
const ROW_EDGE_BLANKS = 2;

/** The line with its rows' padding removed, when it is a padded console copy (above); else the line. */
export function unpadRows(line: string): string {
  if (line.length < 2 * MIN_WRAP + 2 * PADDED_MIN_RUN || !line.includes("        ")) return line;
  // (the last row may be padded too)
  const body = line.trimEnd();
  if (body[0] === " ") return line;
  const runs = [...body.matchAll(PAD_RUN)].map((r) => [r.index, r.index + r[0].length] as const);
  if (runs.length < 2) return line;
  let shortest = Infinity;
  for (const [s, e] of runs) shortest = Math.min(shortest, e - s);
  for (let pad = shortest; pad >= Math.max(PADDED_MIN_RUN, shortest - ROW_EDGE_BLANKS); pad--) {
    for (let d = -ROW_EDGE_BLANKS; d <= ROW_EDGE_BLANKS; d++) {
      const period = runs[1]![0] - runs[0]![0] + d;
      const width = period - pad;
      if (width < MIN_WRAP) continue;
      const fits = runs.every(([s, e], i) => {
        const from = i * period + width;
        return s <= from && s >= from - ROW_EDGE_BLANKS && e >= from + pad && e <= from + pad + ROW_EDGE_BLANKS;
      });
      // (the last row's text is no wider than the others, and there is one)
      const tail = body.length - runs.length * period;
      if (!fits || tail <= 0 || tail > width) continue;
      let out = "";
      for (let i = 0; i <= runs.length; i++) out += body.slice(i * period, i === runs.length ? undefined : i * period + width);
      return out;
    }
  }
  return line;
}

/** Joins hard-wrapped lines; `joins` lets evidence keep the line numbers of the paste. */
export function rejoinWrapped(input: string): Repaired {
  if (input.length > REPAIR_LIMIT) return { text: input, joins: [] };
  const text = input.includes("        ") ? input.split("\n").map(unpadRows).join("\n") : input;
  if (!text.includes("\n")) return { text, joins: [] };
  const lines = text.split("\n");
  const out: string[] = [];
  const joins: number[] = [];
  let offset = 0;
  let current = lines[0]!;
  let prevPhysical: string | undefined;
  let lastPhysical = lines[0]!;
  const powerShell = text.includes(" char:") ? powerShellWraps(lines) : undefined;
  const composeHeads = text.includes(" | ") ? recurringComposeHeads(lines) : undefined;
  for (let i = 1; i < lines.length; i++) {
    const next = lines[i]!;
    if (powerShell?.has(i - 1)) {
      // (the paste may indent every line alike: the next line's indentation goes)
      current = powerShellJoin(current, lastPhysical, next);
      joins.push(offset + current.length - next.trimStart().length);
    } else if (isIndentedWordWrap(lastPhysical, next)) {
      current += next.trimStart();
      joins.push(offset + current.length - next.trimStart().length);
    } else if (isWrapBreak(prevPhysical, lastPhysical, next, composeHeads)) {
      if (PANE_EDGE.test(current)) current = current.slice(0, -1);
      current += next;
      joins.push(offset + current.length - next.length);
    } else {
      out.push(current);
      offset += current.length + 1;
      current = next;
    }
    prevPhysical = lastPhysical;
    lastPhysical = next;
  }
  out.push(current);
  return joins.length ? { text: out.join("\n"), joins } : { text, joins };
}

/** How many line breaks were removed before `offset` (binary search over `joins`). */
export function joinsBefore(joins: number[], offset: number): number {
  let lo = 0;
  let hi = joins.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (joins[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// `{your_registry}` (not a shell `${VAR}`), `<image>`, `***`, `[MASKED]`, `name.../`: a token in its place.
const BRACED = /(?<!\$)\{([A-Za-z_][\w-]{0,40})\}/g;
const ANGLED = /<([A-Za-z][\w-]{0,40})>(?=[/:.@"'\s]|$)|(?<=[/:@"'\s]|^)<([A-Za-z][\w-]{0,40})>/g;
// (GNU make's own marker, `make: *** [target] Error 2` / `make[2]: *** No rule ...`, is no redaction)
const STARS = /(?<=[\s/:@"'(=]|^)(?<!sha256:)(?<!make(?:\[\d{1,4}\])?: )\*{3,}(?=[./:@\s"')]|$)/g;
const MASKED = /\[(?:MASKED|REDACTED|redacted|masked|secure)\]/g;
// An ellipsis that stands for the rest of a path component (`/tmp/docker-builder.../foo.php`): cut
// or redacted by the person pasting, it is a token like the others.
const PATH_ELLIPSIS = /(?<=[\w-])(?:\.{3}|…)(?=\/)/g;
// `<...>` standing for a part the person left out (`stat <...>/docker-entrypoint.sh`): also a token.
// (not a type's elided parameters right after its name, `List<...>`, `std::vector<...>`)
const ELIDED = /(?<![\w>])<(?:\.{3}|…)>/g;

/** Placeholders and redactions as plain tokens (per candidate line; cheap when there are none). */
export function tokenizePlaceholders(line: string): string {
  let s = line;
  if (s.includes("{")) s = s.replace(BRACED, (_m, name: string) => name.replaceAll("_", "-").toLowerCase());
  if (s.includes("<")) {
    s = s.replace(ANGLED, (_m, a?: string, b?: string) => (a ?? b ?? "x").toLowerCase());
    if (s.includes("<...>") || s.includes("<…>")) s = s.replace(ELIDED, "xxx");
  }
  if (s.includes("***")) s = s.replace(STARS, "xxx");
  if (s.includes("[")) s = s.replace(MASKED, "xxx");
  if (s.includes(".../") || s.includes("…/")) s = s.replace(PATH_ELLIPSIS, "xxx");
  return s;
}
