// The few GitHub REST calls the bot needs to read failed Actions jobs' logs, through Octokit
// (with its retry and throttling plugins, so 5xx answers are retried with backoff and short
// rate-limit waits are honoured): the run's jobs, a job's log and the run's log archive. The
// two log endpoints answer with a redirect to a short-lived download URL, which is fetched
// here without the token and with the size cap. GITHUB_API_URL points at GitHub Enterprise too.
// Every failure becomes a GitHubApiError with a short, human reason.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { readCapped } from "../../input/read-capped.js";
import { PACKAGE_VERSION } from "../../package-info.js";

export type GitHubFailure = "auth" | "forbidden" | "not-found" | "gone" | "rate-limit" | "server" | "network";

export class GitHubApiError extends Error {
  override readonly name = "GitHubApiError";
  constructor(
    message: string,
    readonly kind: GitHubFailure,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface GitHubJob {
  id: number;
  run_id: number;
  name: string;
  conclusion: string | null;
  html_url: string | null;
  workflow_name?: string | null;
  head_branch?: string | null;
  head_sha?: string;
  steps?: Array<{ name: string; conclusion: string | null; number: number }>;
}

const RestClient = Octokit.plugin(retry, throttling);
type RestClient = InstanceType<typeof RestClient>;

/** A rate-limit wait the bot sits out (the work is in the background); longer ones fail fast. */
const MAX_RATE_LIMIT_WAIT_S = 5;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface OctokitFailure {
  status?: number;
  message?: string;
  response?: { headers: Record<string, string | undefined> };
}

function toApiError(err: unknown): GitHubApiError {
  if (err instanceof GitHubApiError) return err;
  const e = err as OctokitFailure;
  // No response: the request never got an answer (connection refused, DNS, timeout).
  if (!e.response || typeof e.status !== "number") return new GitHubApiError(`GitHub API unreachable (${e.message ?? String(err)})`, "network");
  const s = e.status;
  const h = e.response.headers;
  if (s === 429 || (s === 403 && (h["x-ratelimit-remaining"] === "0" || h["retry-after"] !== undefined))) {
    const reset = Number(h["x-ratelimit-reset"]);
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : "";
    return new GitHubApiError(`GitHub API rate limit reached${when} (HTTP ${s})`, "rate-limit", s);
  }
  if (s === 401) return new GitHubApiError("GitHub rejected GITHUB_TOKEN (HTTP 401): it is invalid or expired", "auth", s);
  if (s === 403) return new GitHubApiError("GitHub refused access (HTTP 403): GITHUB_TOKEN needs read access to Actions on this repository", "forbidden", s);
  if (s === 404) return new GitHubApiError("GitHub answered 404: the run or its logs were not found, or GITHUB_TOKEN cannot see this repository", "not-found", s);
  if (s === 410) return new GitHubApiError("GitHub answered 410: the logs have expired", "gone", s);
  return new GitHubApiError(`GitHub API error (HTTP ${s})`, "server", s);
}

/**
 * `owner/name` as GitHub allows them: owners are letters, digits, `-` and `_` (managed users);
 * names add `.` but are never `.` or `..`. Anything else (a `..` from a pasted link) would move
 * the request out of the API prefix once the URL is normalised, so it never reaches a path.
 */
export function isRepoName(repo: string): boolean {
  const m = /^([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,38}))\/([A-Za-z0-9_.-]{1,100})$/.exec(repo);
  return !!m && m[2] !== "." && m[2] !== "..";
}

function splitRepo(repo: string): { owner: string; repo: string } {
  if (!isRepoName(repo)) throw new GitHubApiError(`"${repo}" is not a GitHub repository name`, "not-found");
  const [owner = "", name = ""] = repo.split("/");
  return { owner, repo: name };
}

export class GitHubClient {
  private readonly octokit: RestClient;

  constructor(
    private readonly apiUrl: string,
    token: string,
    private readonly maxBytes: number,
    /** Backoff unit of retries (1x, 4x); tests make it short. */
    retryBaseMs = 500,
  ) {
    this.octokit = new RestClient({
      baseUrl: apiUrl.replace(/\/+$/, ""),
      userAgent: `buildx-fix/${PACKAGE_VERSION}`,
      log: quiet,
      retry: { retries: 2, retryAfterBaseValue: retryBaseMs, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        onRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => count < 1 && after <= MAX_RATE_LIMIT_WAIT_S,
        onSecondaryRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => count < 1 && after <= MAX_RATE_LIMIT_WAIT_S,
      },
    });
    // The `Bearer` form GitHub documents, for every token kind (Octokit's `auth` sends `token …`).
    this.octokit.hook.before("request", (options) => {
      options.headers.authorization = `Bearer ${token}`;
    });
  }

  async runJobs(repo: string, runId: number): Promise<GitHubJob[]> {
    try {
      const res = await this.octokit.rest.actions.listJobsForWorkflowRun({ ...splitRepo(repo), run_id: runId, filter: "latest", per_page: 100, request: { signal: AbortSignal.timeout(30_000) } });
      return res.data.jobs as GitHubJob[];
    } catch (err) {
      throw toApiError(err);
    }
  }

  async jobLog(repo: string, jobId: number): Promise<Buffer> {
    return this.download(() => this.octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...splitRepo(repo), job_id: jobId, request: this.manual() }));
  }

  async runLogsZip(repo: string, runId: number): Promise<Buffer> {
    return this.download(() => this.octokit.rest.actions.downloadWorkflowRunLogs({ ...splitRepo(repo), run_id: runId, request: this.manual() }));
  }

  /** The redirect itself is wanted (its target must not get the token), the body unparsed. */
  private manual() {
    return { redirect: "manual" as const, parseSuccessResponseBody: false, signal: AbortSignal.timeout(30_000) };
  }

  private async download(call: () => Promise<{ status: number; headers: Record<string, unknown>; data: unknown }>): Promise<Buffer> {
    let res;
    try {
      res = await call();
    } catch (err) {
      throw toApiError(err);
    }
    // Some servers (GitHub Enterprise, proxies) answer with the log itself.
    if (res.status === 200) return readCapped(new Response(res.data as ReadableStream<Uint8Array> | null), this.maxBytes);
    const location = typeof res.headers.location === "string" ? res.headers.location : undefined;
    if (res.status < 300 || res.status >= 400 || !location) throw new GitHubApiError(`GitHub API error (HTTP ${res.status} without a usable redirect)`, "server", res.status);
    let file: Response;
    try {
      file = await fetch(new URL(location, `${this.apiUrl.replace(/\/+$/, "")}/`), { redirect: "follow", signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      throw new GitHubApiError(`log download failed (${(err as Error).message})`, "network");
    }
    if (!file.ok) {
      await file.body?.cancel();
      throw new GitHubApiError(`log download failed (HTTP ${file.status})`, file.status === 404 ? "not-found" : file.status === 410 ? "gone" : "server", file.status);
    }
    return readCapped(file, this.maxBytes);
  }
}
