// POST /github/webhook: GitHub's `workflow_run` and `workflow_job` events, signed with
// GITHUB_WEBHOOK_SECRET (X-Hub-Signature-256). A completed run or job that failed is answered
// 202 at once; then its failed jobs' logs are read through the REST API (GITHUB_TOKEN) and each
// becomes a CI alert. When the logs cannot be read (no token, 401, 404, rate limit, 5xx) the
// channel gets a short alert saying so. Other events and successful runs: 200, ignored.
import { verify } from "@octokit/webhooks-methods";
import type { Express, Request, Response } from "express";
import type { Logger } from "pino";
import { type AlertService, UnroutableError } from "../../alerts/alert-service.js";
import type { Target } from "../../alerts/routing.js";
import type { AlertMeta } from "../../alerts/schema.js";
import { type InFlightGate, signedBody } from "../../alerts/webhook-body.js";
import { rememberWebhookRepo } from "./repo-allowlist.js";
import { LogTooLargeError } from "../../input/decode-log.js";
import { GitHubApiError, type GitHubClient, isRepoName } from "./client.js";
import { failedJobLogs } from "./logs.js";

export const GITHUB_WEBHOOK_PATH = "/github/webhook";
const SIGNATURE = "x-hub-signature-256";

interface RunPayload {
  action?: string;
  repository?: { full_name?: string };
  workflow_run?: { id: number; name?: string; conclusion?: string | null; head_branch?: string | null; head_sha?: string; html_url?: string };
  workflow_job?: { id: number; run_id: number; name?: string; workflow_name?: string | null; conclusion?: string | null; head_branch?: string | null; head_sha?: string; html_url?: string | null };
}

interface Work {
  repo: string;
  runId: number;
  jobId?: number | undefined;
  meta: AlertMeta;
}

/** What a delivery asks for: a failed run or job to read, or why it is ignored. */
export function workFrom(event: string | undefined, p: RunPayload): Work | { ignored: string } {
  const repo = p.repository?.full_name;
  if (event === "workflow_run" && p.workflow_run && repo) {
    const r = p.workflow_run;
    if (p.action !== "completed" || r.conclusion !== "failure") return { ignored: `workflow_run ${p.action ?? ""} ${r.conclusion ?? ""}`.trim() };
    return { repo, runId: r.id, meta: clean({ repo, workflow: r.name, branch: r.head_branch, commit: r.head_sha, runUrl: r.html_url }) };
  }
  if (event === "workflow_job" && p.workflow_job && repo) {
    const j = p.workflow_job;
    if (p.action !== "completed" || j.conclusion !== "failure") return { ignored: `workflow_job ${p.action ?? ""} ${j.conclusion ?? ""}`.trim() };
    return { repo, runId: j.run_id, jobId: j.id, meta: clean({ repo, workflow: j.workflow_name, job: j.name, branch: j.head_branch, commit: j.head_sha, runUrl: j.html_url }) };
  }
  return { ignored: `event ${event ?? "(none)"}` };
}

function clean(m: Record<string, string | null | undefined>): AlertMeta {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as AlertMeta;
}

export interface GitHubWebhookOptions {
  secret: string;
  maxBytes: number;
  alerts: AlertService;
  /** Without it (no GITHUB_TOKEN) failures are alerted without logs, saying what to configure. */
  github: GitHubClient | undefined;
  gate: InFlightGate;
  log: Logger;
}

/** Reads the failed jobs' logs and alerts each; API failures become the short "logs could not be read" alert. */
export async function alertRun(o: GitHubWebhookOptions, work: Work, targets: Target[]): Promise<void> {
  if (!o.github) {
    o.alerts.acceptUnreadable(work.meta, "GITHUB_TOKEN is not configured, so buildx-fix cannot read the job logs: set it (read access to Actions) to get the diagnosis here.", targets);
    return;
  }
  try {
    const logs = await failedJobLogs(o.github, work.repo, work.runId, o.maxBytes, work.jobId);
    if (!logs.length) {
      o.alerts.acceptUnreadable(work.meta, "GitHub lists no failed job with a log for this run.", targets);
      return;
    }
    for (const { job, failedStep, text } of logs) {
      const jobLabel = failedStep ? `${job.name} › ${failedStep}` : job.name;
      await o.alerts.accept(text, { ...work.meta, job: jobLabel, ...(job.html_url ? { runUrl: job.html_url } : {}) }, targets);
    }
  } catch (err) {
    if (err instanceof GitHubApiError || err instanceof LogTooLargeError) {
      o.log.warn({ repo: work.repo, run: work.runId, err: err.message }, "GitHub job logs could not be read");
      o.alerts.acceptUnreadable(work.meta, `Logs could not be read: ${err.message}.`, targets);
      return;
    }
    throw err;
  }
}

export function mountGithubWebhook(app: Express, o: GitHubWebhookOptions): void {
  const body = signedBody({
    maxBytes: o.maxBytes,
    gate: o.gate,
    header: SIGNATURE,
    // GitHub signs and sends plain JSON, never a compressed body.
    encodings: false,
    verify: async (raw, req) => {
      const sig = req.headers[SIGNATURE];
      const ok = raw.length > 0 && typeof sig === "string" && (await verify(o.secret, raw.toString("utf8"), sig.trim()));
      return ok || "bad signature";
    },
  });
  app.post(GITHUB_WEBHOOK_PATH, ...body, (req: Request, res: Response) => {
    const raw = req.body as Buffer;
    const event = req.headers["x-github-event"];
    let payload: RunPayload;
    try {
      payload = JSON.parse(raw.toString("utf8")) as RunPayload;
      if (!payload || typeof payload !== "object") throw new Error("not an object");
    } catch {
      return void res.status(400).json({ error: "malformed JSON body" });
    }
    // A signed delivery names a repository this installation reports on: its run links may be read in chat.
    const repo = payload.repository?.full_name;
    if (typeof repo === "string" && isRepoName(repo)) o.alerts.background(rememberWebhookRepo(o.alerts.store, repo));
    if (event === "ping") return void res.status(200).json({ ok: true });
    const work = workFrom(typeof event === "string" ? event : undefined, payload);
    if ("ignored" in work) return void res.status(200).json({ ignored: work.ignored });
    let targets: Target[];
    try {
      targets = o.alerts.targets(work.repo, undefined);
    } catch (err) {
      if (err instanceof UnroutableError) return void res.status(400).json({ error: err.message });
      throw err;
    }
    res.status(202).json({ accepted: true, repo: work.repo, run: work.runId, ...(work.jobId ? { job: work.jobId } : {}) });
    o.alerts.background(alertRun(o, work, targets));
  });
}
