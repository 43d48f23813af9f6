// GitHub Actions run / job links in chat messages. CI integrations (GitHub's Slack and Discord
// apps, webhook steps) post a link to the failed run, not its log: this finds such a link
// anywhere in a message (text, attachment `title_link`, block or embed `url`), reads the run's
// failed jobs' logs through the REST client, and gives the chat adapters the text to diagnose,
// which job and step failed (for the line above the answer), or a short reason why not.
// Platform-neutral: the Slack and Discord adapters render and post the outcome.
import type { Config } from "../../config/config.js";
import type { Lang } from "../../engine/types.js";
import { LogTooLargeError, formatBytes } from "../../input/decode-log.js";
import { redact } from "../../redact/secrets.js";
import type { AlertMeta } from "../../alerts/schema.js";
import type { Store } from "../../store/store.js";
import { GitHubApiError, GitHubClient, isRepoName } from "./client.js";
import { failedJobLogs } from "./logs.js";
import { repoAllowed } from "./repo-allowlist.js";

export interface RunLink {
  /** The link as found (normalised to the run or job page). */
  url: string;
  repo: string;
  runId: number;
  jobId?: number | undefined;
}

/**
 * Web hosts whose run links are read: github.com, plus the web host of a GitHub Enterprise
 * `GITHUB_API_URL` (`https://HOST/api/v3` → `HOST`).
 */
export function runLinkHosts(apiUrl: string | undefined): Set<string> {
  const hosts = new Set(["github.com", "www.github.com"]);
  if (!apiUrl) return hosts;
  try {
    const u = new URL(apiUrl);
    if (u.host !== "api.github.com" && /^\/api\/v3\/?$/.test(u.pathname)) hosts.add(u.host.toLowerCase());
  } catch {
    // A bad URL is caught by the config schema; nothing to add here.
  }
  return hosts;
}

const LINK = /https?:\/\/([A-Za-z0-9.-]+(?::\d+)?)\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/actions\/runs\/(\d+)(?:\/jobs?\/(\d+))?/g;

/** Every string inside `value` (a message object, its attachments, blocks, embeds), depth first. */
function strings(value: unknown, out: string[], depth = 0): void {
  if (depth > 12) return;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out, depth + 1);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out, depth + 1);
}

/** The GitHub Actions run / job links in `values` on `hosts`, first seen first, one per run. */
export function findRunLinks(hosts: Set<string>, ...values: unknown[]): RunLink[] {
  const all: string[] = [];
  for (const v of values) strings(v, all);
  const out: RunLink[] = [];
  for (const s of all) {
    for (const m of s.matchAll(LINK)) {
      const [, host, owner, name, run, job] = m;
      if (!host || !owner || !name || !run || !hosts.has(host.toLowerCase())) continue;
      const runId = Number(run);
      const jobId = job ? Number(job) : undefined;
      const repo = `${owner}/${name}`;
      // `..` and other names GitHub does not allow would leave the API's /repos/ prefix.
      if (!isRepoName(repo)) continue;
      const known = out.find((l) => l.repo === repo && l.runId === runId);
      if (known) {
        known.jobId ??= jobId;
        continue;
      }
      const url = `https://${host}/${repo}/actions/runs/${runId}${jobId ? `/job/${jobId}` : ""}`;
      out.push({ url, repo, runId, jobId });
    }
  }
  return out;
}

/** The first run link in `values` on the hosts `config` allows, if any. */
export function runLinkIn(config: Pick<Config, "GITHUB_API_URL">, ...values: unknown[]): RunLink | undefined {
  return findRunLinks(runLinkHosts(config.GITHUB_API_URL), ...values)[0];
}

/** Whether a message reads as a failure alert (worth a word when its logs cannot be read). */
export function looksLikeFailure(text: string): boolean {
  return /fail|error|broke|❌|:x:/i.test(text);
}

export interface FailedJob {
  name: string;
  step?: string | undefined;
  url?: string | undefined;
}

export type RunLogs =
  | { kind: "logs"; text: string; jobs: FailedJob[]; link: RunLink; workflow?: string | undefined; branch?: string | undefined; commit?: string | undefined }
  | { kind: "no-token"; link: RunLink }
  | { kind: "not-allowed"; link: RunLink; configured: boolean }
  | { kind: "no-failed-jobs"; link: RunLink }
  | { kind: "unreadable"; link: RunLink; reason: string };

/**
 * Reads the failed jobs' logs of the linked run (only the linked job for a job link).
 * Never throws for GitHub's answers: those become `unreadable` with a short reason.
 */
