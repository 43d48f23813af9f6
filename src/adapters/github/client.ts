// The few GitHub REST calls the bot needs to read failed Actions jobs' logs: the run's jobs, a
// job's log (a redirect to a short-lived download URL, fetched without the token), and the
// run's log archive (a zip, same redirect). GITHUB_API_URL points at GitHub Enterprise too.
// Every failure becomes a GitHubApiError with a short, human reason.
import { readCapped } from "../../input/read-capped.js";

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

/**
 * `owner/name` as GitHub allows them: owners are letters, digits, `-` and `_` (managed users);
 * names add `.` but are never `.` or `..`. Anything else (a `..` from a pasted link) would move
 * the request out of the API prefix once the URL is normalised, so it never reaches a path.
 */
export function isRepoName(repo: string): boolean {
  const m = /^([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,38}))\/([A-Za-z0-9_.-]{1,100})$/.exec(repo);
  return !!m && m[2] !== "." && m[2] !== "..";
}

function repoPath(repo: string): string {
  if (!isRepoName(repo)) throw new GitHubApiError(`"${repo}" is not a GitHub repository name`, "not-found");
  return `/repos/${repo}`;
}

export class GitHubClient {
  private readonly api: string;

  constructor(
    apiUrl: string,
    private readonly token: string,
    private readonly maxBytes: number,
  ) {
    this.api = apiUrl.replace(/\/+$/, "");
  }

  private async request(path: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.api}${path}`, {
        redirect: "manual",
        signal: AbortSignal.timeout(30_000),
        headers: { authorization: `Bearer ${this.token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "buildx-fix" },
      });
    } catch (err) {
      throw new GitHubApiError(`GitHub API unreachable (${(err as Error).message})`, "network");
    }
    if (res.status < 400) return res;
    await res.body?.cancel();
    const s = res.status;
    const remaining = res.headers.get("x-ratelimit-remaining");
    if (s === 429 || (s === 403 && (remaining === "0" || res.headers.has("retry-after")))) {
      const reset = Number(res.headers.get("x-ratelimit-reset"));
      const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : "";
      throw new GitHubApiError(`GitHub API rate limit reached${when} (HTTP ${s})`, "rate-limit", s);
    }
    if (s === 401) throw new GitHubApiError("GitHub rejected GITHUB_TOKEN (HTTP 401): it is invalid or expired", "auth", s);
    if (s === 403) throw new GitHubApiError("GitHub refused access (HTTP 403): GITHUB_TOKEN needs read access to Actions on this repository", "forbidden", s);
    if (s === 404) throw new GitHubApiError("GitHub answered 404: the run or its logs were not found, or GITHUB_TOKEN cannot see this repository", "not-found", s);
    if (s === 410) throw new GitHubApiError("GitHub answered 410: the logs have expired", "gone", s);
    throw new GitHubApiError(`GitHub API error (HTTP ${s})`, "server", s);
  }

  /** Follows the redirect GitHub answers for log downloads, without sending the token there. */
  private async download(path: string): Promise<Buffer> {
    let res = await this.request(path);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      const location = res.headers.get("location");
      if (!location || hops >= 3) throw new GitHubApiError(`GitHub API error (HTTP ${res.status} without a usable redirect)`, "server", res.status);
      try {
        res = await fetch(new URL(location, `${this.api}/`), { redirect: "manual", signal: AbortSignal.timeout(60_000) });
      } catch (err) {
        throw new GitHubApiError(`log download failed (${(err as Error).message})`, "network");
      }
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new GitHubApiError(`log download failed (HTTP ${res.status})`, res.status === 404 ? "not-found" : res.status === 410 ? "gone" : "server", res.status);
    }
    return readCapped(res, this.maxBytes);
  }

  async runJobs(repo: string, runId: number): Promise<GitHubJob[]> {
    const res = await this.request(`${repoPath(repo)}/actions/runs/${runId}/jobs?filter=latest&per_page=100`);
    const body = (await res.json()) as { jobs?: GitHubJob[] };
    return body.jobs ?? [];
  }

  async jobLog(repo: string, jobId: number): Promise<Buffer> {
    return this.download(`${repoPath(repo)}/actions/jobs/${jobId}/logs`);
  }

  async runLogsZip(repo: string, runId: number): Promise<Buffer> {
    return this.download(`${repoPath(repo)}/actions/runs/${runId}/logs`);
  }
}
