// Turns what people paste into plain log text. Work on the whole text is done only when
// the text needs it (a 100 MB log with no ANSI codes pays nothing for ANSI stripping);
// per-line clean-up runs only on the few lines the keyword scan picks.
import { tokenizePlaceholders } from "./repair.js";

// CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks).
// (An OSC ends at its line: one left open must not swallow the lines after it.)
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]/g;
// Slack wraps links as <https://x|label> or <https://x>; mentions as <@U123>.
const SLACK_LINK = /<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/g;

// Docker Engine API clients (docker-py, Portainer, 1Panel, CI plugins) show a build's or a pull's
// JSON message stream as it came: `{"stream":"Step 1/9 : FROM node\n"}`, `{"status":"Pulling fs
// layer","id":"5f70bf18a086"}`, `{"errorDetail":{"message":"…"},"error":"…"}`.
// The json-file logging driver stores a container's output the same way: `{"log":"…\n","stream":"stderr","time":"…"}`.
const JSON_MESSAGE = /^\{"(?:stream|status|errorDetail|error|id|progressDetail|aux|log)":.*\}[ \t]*$/gm;

/**
 * The text of one Engine API message, on one line: its own line breaks become blanks, so that the
 * paste keeps one line per line (a message carrying several lines loses their line-start anchors).
 */
function jsonMessageText(line: string): string {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof message !== "object" || message === null) return line;
  const m = message as { stream?: unknown; error?: unknown; errorDetail?: { message?: unknown }; status?: unknown; id?: unknown; log?: unknown };
  // Only the Engine's own message shapes: an API's `{"status":"error","message":…}` or OAuth's
  // `{"error":…,"error_description":…}` keep every word.
  const keys = Object.keys(m);
  const only = (allowed: string[]) => keys.every((k) => allowed.includes(k));
  let out: string | undefined;
  if (typeof m.stream === "string" && only(["stream"])) out = m.stream;
  else if (typeof m.error === "string" && only(["error", "errorDetail"])) out = m.error;
  else if (typeof m.errorDetail?.message === "string" && only(["error", "errorDetail"])) out = m.errorDetail.message;
  // `5f70bf18a086: Pulling fs layer`, as the CLI prints it
  else if (typeof m.status === "string" && only(["status", "id", "progress", "progressDetail"])) out = typeof m.id === "string" ? `${m.id}: ${m.status}` : m.status;
  // a container's line as the json-file logging driver keeps it (`docker inspect`'s LogPath)
  else if (typeof m.log === "string" && only(["log", "stream", "time", "attrs"])) out = m.log;
  if (out === undefined) return line;
  // (the message's closing line break may come before its colour reset: the reset goes, as ANSI
  // stripping would drop it, and a tint it closed reads as Docker's, whose reset opens the next line)
  return out.replace(/\r?\n(?:\x1b\[[0-9;]*m)*$/, "").replace(/\r?\n|\r/g, " ");
}

export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    readonly code: "EMPTY_INPUT" | "BINARY_INPUT",
    message: string,
  ) {
    super(message);
  }
}

