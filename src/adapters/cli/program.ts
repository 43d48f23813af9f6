// The command line: `buildx-fix diagnose | rules list | rules test | chat | notify`. Argument parsing
// is commander's; this file only wires options to the engine and renderers.
import { Command, CommanderError, Option } from "commander";
// Only what `diagnose` needs is imported up front; the YAML loader, the store, pino, the LLM
// client and the alert code load when a command uses them (start-up is most of a short log's time).
import { redactingLogOptions } from "../../redact/log.js";
import { InputError } from "../../engine/normalize.js";
import { openEngine, rulesDirsFromEnv } from "../../engine/open-engine.js";
import { RuleLoadError } from "../../rules/errors.js";
import { PACKAGE_VERSION } from "../../package-info.js";
import { LogTooLargeError } from "../../input/decode-log.js";
import { LogSource, diagnoseSource } from "../../input/log-source.js";
import { renderJson } from "../../renderers/json.js";
import { renderMarkdown } from "../../renderers/markdown.js";
import { renderTerminal, wantsColor } from "../../renderers/terminal.js";
import type { LlmFallback } from "../../llm/fallback.js";
import type { Store } from "../../store/store.js";

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** A usage error or unreadable input: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** `notify`: the bot could not be reached (exit 3) or refused the alert (exit 4). */
export class NotifyError extends Error {
  override readonly name = "NotifyError";
  constructor(
    message: string,
    readonly exitCode: 3 | 4,
  ) {
    super(message);
  }
}

interface NotifyOptions {
  url?: string;
  target?: string;
  title?: string;
  repo?: string;
  workflow?: string;
  job?: string;
  branch?: string;
  commit?: string;
  runUrl?: string;
  timeout: string;
}

