// The GitHub Action (action.yml): after a failed build, diagnose the log — a file from this job
// (`log-file`), or the logs of this run's failed jobs read through the REST API with the job's
// token — then write the answer to the job summary, annotate the run (at the Dockerfile line
// BuildKit names, when it names one), set the outputs, and optionally alert the team's channel
// through the bot (`bot-url` + `secret`, skipped quietly without a secret, as on fork PRs).
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Readable } from "node:stream";
import { GitHubApiError, GitHubClient } from "../adapters/github/client.js";
import { failedJobLogs } from "../adapters/github/logs.js";
import { runCli } from "../adapters/cli/program.js";
import { createEngine } from "../engine/index.js";
import type { DiagnoseResult, Lang } from "../engine/types.js";
import { DEFAULT_MAX_LOG_BYTES, LogTooLargeError, decodeLog } from "../input/decode-log.js";
import { InputError } from "../engine/normalize.js";
import { renderMarkdown } from "../renderers/markdown.js";
import { appendSummary, command, input, setOutputs } from "./workflow-commands.js";

export interface ActionIO {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

interface LabelledLog {
  /** The job (and failed step) it came from, or the file name. */
  label: string;
  job?: string | undefined;
  text: string;
}

class ActionError extends Error {}

/** `Dockerfile:12` as BuildKit prints it above the failing instruction: the last one in the log. */
export function dockerfileLine(text: string): { file: string; line: number } | undefined {
  let found: { file: string; line: number } | undefined;
  for (const m of text.matchAll(/(?:^|\s)((?:[\w.-]+\/)*[\w.-]*Dockerfile[\w.-]*):(\d+)[ \t]*\r?$/gm)) found = { file: m[1]!, line: Number(m[2]) };
  return found;
}

async function readLogs(env: NodeJS.ProcessEnv, maxBytes: number): Promise<LabelledLog[]> {
  const logFile = input(env, "log-file");
  if (logFile) {
    const path = isAbsolute(logFile) ? logFile : join(env.GITHUB_WORKSPACE ?? process.cwd(), logFile);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new ActionError(`cannot read log-file ${logFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return [{ label: logFile, text: decodeLog(bytes, maxBytes) }];
  }
  const token = input(env, "github-token");
  const repo = env.GITHUB_REPOSITORY;
  const runId = Number(input(env, "run-id") || env.GITHUB_RUN_ID);
  if (!token || !repo || !runId) throw new ActionError("no log to read: pass log-file, or github-token (with actions: read) in a workflow run");
  const client = new GitHubClient(env.GITHUB_API_URL || "https://api.github.com", token, maxBytes);
  const wanted = input(env, "job");
  const logs = (await failedJobLogs(client, repo, runId, maxBytes)).filter((l) => !wanted || l.job.name === wanted || String(l.job.id) === wanted);
  return logs.map((l) => ({ label: l.failedStep ? `${l.job.name} › ${l.failedStep}` : l.job.name, job: l.job.name, text: l.text }));
}

function annotate(io: ActionIO, log: LabelledLog, result: DiagnoseResult): void {
  const top = result.diagnoses[0];
  if (!top) {
    io.stdout.write(command("notice", `buildx-fix found no known cause in ${log.label}; the job summary lists what to check next.`, { title: "buildx-fix: no known cause" }));
    return;
  }
  const fix = top.fix.find((f) => f.command)?.command;
  const where = dockerfileLine(log.text);
  io.stdout.write(command("error", `${top.summary}${fix ? `\nFix: ${fix}` : ""}`, { title: `buildx-fix: ${top.title} [${top.ruleId}]`, ...(where ?? {}) }));
}

async function notify(io: ActionIO, log: LabelledLog, botUrl: string, secret: string): Promise<void> {
  const args = ["notify", "-", "--url", botUrl, ...(log.job ? ["--job", log.label] : [])];
  const err: string[] = [];
  const code = await runCli(args, {
    stdin: Readable.from([log.text]),
    stdout: io.stdout,
    stderr: { write: (s: string) => err.push(s) } as unknown as NodeJS.WritableStream,
    env: { ...io.env, CI_WEBHOOK_SECRET: secret },
  });
  if (code !== 0) io.stdout.write(command("warning", `buildx-fix could not notify the bot: ${err.join("").replace(/^buildx-fix: /, "").trim()}`));
}

export async function runAction(io: ActionIO): Promise<number> {
  const env = io.env;
  const maxBytes = Number(env.MAX_LOG_BYTES) || DEFAULT_MAX_LOG_BYTES;
  const langInput = input(env, "lang");
  const lang: Lang | "auto" = langInput === "en" || langInput === "zh" ? langInput : "auto";
  const rules = input(env, "rules");
  let logs: LabelledLog[];
  try {
    logs = await readLogs(env, maxBytes);
  } catch (err) {
    if (err instanceof ActionError) {
      io.stdout.write(command("error", err.message, { title: "buildx-fix" }));
      return 1;
    }
    if (err instanceof GitHubApiError || err instanceof LogTooLargeError || err instanceof InputError) {
      // The build already failed; a log that cannot be read is worth a warning, not a second failure.
      io.stdout.write(command("warning", `buildx-fix could not read the logs: ${err.message}`, { title: "buildx-fix" }));
      return 0;
    }
    throw err;
  }
  if (!logs.length) {
    io.stdout.write(command("warning", "buildx-fix found no failed job with a log in this run. A job's log exists once the job has finished: run this action in a later job (needs: <the build job>, if: failure()), or pass log-file.", { title: "buildx-fix" }));
    return 0;
  }
  const engine = createEngine({ extraDirs: rules ? [rules] : [] });
  let primary: DiagnoseResult | undefined;
  for (const log of logs) {
    let result: DiagnoseResult;
    try {
      result = engine.diagnose(log.text, { lang });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      io.stdout.write(command("warning", `buildx-fix: ${log.label}: ${err.message}`));
      continue;
    }
    if (!primary || (!primary.diagnoses.length && result.diagnoses.length)) primary = result;
    appendSummary(env.GITHUB_STEP_SUMMARY, `## buildx-fix: ${log.label}\n\n${renderMarkdown(result)}\n`);
    annotate(io, log, result);
  }
  const top = primary?.diagnoses[0];
  setOutputs(env.GITHUB_OUTPUT, { "rule-id": top?.ruleId ?? "", confidence: top?.confidence ?? "", summary: top?.summary ?? "" });
  const botUrl = input(env, "bot-url");
  const secret = input(env, "secret");
  if (botUrl && !secret) io.stdout.write("buildx-fix: no secret (as in pull requests from forks): the team's channel is not notified.\n");
  if (botUrl && secret) for (const log of logs) await notify(io, log, botUrl, secret);
  return 0;
}