// The classic builder's stderr tint at a line's start (after its indentation or a reset), as the escape.
// Docker closes the tint after the chunk's line break, so its reset opens the next line; a tool that
// colours each line closes it on the same line (`\x1b[91mnpm ERR! …\x1b[0m`), and that is not the builder.
const STDERR_TINT_ESC = /(^|\n[ \t]*(?:\x1b\[0m[ \t]*)?)\x1b\[91m(?![^\n]*\x1b\[0m[ \t]*(?:\n|$))/g;
/** Whole-text clean-up: ANSI, line endings, Slack escaping. Keeps one line per original line. */
export function prepareText(input: string): string {
  let text = input;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Before ANSI stripping: the messages carry the build's colours as \u001b escapes.
  if (text.includes('{"')) text = text.replace(JSON_MESSAGE, jsonMessageText);
  if (text.includes("\x1b")) {
    // The classic builder tints a RUN step's stderr bright red (`\x1b[91m`): kept as the bare `[91m`
    // a log shows when the escape was lost, which cleanLine reads as the step's own output.
    if (text.includes("\x1b[91m")) text = text.replace(STDERR_TINT_ESC, "$1[91m");
    text = text.replace(ANSI, "");
  }
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  if (text.includes("<http") || text.includes("<mailto:")) {
    text = text.replace(SLACK_LINK, (_m, url: string, label?: string) => (label && label !== url ? label : url));
  }
  if (hasEntity(text)) {
    text = text
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'")
      .replaceAll("&amp;", "&");
  }
  if (text.includes("\u00a0")) text = text.replaceAll("\u00a0", " ");
  if (text.startsWith("_") || text.includes("\n_")) text = dropItalicSpans(text);
  return text;
}

// An issue editor's italics around a pasted block: an underscore before its first line's first letter
// (`_ERROR [internal] load metadata …`) and one after its last line's last character (`…: not found_`).
// Only as a pair, the opening one first, before a word and a blank or colon, at most 40 lines apart: a lone
// edge underscore is a name's (`_JAVA_OPTIONS=`, an env dump's `_CE_M=`, an empty ARG's `python:3.11_`).
const ITALIC_OPEN = /^_(?=[A-Za-z]{1,40}[ :])/gm;
const ITALIC_CLOSE = /[^\s_]_$/m;
const ITALIC_SPAN = 40;
function dropItalicSpans(text: string): string {
  let out = "";
  let from = 0;
  ITALIC_OPEN.lastIndex = 0;
  for (let open = ITALIC_OPEN.exec(text); open; open = ITALIC_OPEN.exec(text)) {
    // (a pasted block is not longer than ITALIC_SPAN lines)
    const span = text.slice(open.index + 1).split("\n", ITALIC_SPAN).join("\n");
    const close = ITALIC_CLOSE.exec(span);
    if (!close) continue;
    const at = open.index + 1 + close.index + close[0].length - 1;
    out += text.slice(from, open.index) + text.slice(open.index + 1, at);
    from = at + 1;
    ITALIC_OPEN.lastIndex = from;
  }
  return from === 0 ? text : out + text.slice(from);
}

const ENTITIES = ["&lt;", "&gt;", "&amp;", "&quot;", "&#39;"];
/** Beyond this many `;`, searching each entity in turn is cheaper than looking at every `;`. */
const SEMICOLONS = 64;

/**
 * Whether the text holds one of ENTITIES. Build logs are full of `&&` but hold few `;`, so the
 * entities are looked for at each `;` (their last character) rather than at each `&`.
 */
function hasEntity(text: string): boolean {
  let at = text.indexOf(";");
  for (let seen = 0; at !== -1; seen++) {
    if (seen === SEMICOLONS) return ENTITIES.some((e) => text.includes(e, at - 5));
    for (const e of ENTITIES) if (text.startsWith(e, at + 1 - e.length)) return true;
    at = text.indexOf(";", at + 1);
  }
  return false;
}

/** Rejects input that holds no log: empty, or binary (a NUL byte, or mostly undecodable bytes). */
export function assertLogText(text: string): void {
  if (text.trim().length === 0) throw new InputError("EMPTY_INPUT", "the log is empty: paste the output of the failed build");
  if (text.includes("\u0000")) {
    throw new InputError("BINARY_INPUT", "this looks like a binary file, not a build log: send the log as text (.log or .txt, or gzip of one)");
  }
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  let bad = 0;
  // (Counted only when there is one: the native search is much faster than the loop.)
  if (sample.indexOf("\ufffd") !== -1) for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 0xfffd) bad++;
  // (Compressed or random bytes decoded as UTF-8 are 40 % or more replacement characters; an ELF file is
  // about 10 % with its NULs, which the check above refuses first, and 20-30 % without them. A terminal's
  // paste of a binary a shell or an interpreter tried to read, `1 | �ELF>��@`, keeps fewer around its text.)
  // A binary whose NUL bytes were lost on the way (a terminal's copy of `cat`-ed bytes, a chat client)
  // keeps its other control characters, which no build log holds: with those, 5 % is enough.
  let ctrl = 0;
  if (bad > 16) {
    for (let i = 0; i < sample.length; i++) {
      const c = sample.charCodeAt(i);
      if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27) || c === 127) ctrl++;
    }
  }
  if (bad > 16 && (bad / sample.length > 0.2 || (bad / sample.length > 0.05 && ctrl / sample.length > 0.005))) {
    throw new InputError("BINARY_INPUT", "this does not decode as text: send the build log as UTF-8 text");
  }
}