export async function readRunLogs(config: Pick<Config, "GITHUB_TOKEN" | "GITHUB_API_URL" | "MAX_LOG_BYTES" | "GITHUB_REPOS">, link: RunLink, store: Store | undefined): Promise<RunLogs> {
  if (!config.GITHUB_TOKEN) return { kind: "no-token", link };
  // Before any request: the token may read repositories the people in this channel cannot.
  if (!(await repoAllowed(config.GITHUB_REPOS, store, link.repo))) return { kind: "not-allowed", link, configured: !!config.GITHUB_REPOS };
  const client = new GitHubClient(config.GITHUB_API_URL, config.GITHUB_TOKEN, config.MAX_LOG_BYTES);
  try {
    const logs = await failedJobLogs(client, link.repo, link.runId, config.MAX_LOG_BYTES, link.jobId);
    if (!logs.length) return { kind: "no-failed-jobs", link };
    const first = logs[0]!.job;
    return {
      kind: "logs",
      link,
      text: logs.map((l) => l.text).join("\n"),
      jobs: logs.map((l) => ({ name: l.job.name, step: l.failedStep, url: l.job.html_url ?? undefined })),
      workflow: first.workflow_name ?? undefined,
      branch: first.head_branch ?? undefined,
      commit: first.head_sha,
    };
  } catch (err) {
    if (err instanceof GitHubApiError) return { kind: "unreadable", link, reason: err.message };
    if (err instanceof LogTooLargeError) return { kind: "unreadable", link, reason: `the log is too large (${formatBytes(err.size)}, limit ${formatBytes(err.limit)})` };
    return { kind: "unreadable", link, reason: redact(err instanceof Error ? err.message : String(err)) };
  }
}

/** Which job and step failed, as one line: `build › Build and push; test › Run tests`. */
export function failedWhere(jobs: FailedJob[]): string {
  return jobs.map((j) => (j.step ? `${j.name} › ${j.step}` : j.name)).join("; ");
}

const words = {
  en: {
    title: (repo: string) => `${repo}: failed job read from the run`,
    failedAt: "failed at",
    noToken: (url: string) =>
      `That message links a GitHub Actions run (${url}), but the bot cannot read its logs: set \`GITHUB_TOKEN\` (a token with \`actions:read\` on the repository; \`GITHUB_API_URL\` for GitHub Enterprise) where the bot runs.`,
    noFailedJobs: (url: string) => `The GitHub Actions run ${url} has no failed job to diagnose.`,
    notAllowed: (repo: string, configured: boolean) =>
      `The bot does not read runs of ${repo} from chat links: it is not ${configured ? "in `GITHUB_REPOS`" : "an allowed repository (`GITHUB_REPOS` is not set, and it has sent no GitHub webhook to the bot)"}. To allow it, add \`${repo}\` (or \`${repo.split("/")[0]}/*\`) to \`GITHUB_REPOS\` where the bot runs.`,
    unreadable: (url: string, reason: string) => `Could not read the logs of ${url}: ${reason}.`,
  },
  zh: {
    title: (repo: string) => `${repo}：已读取运行记录中失败的任务`,
    failedAt: "失败于",
    noToken: (url: string) =>
      `这条消息链接了一个 GitHub Actions 运行记录（${url}），但机器人无法读取它的日志：请在机器人运行处配置 \`GITHUB_TOKEN\`（对该仓库有 \`actions:read\` 权限；GitHub Enterprise 另需 \`GITHUB_API_URL\`）。`,
    noFailedJobs: (url: string) => `GitHub Actions 运行记录 ${url} 中没有失败的任务可诊断。`,
    notAllowed: (repo: string, configured: boolean) =>
      `机器人不会读取聊天链接中 ${repo} 的运行记录：该仓库${configured ? "不在 `GITHUB_REPOS` 中" : "未被允许（未设置 `GITHUB_REPOS`，且它从未向机器人发送过 GitHub webhook）"}。如需允许，请在机器人运行处把 \`${repo}\`（或 \`${repo.split("/")[0]}/*\`）加入 \`GITHUB_REPOS\`。`,
    unreadable: (url: string, reason: string) => `无法读取 ${url} 的日志：${reason}。`,
  },
} as const;

/** The alert headline fields for the line above the answer (rendered by `src/alerts/render.ts`). */
export function runContextMeta(logs: Extract<RunLogs, { kind: "logs" }>, lang: Lang): AlertMeta {
  return {
    title: words[lang].title(logs.link.repo),
    repo: logs.link.repo,
    ...(logs.workflow ? { workflow: logs.workflow } : {}),
    job: `${words[lang].failedAt} ${failedWhere(logs.jobs)}`,
    ...(logs.branch ? { branch: logs.branch } : {}),
    ...(logs.commit ? { commit: logs.commit } : {}),
    runUrl: logs.link.url,
  };
}

/** The short reply when there is nothing to diagnose (no token, no failed job, GitHub said no). */
export function runLinkProblem(outcome: Exclude<RunLogs, { kind: "logs" }>, lang: Lang): string {
  const w = words[lang];
  const url = outcome.link.url;
  if (outcome.kind === "no-token") return w.noToken(url);
  if (outcome.kind === "no-failed-jobs") return w.noFailedJobs(url);
  if (outcome.kind === "not-allowed") return w.notAllowed(outcome.link.repo, outcome.configured);
  return w.unreadable(url, redact(outcome.reason).replace(/\.$/, ""));
}

/**
 * Whether a problem is worth a reply: always when someone asked (mention, shortcut, context
 * menu); unasked (auto-detect) only when GitHub could not be read and the message reads as a
 * failure alert. Without a token, auto-detect stays quiet: a channel full of run links would
 * otherwise get a "configure GITHUB_TOKEN" under each.
 */
export function tellProblem(outcome: Exclude<RunLogs, { kind: "logs" }>, auto: boolean, messageText: string): boolean {
  if (!auto) return true;
  return outcome.kind === "unreadable" && looksLikeFailure(messageText);
}