/** `buildx-fix notify`: the log, signed, to the bot's POST /ci/alert; prints what it diagnosed. */
async function notify(file: string | undefined, opts: NotifyOptions, io: CliIO): Promise<void> {
  const base = opts.url ?? io.env.BUILDX_FIX_URL;
  if (!base) throw new UsageError("no bot URL: set BUILDX_FIX_URL (e.g. https://buildx-fix.example.com) or pass --url");
  let endpoint: URL;
  try {
    endpoint = new URL(/\/ci\/alert\/?$/.test(base) ? base : `${base.replace(/\/+$/, "")}/ci/alert`);
    if (!/^https?:$/.test(endpoint.protocol)) throw new Error("not http");
  } catch {
    throw new UsageError(`BUILDX_FIX_URL is not an http(s) URL: ${base}`);
  }
  const secret = io.env.CI_WEBHOOK_SECRET;
  if (!secret) throw new UsageError("CI_WEBHOOK_SECRET is not set: it signs the alert (the same secret as the bot's)");
  const log = await readLog(file, io);
  const [{ ciContext }, { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign }] = await Promise.all([import("../../alerts/ci-env.js"), import("../../alerts/signature.js")]);
  const fromEnv = ciContext(io.env);
  const meta = { repo: opts.repo, workflow: opts.workflow, job: opts.job, branch: opts.branch, commit: opts.commit, runUrl: opts.runUrl, title: opts.title };
  const payload: Record<string, string> = { log };
  for (const k of ["repo", "workflow", "job", "branch", "commit", "runUrl"] as const) {
    const value = meta[k] ?? fromEnv[k];
    if (value) payload[k] = value;
  }
  if (meta.title) payload.title = meta.title;
  if (opts.target) payload.target = opts.target;
  const body = JSON.stringify(payload);
  // Signed with the time, so the bot refuses it if it is replayed later.
  const timestamp = Math.floor(Date.now() / 1000);
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", [SIGNATURE_HEADER]: sign(secret, body, timestamp), [TIMESTAMP_HEADER]: String(timestamp), "user-agent": `buildx-fix/${PACKAGE_VERSION}` },
      body,
      signal: AbortSignal.timeout(Number(opts.timeout) * 1000 || 60_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new NotifyError(`cannot reach the bot at ${endpoint.origin}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, 3);
  }
  const text = await res.text();
  let answer: { id?: string; ruleId?: string | null; summary?: string; error?: string } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // not JSON: a proxy's error page
  }
  if (res.status === 202) {
    io.stdout.write(`buildx-fix: alert ${answer.id ?? ""} accepted: ${answer.ruleId ?? "no known cause"}${answer.summary ? ` (${answer.summary})` : ""}\n`);
    return;
  }
  const why =
    res.status === 401 ? "the signature was refused: CI_WEBHOOK_SECRET differs from the bot's"
    : res.status === 404 ? "there is no /ci/alert there: the bot has no CI_WEBHOOK_SECRET set, or BUILDX_FIX_URL is wrong"
    : res.status === 413 ? `the log is over the bot's size limit (MAX_LOG_BYTES)${answer.error ? `: ${answer.error}` : ""}`
    : (answer.error ?? (text.slice(0, 200) || res.statusText));
  throw new NotifyError(`the bot refused the alert (HTTP ${res.status}): ${why}`, res.status >= 500 ? 3 : 4);
}

/** Where `diagnose` and `notify` read the log: a FILE, or stdin for `-` or nothing. */
function logSource(file: string | undefined, io: CliIO): LogSource {
  if (!file || file === "-") {
    if (!file && io.stdin.isTTY) throw new UsageError("no log given: pass a FILE, or pipe the log into stdin (buildx-fix diagnose - < build.log)");
    return LogSource.fromStream(io.stdin);
  }
  return LogSource.fromFile(file);
}

async function readLog(file: string | undefined, io: CliIO): Promise<string> {
  return unreadable(file, () => logSource(file, io).text(maxBytes(io.env)));
}

/** File-system errors as one line for the user. */
async function unreadable<T>(file: string | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!e.code || !file || !["ENOENT", "EISDIR", "EACCES", "EPERM"].includes(e.code)) throw err;
    throw new UsageError(`cannot read ${file}: ${e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "it is a directory" : e.message}`);
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A local file has no upload limit to respect; MAX_LOG_BYTES still applies when set. */
const CLI_MAX_LOG_BYTES = 1024 * 1024 * 1024;
const maxBytes = (env: NodeJS.ProcessEnv): number => Number(env.MAX_LOG_BYTES) || CLI_MAX_LOG_BYTES;

/**
 * The LLM fallback for `diagnose`: off with --no-llm, required with --llm, and otherwise on
 * exactly when OPENAI_MODEL and OPENAI_API_KEY or OPENAI_BASE_URL are set. The SDK is only
 * loaded when it is used.
 */
async function llmFallbackFor(flag: boolean | undefined, io: CliIO): Promise<{ llm: LlmFallback; store: Store } | undefined> {
  if (flag === false) return undefined;
  // With no LLM variable set and no --llm there is nothing to validate: skip loading zod.
  if (flag === undefined && !Object.entries(io.env).some(([k, v]) => v && /^(?:OPENAI|LLM)_/.test(k))) return undefined;
  const [{ LlmConfigError, llmSettingFromEnv }, { pino }, { Store }] = await Promise.all([
    import("../../llm/config.js"),
    import("pino"),
    import("../../store/store.js"),
  ]);
  let setting;
  try {
    setting = llmSettingFromEnv(io.env);
  } catch (err) {
    if (err instanceof LlmConfigError) throw new UsageError(err.message);
    throw err;
  }
  if (!setting.config) {
    if (flag) throw new UsageError(`--llm needs OPENAI_MODEL and OPENAI_API_KEY or OPENAI_BASE_URL${setting.why ? ` (${setting.why})` : ""}`);
    return undefined;
  }
  const { LlmFallback } = await import("../../llm/fallback.js");
  const level = io.env.LOG_LEVEL || "warn";
  const log = pino({ level, base: { name: "buildx-fix" }, ...redactingLogOptions }, io.stderr as unknown as import("pino").DestinationStream);
  // The answer cache lives as long as the process: one question per distinct failure.
  const store = Store.create(undefined);
  return { llm: new LlmFallback({ config: setting.config, log, store }), store };
}

export function buildProgram(io: CliIO): Command {
  const program = new Command("buildx-fix")
    .description("Diagnose failed Docker / buildx builds from their logs: the cause, the command that fixes it, the docs.")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError(false)
    .version(PACKAGE_VERSION, "-V, --version");

  const rulesOption = () => new Option("--rules <dir>", "also load team rules from DIR (repeatable; RULES_DIR works too)").argParser(collect).default([] as string[]);
  const dirsOf = (opts: { rules: string[] }) => [...rulesDirsFromEnv(io.env), ...opts.rules];

  program
    .command("diagnose")
    .description("diagnose a build log from FILE or stdin")
    .argument("[file]", "the log file (.log, .txt, .gz, or a GitHub Actions log archive .zip); - or nothing reads stdin")
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .option("--json", "same as --format json")
    .addOption(new Option("--lang <lang>", "answer language").choices(["en", "zh", "auto"]).default("auto"))
    .addOption(rulesOption())
    .option("--llm", "ask the configured LLM when no rule is confident (the default when OPENAI_MODEL is set)")
    .option("--no-llm", "rules only, even when an LLM is configured")
    .action(async (file: string | undefined, opts: { format: string; json?: boolean; lang: "en" | "zh" | "auto"; rules: string[]; llm?: boolean }) => {
      const engine = await openEngine({ extraDirs: dirsOf(opts) });
      const fallback = await llmFallbackFor(opts.llm, io);
      let result;
      if (fallback) {
        const log = await readLog(file, io);
        const { BotService } = await import("../../core/bot-service.js");
        result = (await new BotService(engine, fallback.store, fallback.llm).answer(log, { lang: opts.lang })).result;
        await fallback.store.close();
      } else {
        // Streamed through the byte path: memory stays flat whatever the log's size.
        result = await unreadable(file, () => diagnoseSource(engine, logSource(file, io), { lang: opts.lang, maxBytes: maxBytes(io.env) }));
      }
      const format = opts.json ? "json" : opts.format;
      const out =
        format === "json" ? renderJson(result) : format === "markdown" ? renderMarkdown(result) : renderTerminal(result, { color: wantsColor(io.stdout) });
      io.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
    });

  const rules = program.command("rules").description("list or test the rules");
  rules
    .command("list")
    .description("list the causes buildx-fix knows")
    .addOption(rulesOption())
    .addOption(new Option("--lang <lang>", "language of the titles").choices(["en", "zh"]).default("en"))
    .option("--json", "print JSON")
    .action(async (opts: { rules: string[]; json?: boolean; lang: "en" | "zh" }) => {
      const engine = await openEngine({ extraDirs: dirsOf(opts) });
      const list = engine.rules.map(({ rule, builtin, file }) => ({ id: rule.id, title: rule.title[opts.lang], category: rule.category, confidence: rule.confidence, source: builtin ? "built-in" : file }));
      if (opts.json) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else {
        const width = Math.max(...list.map((r) => r.id.length));
        for (const r of list) io.stdout.write(`${r.id.padEnd(width)}  ${r.category.padEnd(10)}  ${r.title}${r.source === "built-in" ? "" : `  (${r.source})`}\n`);
        io.stdout.write(opts.lang === "zh" ? `共 ${list.length} 条规则\n` : `${list.length} rules\n`);
      }
    });
  rules
    .command("show")
    .description("one rule's page: summary, fixes, docs, how it matches, examples (checked now) and near-misses")
    .argument("<id>", "the rule id (see `rules list`)")
    .addOption(new Option("--lang <lang>", "language").choices(["en", "zh"]).default("en"))
    .addOption(rulesOption())
    .action(async (id: string, opts: { lang: "en" | "zh"; rules: string[] }) => {
      // A rule page shows examples, which only the YAML files hold.
      const [{ createEngine }, { rulePage }, { renderRulePage }] = await Promise.all([
        import("../../engine/index.js"),
        import("../../rules/rule-page.js"),
        import("../../renderers/rule-page-text.js"),
      ]);
      const engine = createEngine({ extraDirs: dirsOf(opts) });
      const page = rulePage(engine, id, opts.lang);
      if (!page) throw new UsageError(`no rule ${JSON.stringify(id)}: \`buildx-fix rules list\` names them all`);
      io.stdout.write(renderRulePage(page, { color: wantsColor(io.stdout) }));
    });
  rules
    .command("test")
    .description("run every rule's examples (with DIR: the rules in DIR, against the built-in pack plus DIR)")
    .argument("[dir]", "a directory of team rules")
    .action(async (dir: string | undefined) => {
      const extra = [...rulesDirsFromEnv(io.env), ...(dir ? [dir] : [])];
      // The examples live only in the YAML files, so this always takes the YAML path.
      const [{ createEngine }, { testRuleExamples }] = await Promise.all([import("../../engine/index.js"), import("../../rules/example-test.js")]);
      const engine = createEngine({ extraDirs: extra });
      const subject = dir ? engine.rules.filter((r) => !r.builtin) : engine.rules;
      const report = testRuleExamples(engine, subject);
      for (const f of report.failures) io.stdout.write(`FAIL ${f.ruleId} ${f.example} (${f.file}): ${f.problem}\n`);
      io.stdout.write(`${report.rules} rules, ${report.examples} examples: ${report.examples - report.failures.length} passed, ${report.failures.length} failed\n`);
      if (report.failures.length) process.exitCode = 1;
    });

  program
    .command("notify")
    .description("send a failed build's log to the buildx-fix bot (POST /ci/alert, signed with CI_WEBHOOK_SECRET) to alert the team's channel; repo, workflow, branch, commit and run link come from the GitHub Actions or GitLab CI environment")
    .argument("[file]", "the log file (.log, .txt, .gz, or a GitHub Actions log archive .zip); - or nothing reads stdin")
    .option("--url <url>", "the bot's base URL (default: BUILDX_FIX_URL)")
    .option("--target <target>", "slack:<channel id> or discord:<channel id> (default: the bot's routing)")
    .option("--title <title>", "the alert's headline")
    .option("--repo <repo>", "override the repository")
    .option("--workflow <name>", "override the workflow")
    .option("--job <name>", "override the job")
    .option("--branch <name>", "override the branch")
    .option("--commit <sha>", "override the commit")
    .option("--run-url <url>", "override the link to the run")
    .option("--timeout <seconds>", "give up after this long", "60")
    .action((file: string | undefined, opts: NotifyOptions) => notify(file, opts, io));

  program
    .command("chat")
    .description("terminal chat: paste a log, end with an empty line or Ctrl-D, get the answer the bot would post")
    .addOption(new Option("--lang <lang>", "answer language").choices(["en", "zh", "auto"]).default("auto"))
    .addOption(rulesOption())
    .action(async (opts: { lang: "en" | "zh" | "auto"; rules: string[] }) => {
      const engine = await openEngine({ extraDirs: dirsOf(opts) });
      const { runTerminalChat } = await import("../local/terminal-chat.js");
      await runTerminalChat({ engine, input: io.stdin, output: io.stdout, lang: opts.lang });
    });

  return program;
}

/** Runs the CLI and returns the exit code (0 ran, 1 rule tests failed, 2 usage or input error; notify: 3 bot unreachable, 4 alert refused). */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError || err instanceof InputError || err instanceof LogTooLargeError) {
      io.stderr.write(`buildx-fix: ${err.message}\n`);
      return 2;
    }
    if (err instanceof NotifyError) {
      io.stderr.write(`buildx-fix: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof RuleLoadError) {
      io.stderr.write(`buildx-fix: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
