// The platform-neutral part of answering a CI alert that links a GitHub Actions run: finding
// the link (text, Slack's `<url|label>`, attachment and embed fields, GHES hosts), and the
// replies and context for each outcome of reading its logs.
import { describe, expect, it } from "vitest";
import { failedWhere, findRunLinks, looksLikeFailure, runContextMeta, runLinkHosts, runLinkIn, runLinkProblem, tellProblem } from "../src/adapters/github/run-links.js";

const hosts = runLinkHosts("https://api.github.com");

describe("finding run links", () => {
  it("finds run and job links in plain text, Slack's <url|label> and nested attachment / embed fields", () => {
    expect(findRunLinks(hosts, "see https://github.com/acme/web/actions/runs/123 please")).toEqual([{ url: "https://github.com/acme/web/actions/runs/123", repo: "acme/web", runId: 123, jobId: undefined }]);
    expect(findRunLinks(hosts, "<https://github.com/acme/web/actions/runs/7/job/99|build>")[0]).toMatchObject({ repo: "acme/web", runId: 7, jobId: 99, url: "https://github.com/acme/web/actions/runs/7/job/99" });
    expect(findRunLinks(hosts, "https://github.com/acme/web.io/actions/runs/7/jobs/5")[0]).toMatchObject({ repo: "acme/web.io", jobId: 5 });
    const attachments = [{ title: "Build failed", title_link: "https://github.com/acme/api/actions/runs/42/attempts/2", text: "Build failed" }];
    expect(runLinkIn({ GITHUB_API_URL: "https://api.github.com" }, "CI", attachments)).toMatchObject({ repo: "acme/api", runId: 42 });
    const embed = { title: "[acme/api] Build failed", url: "https://github.com/acme/api/actions/runs/43", fields: [{ name: "job", value: "https://github.com/acme/api/actions/runs/43/job/8" }] };
    expect(findRunLinks(hosts, [embed])).toEqual([{ url: "https://github.com/acme/api/actions/runs/43", repo: "acme/api", runId: 43, jobId: 8 }]);
  });

  it("ignores other hosts, pages that are not runs, and text without links", () => {
    expect(findRunLinks(hosts, "https://evil.example/acme/web/actions/runs/1")).toEqual([]);
    expect(findRunLinks(hosts, "https://github.com/acme/web/pull/12 https://github.com/acme/web/actions")).toEqual([]);
    expect(findRunLinks(hosts, undefined, null, 42, "just chatting")).toEqual([]);
  });

  it("reads GitHub Enterprise links when GITHUB_API_URL is https://HOST/api/v3", () => {
    const ghes = runLinkHosts("https://ghe.example.com/api/v3");
    expect(ghes.has("ghe.example.com")).toBe(true);
    expect(findRunLinks(ghes, "https://ghe.example.com/acme/web/actions/runs/5")[0]).toMatchObject({ repo: "acme/web", runId: 5 });
    expect(runLinkHosts("https://api.github.com").has("api.github.com")).toBe(false);
  });
});

describe("outcomes", () => {
  const link = { url: "https://github.com/acme/web/actions/runs/9", repo: "acme/web", runId: 9 };

  it("names the failed job and step for the line above the answer", () => {
    const jobs = [{ name: "build (linux/arm64)", step: "Build and push" }, { name: "lint" }];
    expect(failedWhere(jobs)).toBe("build (linux/arm64) › Build and push; lint");
    const meta = runContextMeta({ kind: "logs", text: "", jobs, link, workflow: "Docker image", branch: "main", commit: "feedfacecafe" }, "en");
    expect(meta).toMatchObject({ repo: "acme/web", workflow: "Docker image", job: "failed at build (linux/arm64) › Build and push; lint", branch: "main", runUrl: link.url });
  });

  it("says what to configure without a token, and why logs could not be read", () => {
    expect(runLinkProblem({ kind: "no-token", link }, "en")).toMatch(/GITHUB_TOKEN.*actions:read/);
    expect(runLinkProblem({ kind: "unreadable", link, reason: "GitHub answered 404: not found." }, "en")).toBe(`Could not read the logs of ${link.url}: GitHub answered 404: not found.`);
    expect(runLinkProblem({ kind: "no-failed-jobs", link }, "zh")).toContain("没有失败的任务");
  });

  it("replies to explicit asks always; unasked only when GitHub failed on a failure alert, never about a missing token", () => {
    expect(tellProblem({ kind: "no-token", link }, false, "")).toBe(true);
    expect(tellProblem({ kind: "no-token", link }, true, "Build failed")).toBe(false);
    expect(tellProblem({ kind: "unreadable", link, reason: "x" }, true, "Build failed")).toBe(true);
    expect(tellProblem({ kind: "unreadable", link, reason: "x" }, true, "look at this run")).toBe(false);
    expect(tellProblem({ kind: "no-failed-jobs", link }, true, "Build failed")).toBe(false);
    expect(looksLikeFailure("Workflow run FAILED")).toBe(true);
  });
});