const GH_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
// Go's log package (old dockerd/docker CLI output, many CI tools): "2015/08/25 16:51:45 "; and the
// Dev Containers CLI's log as Codespaces shows it: "2022-10-23 11:51:03.257Z: ".
const GO_LOG_TIMESTAMP = /^\d{4}(?:\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? |-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z: ?)/;
// logrus's text format with no terminal and no timestamps: the level and the seconds since start
// (`FATA[0006] Tag latest not found in repository x`, `ERRO[0103] Error from V2 registry: …`), as the
// Docker 1.x CLI and daemon printed their errors. Only the error levels: kaniko's `INFO[0012] RUN …`
// opens its steps (context.ts reads it).
const LOGRUS_LEVEL = /^(?:ERRO|FATA|PANI)\[\d{4,}\] +/;
// Jenkins' timestamper and VS Code's Dev Containers log put an ISO time in brackets before each line.
// A clock time alone before each line: Jenkins' Timestamper plugin (`09:32:29  `, two blanks, and the
// line's own indent after them: `09:32:30   ---> e1034d53eece`) and Netlify's build log (`2:11:38 AM: `).
const CLOCK_TIME = /^(?:\d\d:\d\d:\d\d {2,}(?=\S)|\d{1,2}:\d\d:\d\d [AP]M: ?)/;
const BRACKETED_TIMESTAMP = /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?\] ?/;
// TeamCity's build log: the clock in brackets, then in a downloaded log the status (`W` warning, `i`
// info, `E` error, or a blank) and a colon, the block's indent and the names of the blocks the line is
// in (`[17:31:52]W:         [docker] 2014/11/30 …`, `[Step 2/2] `); copied from its page, the clock alone
// (`[10:51:35]The command '/bin/sh -c make' returned …`). Fastlane's `[12:45:19]: ` is the same shape.
// (A block name, not the line's own bracketed level or tag: `[ERROR] `, `[FATAL tini (7)] `, `[+] Building`,
// buildpacks' `[creator] `.)
const TEAMCITY_PREFIX = /^\[\d\d:\d\d:\d\d\](?:[WiEF ]?:[ \t]+(?:\[(?!(?:ERROR|WARN|WARNING|INFO|DEBUG|FATAL|TRACE|error|warn|warning|info|debug|fatal|trace|creator|builder|detector|analyzer|restorer|exporter)\b|\+\])[^\][\n]{1,60}\] ){0,3}| ?(?=\S))/;
const GH_MARKER = /^(?:##\[(?:error|warning|notice|debug|group|endgroup|command)\]|::(?:error|warning|notice)[^:]*::)/;
// (BuildKit's plain progress prints a line's time in five characters: past 1 000 s only its dot is
// left of the decimals, `#22 1639. <--- Last few GCs --->`)
const BUILDKIT_STEP = /^#(\d+) (\d+\.\d+ |[1-9]\d{3}\. )?/;
// BuildKit's tty view shows a command's output without the `#N`, timed with four significant
// digits (`0.193`, `79.94`, `822.6`): a shape other programs' timestamps rarely have.
const BUILDKIT_TTY_TIMED = /^(?:\d\.\d{3}|[1-9]\d\.\d\d|[1-9]\d\d\.\d|[1-9]\d{3}\.\d) {1,8}(?=\S)/;
// (BuildKit opens its error box's header with a blank, ` > [2/3] RUN …:`, which a CI timestamp's one blank leaves)
const QUOTE = /^ ?(?:> ?)+/;
// A chat or issue editor's bold left around a pasted line (`**ERROR: unsatisfiable constraints:`);
// not make's `***` nor a list's `* `.
const MD_BOLD = /^\*\*(?=[A-Za-z])|(?<=\S)\*\*$/g;
/** One backtick span at a blank's edge (`x`, `127`), as chat and issue editors mark inline code. */
const INLINE_CODE = /(^|\s)`([^`\n]{1,400}?)`(?=\s|$|[.,;:])/g;
/** The same span opening the line: without it the line's first backtick is no markup's. */
const INLINE_CODE_OPENS = /^`[^`\n]{1,400}?`(?=\s|$|[.,;:])/;
// Issue editors and translators put blanks around slashes: `linux / arm64 / v8` is a platform.
const SPACED_PLATFORM = /\b(linux|windows|darwin|freebsd) \/ (amd64|arm64|arm|386|ppc64le|s390x|riscv64|mips64le|loong64)\b(?: \/ (v\d))?/gi;
// (and around an image's name as a translated page shows it: `pull access denied for adilinden / rpi-ffmpeg,`)
const SPACED_DENIED_REF = /\b(pull access denied for )([\w.-]+(?::\d{1,5})?) \/ ([\w.-]+)(?: \/ ([\w.-]+))?(?=[,\s]|$)/gi;
const CURLY = /[‘’“”]/;
// A control code whose ESC did not survive the copy: shown as `←[91m`, `←[2K` (Windows consoles), `^[[0m`
// (caret notation), `\uFFFD[91m` (a byte that did not decode), or dropped (`[91mKilled`). Bare, only a colour
// with digits, not before a duration or `]`: `[m` opens words (`[mysqld]`), `[1m0s elapsed]` and `[10m]` are
// times. A marked one needs digits unless it is a plain `m` or `K`: `\uFFFD[ERROR]` keeps its word.
const SGR_REMNANT = /(?:[\u2190\ufffd]|\^\[)\[(?:[0-9;?]{1,15}[A-Za-z]|[mK])|\[\d{1,3}(?:;\d{1,3}){0,4}m(?!\d+(?:\.\d+)?s\b|\])/g;
// The classic builder's stderr tint at a line's start, its escape lost or shown as `�`/`←`/`^[`,
// maybe behind the reset that closed the line before; not when the line closes it itself.
const STDERR_TINT = /^[ \t]*(?:(?:[\u2190\ufffd]|\^\[)?\[0m[ \t]*)?(?:[\u2190\ufffd]|\^\[)?\[91m/;
const TINT_CLOSED = /(?:[\u2190\ufffd]|\^\[)?\[0m[ \t]*$/;
// (logfmt's `error="…"`, or a JSON field such as Ansible's `"stderr": "…"`)
const LOG_FIELD = /(?:^|\s)(?:error|err|msg|message)="|"(?:stderr|stdout|msg|message|error|err)": ?"/;
// pnpm's recursive install prefixes each package's lifecycle output with the package's directory
// and the script: `packages/backend postinstall: Error: Cannot find module …`.
// The directory is a path (`packages/api`, `.`), never one bare word: `docker build: …` is not pnpm's.
const PNPM_PREFIX = /^(?:\.|(?:\.\.?\/)?[\w.@+()-]+(?:\/[\w.@+()-]+){1,6}) (?:preinstall|install|postinstall|prepare|prepack|build): (?=\S)/;
// turbo's prefix on a workspace task's output (`@formbricks/web:build: Error: …`) inside a step's
// output: a scoped package, or a plain one with one of the usual task names.
const TURBO_PREFIX = /^(?:@[\w.-]{1,60}\/[\w.-]{1,80}|(?!(?:ERROR|FATAL|WARN|WARNING|INFO|DEBUG|error|fatal|warn|warning|info|debug)\b)[\w.-]{1,80}(?=:(?:build|test|lint|dev|start|typecheck|check|generate|compile|bundle|prepare|postinstall|install|prisma:generate|db:generate)\b))(?::[\w.-]{1,40}){1,2}: (?=\S)/;
// cargo relays a build script's messages (cc-rs compiling bundled C) as `cargo:warning=<line>`: the
// compiler's own diagnostics behind it.
const CARGO_WARNING = /^\s*cargo:warning=(?=\S)/;
// A workspace runner's prefix on a BuildKit line: pnpm's recursive run (`apps/ws docker:build: #24 …`,
// any script) and turbo's (`web:docker-build: #24 …`). Only before `#N `, so nothing else is touched.
const WORKSPACE_BEFORE_STEP = /^(?:(?:\.|(?:\.\.?\/)?[\w.@+()-]+(?:\/[\w.@+()-]+){1,6}) [\w:.-]{1,40}|[\w@./-]{1,80}:[\w:.-]{1,40}): (?=#\d+ (?:\d+\.\d{1,3} |[1-9]\d{3}\. |\[|(?:DONE|ERROR|CACHED|CANCELED)\b|(?:resolve|sha256|extracting|transferring|naming|exporting|writing|pushing|load) ))/;
// A log viewer's own line numbers, copied with the log (`7388 #21 24.79 ➤ YN0001: …`): only before
// BuildKit's own lines, as the workspace prefix above.
const VIEWER_LINE_NUMBER = /^\d{1,7} {1,3}(?=#\d+ (?:\d+\.\d{1,3} |[1-9]\d{3}\. |\[|(?:DONE|ERROR|CACHED|CANCELED)\b|(?:resolve|sha256|extracting|transferring|naming|exporting|writing|pushing|load) ))/;
// A deploy tool's or CI's own time before each of BuildKit's lines (Coolify's `2025-Jan-21
// 16:19:54.794393 #13 80.74 …`, a `[16:19:54]`, an ISO time with a space or a zone): as above,
// only before BuildKit's own shapes.
const TIMESTAMP_BEFORE_STEP = /^\[?(?:\d{4}-(?:\d\d|[A-Z][a-z]{2})-\d\d[T ])?\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?: ?(?:Z|UTC|[+-]\d\d:?\d\d))?\]? {1,3}(?=#\d+ (?:\d+\.\d{1,3} |[1-9]\d{3}\. |\[|(?:DONE|ERROR|CACHED|CANCELED)\b|(?:resolve|sha256|extracting|transferring|naming|exporting|writing|pushing|load) ))/;
// Compose prefixes each container's output with its name: `web-1  | ` (v2), `web_1  | ` (v1), or
// the service's `container_name:` as it is (`flaresolverr    | `, no replica number).
// Stripped so line-anchored wordings still match; not a sign of Docker output (it is the app's).
// (A name has a letter: `  37 | >>> RUN …` is a Dockerfile excerpt's line number in BuildKit's error box.)
const COMPOSE_PREFIX = /^(?=[0-9_.-]{0,62}[a-z])[a-z0-9][a-z0-9_.-]{0,62} {1,40}\| /;
// Vagrant prefixes the output of its provisioners (and of its docker provider) with the machine's
// name: `==> default: Step 9 : ADD ../.. /src`. (Machine names are lower case: `==> ERROR:` is
// makepkg's and `==> Error:` Spack's own level, kept.)
const VAGRANT_PREFIX = /^==> [a-z][\w.-]{0,39}: /;
// pipenv relays pip's output line by line behind the exception it raises (`[pipenv.exceptions.InstallError]:
// error: subprocess-exited-with-error`): pip's own words follow.
const PIPENV_RELAY = /^\[pipenv\.exceptions\.\w{1,60}\]: /;
// Maven and Gradle plugins (dockerfile-maven, jib, fabric8) relay Docker's output behind their own
// log level: `[ERROR] denied: requested access to the resource is denied`; sbt (sbt-native-packager)
// writes the level in lower case: `[error] Error: image dockerfile/java:latest not found`.
const BUILD_TOOL_LEVEL = /^\[(?:INFO|ERROR|WARNING|WARN|DEBUG|info|error|warn|success|debug)\] /;
// fabric8's docker-maven-plugin puts its own logger's prefix after Maven's level on every line it
// relays from the daemon or the CLI (`[INFO] DOCKER> #4 ERROR: …`, `[INFO] DOCKER> unknown flag: --driver`).
const DMP_PREFIX = /^DOCKER> /;
// A tool that relays the classic builder's output tags each line with its own name in brackets (Eclipse
// Che's `[DOCKER] Step 7 : RUN …`, `[DOCKER] [ERROR] The command '/bin/sh -c …`): the tag goes when a
// builder's line follows it, so the line reads as the builder wrote it. (A log level is no tag. A BuildKit
// line after it must show BuildKit's own shape, as WORKSPACE_BEFORE_STEP asks: `[fix] #1234 handle x509: …`
// in a changelog is an issue number, not step 1234.)
const RELAY_TAG = /^\[(?!(?:error|warn|warning|info|debug|fatal|trace|note|notice)\])[a-z][\w.-]{0,30}\] (?=(?:\[error\] )?(?:Step \d+(?:\/\d+)? : |-{1,3}> |Removing intermediate container |Successfully (?:built|tagged) |Sending build context to Docker daemon|The command '\/bin\/|#\d+ (?:\d+\.\d{1,3} |[1-9]\d{3}\. |\[|(?:DONE|ERROR|CACHED|CANCELED)\b|(?:resolve|sha256|extracting|transferring|naming|exporting|writing|pushing|load) )))/i;
// glog/klog (kubelet, Kubernetes tools, Bazel's rules_docker): `E0509 12:49:10.359796   29034 file.go:194] `.
const KLOG_PREFIX = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ [\w.-]+:\d+\] /;
// pytest marks the lines of a failure's exception with `E` and a blank gutter (`E       docker.errors.DockerException: …`),
// also behind a web log viewer's line number copied without its blank (`476E           requests.exceptions…`). Only at the
// line's start, not behind a BuildKit step's prefix: a `RUN pytest` that fails is the step's failure, read as such.
const PYTEST_E = /^(?:\d{1,7})?E {2,}(?=\S)/;
// The Dev Containers CLI (VS Code, Codespaces, `devcontainer build`) stamps each line of its log with the
// milliseconds since it started: `[6141 ms] Could not resolve Feature manifest for …`.
const DEVCONTAINER_MS = /^\[\d{1,9} ms\] /;
// Bazel's `--show_timestamps` before its own levels: `(21:51:08) ERROR: An error occurred during the fetch …`.
const BAZEL_TIME = /^\(\d\d:\d\d:\d\d\) (?=(?:INFO|WARNING|ERROR|DEBUG|FATAL): )/;
// Python's logging in its default format (`INFO:Docker Client:<line>`), as tools that drive Docker
// from Python (ros cross_compile, scripts on the docker SDK) relay the build's output. (Not
// `ERROR:Get https://…`: a URL's scheme is no logger name.)
const PY_LOG_LEVEL = /^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):[A-Za-z][\w. -]{0,40}:(?=\S)(?!\/\/)/;

export interface CleanLine {
  text: string;
  /** BuildKit step number when the line carried a `#N` prefix. */
  step?: number;
  /** The `#N` prefix had a timestamp (`#12 3.456 ...`): BuildKit prints that only for a command's own output. */
  timed?: boolean;
  /** The line carried a GitHub Actions timestamp or workflow command. */
  github: boolean;
  /** Compose's `web-1  | ` prefix: a running container's own output. */
  service?: boolean;
  /** The line carried a build tool's `[ERROR]` level (Maven, opam, sbt), stripped from `text`. */
  errorLevel?: boolean;
  /** The line carried a build tool's `[WARNING]` / `[WARN]` level, stripped from `text`: what the tool went on past. */
  warnLevel?: boolean;
  /** The line opened with the classic builder's red tint for a RUN step's stderr (`[91m`). */
  stepStderr?: boolean;
}

/** The longest line the patterns see; longer lines keep their head and tail. */
export const MAX_LINE = 4096;

/** Per-line clean-up: CI timestamps and markers, BuildKit step prefixes, quotes, length cap. */
export function cleanLine(raw: string): CleanLine {
  let text = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE / 2)} … ${raw.slice(-MAX_LINE / 2)}` : raw;
  let github = false;
  let stepStderr = false;
  if (text.includes("[")) {
    stepStderr = STDERR_TINT.test(text) && !TINT_CLOSED.test(text);
    text = text.replace(SGR_REMNANT, "");
  }
  text = text.trimStart();
  // A chat's inline code: a pasted line that opens with a backtick span (`` `[ERROR]` The command … `127` ``) was
  // marked up by the person who pasted it; its spans' backticks are not the program's. (Only a line that opens so:
  // cargo's `failed to fetch `https://…`` and nerdctl's ``FATA[0000] `buildctl` needs …`` quote with backticks themselves.)
  // (A first backtick that opens no span, `` `#5 0.3 sh: 1: `foo`: not found` ``, marks the whole line: the spans inside are the program's.)
  if (text.charCodeAt(0) === 96 && INLINE_CODE_OPENS.test(text)) text = text.replace(INLINE_CODE, "$1$2");
  const ts = GH_TIMESTAMP.exec(text);
  if (ts) {
    github = true;
    text = text.slice(ts[0].length);
  }
  const bracketed = BRACKETED_TIMESTAMP.exec(text);
  if (bracketed) text = text.slice(bracketed[0].length);
  else if (text.startsWith("[")) {
    const teamcity = TEAMCITY_PREFIX.exec(text);
    if (teamcity) text = text.slice(teamcity[0].length);
    else {
      const relay = RELAY_TAG.exec(text);
      if (relay) text = text.slice(relay[0].length);
    }
  }
  const goTs = GO_LOG_TIMESTAMP.exec(text);
  if (goTs) text = text.slice(goTs[0].length);
  else if (text.charCodeAt(0) <= 57 && text.charCodeAt(0) >= 48) {
    const clock = CLOCK_TIME.exec(text);
    if (clock) text = text.slice(clock[0].length);
  }
  const logrus = LOGRUS_LEVEL.exec(text);
  if (logrus) text = text.slice(logrus[0].length);
  const marker = GH_MARKER.exec(text);
  if (marker) {
    github = true;
    text = text.slice(marker[0].length);
  }
  const service = COMPOSE_PREFIX.exec(text);
  if (service) text = text.slice(service[0].length);
  // A log viewer's gutter (OpenShift's console, Buildkite's `| ` before a step's output): a lone bar before
  // the line, not a table's row (which has more cells, or ends in a bar)
  else if (text.startsWith("| ") && text.charCodeAt(2) > 32 && !text.includes(" | ", 2) && !text.trimEnd().endsWith("|")) text = text.slice(2);
  if (text.startsWith("==> ")) text = text.replace(VAGRANT_PREFIX, "");
  text = text.replace(QUOTE, "");
  if (text.startsWith("**")) text = text.replace(MD_BOLD, "");
  const level = BUILD_TOOL_LEVEL.exec(text);
  if (level) text = text.slice(level[0].length);
  if (text.startsWith("DOCKER> ")) text = text.replace(DMP_PREFIX, "");
  const pyLevel = PY_LOG_LEVEL.exec(text);
  if (pyLevel) text = text.slice(pyLevel[0].length);
  text = text.replace(KLOG_PREFIX, "");
  if (text.charCodeAt(0) === 69 || (text.charCodeAt(0) <= 57 && text.charCodeAt(0) >= 48)) text = text.replace(PYTEST_E, "");
  if (text.startsWith("[") && text.includes(" ms] ")) {
    text = text.replace(DEVCONTAINER_MS, "");
    // (VS Code's log of the CLI puts its own stamp before the CLI's time: `[54490 ms] [2024-06-05T23:55:45.836Z] `)
    if (text.startsWith("[")) text = text.replace(BRACKETED_TIMESTAMP, "");
  }
  // Programs quote with ‘…’ and “…” in a UTF-8 locale (wget, gcc, coreutils, GNU tar) and with
  // '…' and "…" in the C locale of most Dockerfiles: one wording, one pattern.
  // (Those quotes read back as Windows-1252 by a terminal or a forum, `â€˜bash\râ€™`, are the same quotes.)
  if (text.includes("â€")) text = text.replace(/â€[˜™]/g, "'").replace(/â€[œ\u009d]/g, '"');
  if (CURLY.test(text)) text = text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
  // Structured loggers (logfmt, zerolog, logrus) quote a field's error with its inner quotes escaped:
  // `error="… Get \"https://host/v2/\": x509: …"`. The words inside are the error's own.
  // (Only in such a field: BuildKit escapes the quotes of a RUN command the same way, `process "…\"x\"…"`.)
  if (text.includes('\\"') && LOG_FIELD.test(text)) text = text.replace(/\\(["\\])/g, "$1");
  if (text.includes(" / ")) text = text.replace(SPACED_PLATFORM, (_m, os: string, arch: string, v?: string) => (v ? `${os}/${arch}/${v}` : `${os}/${arch}`));
  if (text.includes(" / ") && text.includes("denied for ")) text = text.replace(SPACED_DENIED_REF, (_m, head: string, a: string, b: string, c?: string) => (c ? `${head}${a}/${b}/${c}` : `${head}${a}/${b}`));
  text = tokenizePlaceholders(text);
  if ((text.charCodeAt(0) <= 57 && text.charCodeAt(0) >= 48) || text.startsWith("[")) text = text.replace(TIMESTAMP_BEFORE_STEP, "");
  if (text.includes(": #")) text = text.replace(WORKSPACE_BEFORE_STEP, "");
  else if (text.charCodeAt(0) <= 57 && text.charCodeAt(0) >= 48) text = text.replace(VIEWER_LINE_NUMBER, "");
  // (Python's logging at ERROR or CRITICAL is the program's own verdict on the line, as `[ERROR]` is)
  const errorLevel = (level !== null && /^\[error\]/i.test(level[0])) || (pyLevel !== null && /^(?:ERROR|CRITICAL):/.test(pyLevel[0]));
  const warnLevel = level !== null && /^\[warn(?:ing)?\]/i.test(level[0]);
  const bk = BUILDKIT_STEP.exec(text);
  if (bk) {
    text = text.slice(bk[0].length).replace(PNPM_PREFIX, "").replace(PIPENV_RELAY, "").replace(TURBO_PREFIX, "").replace(CARGO_WARNING, "");
    if (text.startsWith("(")) text = text.replace(BAZEL_TIME, "");
  } else {
    const tty = BUILDKIT_TTY_TIMED.exec(text);
    if (tty) {
      text = text.slice(tty[0].length).replace(PNPM_PREFIX, "").replace(PIPENV_RELAY, "").replace(TURBO_PREFIX, "").replace(CARGO_WARNING, "");
      if (text.startsWith("(")) text = text.replace(BAZEL_TIME, "");
      if (text.startsWith("```")) text = "";
      const timedOut: CleanLine = { text: text.trim(), timed: true, github };
      if (errorLevel) timedOut.errorLevel = true;
      if (warnLevel) timedOut.warnLevel = true;
      if (stepStderr) timedOut.stepStderr = true;
      return timedOut;
    }
    text = text.replace(PNPM_PREFIX, "").replace(PIPENV_RELAY, "").replace(CARGO_WARNING, "");
    if (text.startsWith("(")) text = text.replace(BAZEL_TIME, "");
  }
  if (text.startsWith("```")) text = "";
  const out: CleanLine = bk ? { text: text.trim(), step: Number(bk[1]), timed: bk[2] !== undefined, github } : { text: text.trim(), github };
  if (service) out.service = true;
  if (errorLevel) out.errorLevel = true;
  if (warnLevel) out.warnLevel = true;
  // (Compose v1 colours a service's prefix with the same bright red: a running container's line)
  if (stepStderr && !service) out.stepStderr = true;
  return out;
}
