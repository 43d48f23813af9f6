// `buildx-fix notify` (the built bin) against a running bot (`npm start` as a process) and a
// fake Slack: the log signed and sent with the CI's details, and clear exit codes when the bot
// is unreachable or refuses.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBot } from "./helpers/bot-process.js";
import { CI_SECRET } from "./helpers/ci-harness.js";
import { runBin } from "./helpers/cli.js";
import { BOT_TOKEN, FakeSlack, until } from "./helpers/fake-slack.js";
import { uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";

let fake: FakeSlack;
let bot: BotProcess;
const CHANNEL = "CNOTIFY01";
const posts = () => fake.callsTo("chat.postMessage").filter((c) => c.body.channel === CHANNEL);

/** Environment of a CI job, without this machine's own CI variables leaking in. */
const clean = { GITHUB_ACTIONS: "", GITHUB_REPOSITORY: "", GITHUB_HEAD_REF: "", GITLAB_CI: "", CI_PROJECT_PATH: "", CI_JOB_URL: "", BUILDX_FIX_URL: "", CI_WEBHOOK_SECRET: "" };

beforeAll(async () => {
  fake = await FakeSlack.start();
  bot = await startBot({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, CI_ALERT_SLACK_CHANNEL: CHANNEL });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("buildx-fix notify", () => {
  it("from GitHub Actions: sends the log from stdin with repo, workflow, job, branch, commit and run URL", async () => {
    const repo = uniq("acme/notify-");
    const r = await runBin(["notify", "-"], {
      input: LOAD_LOG,
      env: { ...clean, BUILDX_FIX_URL: bot.url, CI_WEBHOOK_SECRET: CI_SECRET, GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: repo, GITHUB_WORKFLOW: "release", GITHUB_JOB: "image", GITHUB_REF_NAME: "feature/x", GITHUB_SHA: "abcdef1234567890", GITHUB_SERVER_URL: "https://github.com", GITHUB_RUN_ID: "777" },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^buildx-fix: alert \\S+ accepted: ${LOAD_RULE} \\(`));
    const post = await until(() => posts().find((c) => String(c.body.text).includes(repo)), "the alert");
    const head = (post.body.blocks as Array<{ text?: { text: string } }>)[0]!.text!.text;
    expect(head).toContain("release / image");
    expect(head).toContain("`feature/x`");
    expect(head).toContain("`abcdef1`");
    expect(head).toContain(`<https://github.com/${repo}/actions/runs/777|run>`);
  });

  it("from GitLab CI: reads the log file and the CI_* variables; --url with a trailing slash works", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "bxf-notify-")), "build.log");
    writeFileSync(file, LOAD_LOG.replace("cloudsmithy/shuangpin", "group/gitlab-image"));
    const project = uniq("group/gitlab-");
    const r = await runBin(["notify", file, "--url", `${bot.url}/`], {
      env: { ...clean, CI_WEBHOOK_SECRET: CI_SECRET, GITLAB_CI: "true", CI_PROJECT_PATH: project, CI_PIPELINE_URL: "https://gitlab.example.com/group/p/-/pipelines/55", CI_PIPELINE_ID: "55", CI_COMMIT_REF_NAME: "develop", CI_COMMIT_SHA: "1111111222222333", CI_JOB_NAME: "docker-build" },
    });
    expect(r.code).toBe(0);
    const post = await until(() => posts().find((c) => String(c.body.text).includes(project)), "the alert");
    const head = (post.body.blocks as Array<{ text?: { text: string } }>)[0]!.text!.text;
    expect(head).toContain("pipeline 55 / docker-build");
    expect(head).toContain("`develop`");
    expect(head).toContain("`1111111`");
    expect(head).toContain("<https://gitlab.example.com/group/p/-/pipelines/55|run>");
    expect(JSON.stringify(post.body.blocks)).toContain("group/gitlab-image");
  });

  it("exit 4 with the reason when the bot refuses (wrong secret), nothing posted", async () => {
    const repo = uniq("acme/refused-");
    const r = await runBin(["notify", "-", "--repo", repo], { input: LOAD_LOG, env: { ...clean, BUILDX_FIX_URL: bot.url, CI_WEBHOOK_SECRET: "a-different-secret-0000000000" } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/refused the alert \(HTTP 401\): the signature was refused: CI_WEBHOOK_SECRET differs/);
    const marker = uniq("acme/after-");
    expect((await runBin(["notify", "-", "--repo", marker], { input: LOAD_LOG, env: { ...clean, BUILDX_FIX_URL: bot.url, CI_WEBHOOK_SECRET: CI_SECRET } })).code).toBe(0);
    await until(() => posts().find((c) => String(c.body.text).includes(marker)), "the later alert");
    expect(posts().some((c) => String(c.body.text).includes(repo))).toBe(false);
  });

  it("exit 3 when the bot cannot be reached; exit 2 without BUILDX_FIX_URL or CI_WEBHOOK_SECRET", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const down = await runBin(["notify", "-"], { input: LOAD_LOG, env: { ...clean, BUILDX_FIX_URL: `http://127.0.0.1:${port}`, CI_WEBHOOK_SECRET: CI_SECRET } });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(new RegExp(`cannot reach the bot at http://127.0.0.1:${port}: ECONNREFUSED`));
    const noUrl = await runBin(["notify", "-"], { input: LOAD_LOG, env: { ...clean, CI_WEBHOOK_SECRET: CI_SECRET } });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/no bot URL: set BUILDX_FIX_URL/);
    const noSecret = await runBin(["notify", "-"], { input: LOAD_LOG, env: { ...clean, BUILDX_FIX_URL: bot.url } });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/CI_WEBHOOK_SECRET is not set/);
    const empty = await runBin(["notify", "-"], { input: "", env: { ...clean, BUILDX_FIX_URL: bot.url, CI_WEBHOOK_SECRET: CI_SECRET } });
    expect(empty.code).toBe(4);
    expect(empty.stderr).toMatch(/HTTP 400/);
  });

  it("the README's signed curl: one alert, and the same again updates its thread", async () => {
    const { execFileSync, spawnSync } = await import("node:child_process");
    const { readFileSync } = await import("node:fs");
    const { ROOT } = await import("./helpers/cli.js");
    const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
    if (!has("curl") || !has("openssl")) return console.warn("README curl test skipped: curl or openssl missing");
    const readme = readFileSync(`${ROOT}/README.md`, "utf8");
    const section = readme.slice(readme.indexOf("## CI failure alerts"));
    const script = /```sh\n([\s\S]*?)```/.exec(section)![1]!.replace("http://localhost:3000", bot.url).replace("acme/web", "acme/readme-curl");
    const run = () => execFileSync("bash", ["-c", script], { env: { ...process.env, CI_WEBHOOK_SECRET: CI_SECRET }, encoding: "utf8" });
    expect(JSON.parse(run())).toMatchObject({ ruleId: LOAD_RULE });
    const first = await until(() => posts().find((c) => String(c.body.text).includes("acme/readme-curl")), "the alert");
    run();
    const again = await until(() => posts().find((c) => c.body.thread_ts === first.response!.ts), "the thread note");
    expect(String(again.body.text)).toContain("Seen 2 times");
  });

  it("the bot logs that the endpoint is on", () => {
    expect(bot.output()).toContain("CI alerts on POST /ci/alert");
  });
});
