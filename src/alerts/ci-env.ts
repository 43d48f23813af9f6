// What a CI job's environment says about the build: repo, workflow, job, branch, commit and a
// link to the run, from GitHub Actions or GitLab CI variables (used by `buildx-fix notify`).
import type { AlertMeta } from "./schema.js";

export function ciContext(env: NodeJS.ProcessEnv): AlertMeta & { ci?: "github" | "gitlab" } {
  const v = (k: string) => (env[k]?.trim() ? env[k]!.trim() : undefined);
  const out: Record<string, string | undefined> = {};
  if (v("GITHUB_ACTIONS") === "true" || v("GITHUB_REPOSITORY")) {
    const repo = v("GITHUB_REPOSITORY");
    const server = v("GITHUB_SERVER_URL") ?? "https://github.com";
    const run = v("GITHUB_RUN_ID");
    Object.assign(out, {
      ci: "github",
      repo,
      workflow: v("GITHUB_WORKFLOW"),
      job: v("GITHUB_JOB"),
      // Pull requests: the PR's branch, not refs/pull/N/merge.
      branch: v("GITHUB_HEAD_REF") ?? v("GITHUB_REF_NAME"),
      commit: v("GITHUB_SHA"),
      runUrl: repo && run ? `${server.replace(/\/+$/, "")}/${repo}/actions/runs/${run}` : undefined,
    });
  } else if (v("GITLAB_CI") === "true" || v("CI_PROJECT_PATH")) {
    Object.assign(out, {
      ci: "gitlab",
      repo: v("CI_PROJECT_PATH"),
      workflow: v("CI_PIPELINE_NAME") ?? (v("CI_PIPELINE_ID") ? `pipeline ${v("CI_PIPELINE_ID")}` : undefined),
      job: v("CI_JOB_NAME"),
      branch: v("CI_COMMIT_REF_NAME"),
      commit: v("CI_COMMIT_SHA"),
      runUrl: v("CI_JOB_URL") ?? v("CI_PIPELINE_URL"),
    });
  }
  return Object.fromEntries(Object.entries(out).filter(([, x]) => x !== undefined)) as AlertMeta & { ci?: "github" | "gitlab" };
}
