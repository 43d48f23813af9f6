// A fake GitHub REST API on 127.0.0.1 for the CI-alert tests: a run's jobs, a job's log and a
// run's log archive, each answered the way GitHub does (302 to a short-lived download URL on
// another path, which must be fetched without the token), with failures injectable per route
// (401, 404, 410, 5xx, rate limits). Every request is recorded.
import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export const GITHUB_TOKEN = "ghs_faketokenforteststhatisnotreal0000";

export interface GitHubCall {
  method: string;
  path: string;
  /** `jobs`, `job-log`, `run-logs`, `download`, or `other`. */
  route: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface FakeJob {
  id: number;
  name: string;
  conclusion: "success" | "failure" | "cancelled" | "skipped";
  steps?: Array<{ name: string; conclusion: string; number: number }>;
}

interface Failure {
  route: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export class FakeGitHub {
  readonly calls: GitHubCall[] = [];
  private readonly runs = new Map<number, { repo: string; jobs: FakeJob[]; zip?: Buffer }>();
  private readonly jobLogs = new Map<number, string>();
  private readonly failures: Failure[] = [];
  private server!: Server;
  url = "";

  static async start(): Promise<FakeGitHub> {
    const fake = new FakeGitHub();
    fake.server = createServer((req, res) => fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** What GITHUB_API_URL points at (like https://HOST/api/v3 on GitHub Enterprise). */
  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  /** A run of `repo` with these jobs; `zip` is its log archive. */
  addRun(repo: string, runId: number, jobs: FakeJob[], zip?: Buffer): void {
    this.runs.set(runId, { repo, jobs, ...(zip ? { zip } : {}) });
  }

  /** The log of one job (served through the job-log redirect); without one, that endpoint answers 404. */
  setJobLog(jobId: number, text: string): void {
    this.jobLogs.set(jobId, text);
  }

  /** The next request to `route` answers `status` (with `headers`, e.g. a rate limit's). */
  failNext(route: "jobs" | "job-log" | "run-logs" | "download", status: number, headers: Record<string, string> = {}, body: unknown = { message: "failure injected" }): void {
    this.failures.push({ route, status, headers, body });
  }

  callsTo(route: string): GitHubCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    const path = url.pathname;
    const api = /^\/api\/v3\/repos\/([^/]+\/[^/]+)\/actions\/(runs|jobs)\/(\d+)\/(jobs|logs)$/.exec(path);
    const route = path.startsWith("/download/") ? "download" : !api ? "other" : api[2] === "runs" && api[4] === "jobs" ? "jobs" : api[2] === "jobs" ? "job-log" : "run-logs";
    const call: GitHubCall = { method: req.method ?? "GET", path, route, headers: req.headers, status: 200 };
    this.calls.push(call);
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => send(status, JSON.stringify(body), { "content-type": "application/json", ...headers });

    const failure = this.failures.findIndex((f) => f.route === route);
    if (failure !== -1) {
      const f = this.failures.splice(failure, 1)[0]!;
      return json(f.status, f.body, f.headers);
    }
    if (route === "download") {
      // Signed storage URLs: a token sent here would be a leak.
      if (req.headers.authorization) return send(400, "unexpected Authorization header");
      const m = /^\/download\/(job|run)-(\d+)$/.exec(path);
      const id = Number(m?.[2]);
      if (m?.[1] === "job" && this.jobLogs.has(id)) return send(200, this.jobLogs.get(id)!, { "content-type": "text/plain" });
      const zip = m?.[1] === "run" ? this.runs.get(id)?.zip : undefined;
      if (zip) return send(200, zip, { "content-type": "application/zip", "content-length": String(zip.length) });
      return send(404, "not found");
    }
    if (!api) return json(404, { message: "Not Found" });
    if (req.headers.authorization !== `Bearer ${GITHUB_TOKEN}`) return json(401, { message: "Bad credentials" });
    const [, repo, , idText] = api;
    const id = Number(idText);
    if (route === "jobs") {
      const run = this.runs.get(id);
      if (!run || run.repo !== repo) return json(404, { message: "Not Found" });
      return json(200, {
        total_count: run.jobs.length,
        jobs: run.jobs.map((j) => ({ ...j, run_id: id, status: "completed", html_url: `https://github.com/${repo}/actions/runs/${id}/job/${j.id}`, steps: j.steps ?? [] })),
      });
    }
    if (route === "job-log") {
      if (!this.jobLogs.has(id)) return json(404, { message: "Not Found" });
      return send(302, "", { location: `${this.url}/download/job-${id}` });
    }
    const run = this.runs.get(id);
    if (!run?.zip) return json(404, { message: "Not Found" });
    return send(302, "", { location: `${this.url}/download/run-${id}` });
  }
}
