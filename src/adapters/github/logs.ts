// The logs of a run's failed jobs: each job's own log, or — where that is not available (404,
// 410) — its part of the run's zip archive (`<n>_<job>.txt`, or the `<job>/<n>_<step>.txt`
// files). Which step failed comes from the jobs list.
import { unzipSync } from "fflate";
import { LogTooLargeError, decodeLog } from "../../input/decode-log.js";
import { type GitHubClient, GitHubApiError, type GitHubJob } from "./client.js";

/** Failed jobs read per run; a matrix of 50 failing jobs is one failure, not 50 alerts. */
const MAX_JOBS = 5;

export interface JobLog {
  job: GitHubJob;
  failedStep?: string | undefined;
  text: string;
}

/** Job names as the archive spells them (characters not allowed in file names dropped). */
const fileSafe = (s: string) => s.replace(/[/\\:*?"<>|]/g, "").trim();

export function jobLogFromZip(zip: Buffer, jobName: string, maxBytes: number): string | undefined {
  const name = fileSafe(jobName);
  const files = unzipSync(new Uint8Array(zip), {
    filter: (f) => f.originalSize <= maxBytes && (new RegExp(`^\\d+_${escape(name)}\\.txt$`).test(f.name) || f.name.startsWith(`${name}/`)),
  });
  const whole = Object.keys(files).find((n) => !n.includes("/"));
  if (whole) return decodeLog(Buffer.from(files[whole]!), maxBytes);
  const steps = Object.keys(files)
    .filter((n) => n.endsWith(".txt"))
    .sort((a, b) => (Number(/\/(\d+)_/.exec(a)?.[1]) || 0) - (Number(/\/(\d+)_/.exec(b)?.[1]) || 0));
  if (!steps.length) return undefined;
  const text = steps.map((n) => Buffer.from(files[n]!).toString("utf8")).join("\n");
  if (Buffer.byteLength(text) > maxBytes) throw new LogTooLargeError(Buffer.byteLength(text), maxBytes);
  return text;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The failed jobs of run `runId` (only `jobId` when given) with their logs. */
export async function failedJobLogs(client: GitHubClient, repo: string, runId: number, maxBytes: number, jobId?: number): Promise<JobLog[]> {
  const jobs = (await client.runJobs(repo, runId)).filter((j) => j.conclusion === "failure" && (jobId === undefined || j.id === jobId)).slice(0, MAX_JOBS);
  const out: JobLog[] = [];
  let zip: Buffer | undefined;
  for (const job of jobs) {
    const failedStep = job.steps?.find((s) => s.conclusion === "failure")?.name;
    let text: string | undefined;
    try {
      text = decodeLog(await client.jobLog(repo, job.id), maxBytes);
    } catch (err) {
      if (!(err instanceof GitHubApiError && (err.kind === "not-found" || err.kind === "gone"))) throw err;
      zip ??= await client.runLogsZip(repo, runId);
      text = jobLogFromZip(zip, job.name, maxBytes);
      if (text === undefined) throw new GitHubApiError(`the run's log archive has no log for job "${job.name}"`, "not-found");
    }
    out.push({ job, failedStep, text });
  }
  return out;
}
