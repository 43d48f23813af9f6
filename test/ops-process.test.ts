// Operating `npm start` (dist/src/main.js) as a real process: GET /readyz with its checks,
// GET /metrics counting what happened, graceful shutdown on SIGTERM (a request in flight is
// answered, new connections are refused, the accepted alert is posted, exit 0), and `.env`.
import { request } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../src/alerts/signature.js";
import { type BotProcess, startBot } from "./helpers/bot-process.js";
import { CI_SECRET, signedPost } from "./helpers/ci-harness.js";
import { APP_TOKEN, BOT_TOKEN, FakeSlack, until } from "./helpers/fake-slack.js";
import { uniq } from "./helpers/slack-harness.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";

let fake: FakeSlack;
beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake?.close();
});

const ciEnv = (channel: string) => ({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, CI_ALERT_SLACK_CHANNEL: channel });
const exited = (bot: BotProcess) => new Promise<number | null>((resolve) => (bot.child.exitCode !== null ? resolve(bot.child.exitCode) : bot.child.once("exit", (code) => resolve(code))));

/** One sample of a Prometheus text exposition, by name and labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("GET /readyz", () => {
  it("local mode: ready, with the rules and the store checked", async () => {
    const bot = await startBot();
    try {
      const res = await fetch(`${bot.url}/readyz`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(body.status).toBe("ready");
      expect(body.checks.rules!.ok).toBe(true);
      expect(body.checks.rules!.detail).toMatch(/^\d+ rules$/);
      expect(body.checks.store).toEqual({ ok: true, detail: "in-process" });
    } finally {
      await bot.stop();
    }
  });

  it("a Redis that cannot be reached: 503 naming the store, while /healthz still answers", async () => {
    // Port 9 (discard) on 127.0.0.1 has nothing listening.
    const bot = await startBot({ KEYV_URL: "redis://127.0.0.1:9" });
    try {
      const res = await fetch(`${bot.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(body.status).toBe("not ready");
      expect(body.checks.store!.ok).toBe(false);
      expect(body.checks.rules!.ok).toBe(true);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  });

  it("Slack in Socket Mode: ready once the WebSocket is open", async () => {
    const bot = await startBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl, SLACK_FILES_URL: fake.filesUrl });
    try {
      let r = await fetch(`${bot.url}/readyz`);
      for (let i = 0; r.status !== 200 && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        r = await fetch(`${bot.url}/readyz`);
      }
      expect(r.status).toBe(200);
      expect(((await r.json()) as { checks: Record<string, unknown> }).checks.slack).toEqual({ ok: true, detail: "socket" });
    } finally {
      await bot.stop();
    }
  });
});

describe("GET /metrics", () => {
  it("counts diagnoses by rule and source, their latency, and refused webhooks by reason", async () => {
    const channel = uniq("CMETRICS");
    const bot = await startBot(ciEnv(channel));
    try {
      expect((await signedPost(`${bot.url}/ci/alert`, { repo: "acme/web", log: LOAD_LOG })).status).toBe(202);
      expect((await signedPost(`${bot.url}/ci/alert`, { repo: "acme/web", log: LOAD_LOG }, { secret: "not-the-secret-at-all" })).status).toBe(401);
      expect((await signedPost(`${bot.url}/ci/alert`, "{not json")).status).toBe(400);
      await until(() => fake.callsTo("chat.postMessage").find((c) => c.body.channel === channel), "the alert");
      const res = await fetch(`${bot.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(sample(text, "buildx_fix_diagnoses_total", { rule: LOAD_RULE, source: "rules" })).toBe(1);
      expect(sample(text, "buildx_fix_diagnosis_duration_seconds_count", { source: "rules" })).toBe(1);
      expect(sample(text, "buildx_fix_webhook_rejections_total", { endpoint: "/ci/alert", reason: "signature" })).toBe(1);
      expect(sample(text, "buildx_fix_webhook_rejections_total", { endpoint: "/ci/alert", reason: "malformed" })).toBe(1);
      expect(sample(text, "buildx_fix_answers_in_flight")).toBe(0);
      expect(text).toContain("# TYPE buildx_fix_llm_prompt_tokens_total counter");
      expect(sample(text, "buildx_fix_process_resident_memory_bytes")).toBeGreaterThan(0);
    } finally {
      await bot.stop();
    }
  });
});

describe("SIGTERM", () => {
  it("finishes the request in flight, refuses new connections, posts the accepted alert, closes and exits 0", async () => {
    const channel = uniq("CSTOP");
    const bot = await startBot(ciEnv(channel));
    const body = JSON.stringify({ repo: "acme/stop", log: LOAD_LOG });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${bot.url}/ci/alert`, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-buildx-fix-signature": sign(CI_SECRET, body) } }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      // Half the body now; the rest after the signal.
      req.write(body.slice(0, 20));
      setTimeout(() => {
        bot.child.kill("SIGTERM");
        void until(() => /shutting down/.test(bot.output()), "the shutdown log").then(async () => {
          await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow();
          req.end(body.slice(20));
        }, reject);
      }, 300);
    });
    const res = await answer;
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toMatchObject({ ruleId: LOAD_RULE });
    expect(await exited(bot)).toBe(0);
    expect(fake.callsTo("chat.postMessage").some((c) => c.body.channel === channel)).toBe(true);
    expect(bot.output()).toMatch(/"msg":"stopped"/);
  });
});

describe(".env", () => {
  it("is read from the working directory at start; variables set in the environment win", async () => {
    const dir = mkdtempSync(join(tmpdir(), "buildx-fix-env-"));
    // PORT=1 would fail to bind: the environment's PORT=0 must win.
    writeFileSync(join(dir, ".env"), `PORT=1\nCI_WEBHOOK_SECRET=${CI_SECRET}\n`);
    const bot = await startBot({}, { cwd: dir });
    try {
      expect(bot.output()).toMatch(/read settings from \.env/);
      expect(bot.output()).toMatch(/CI alerts on POST \/ci\/alert/);
      // The endpoint exists (no signature: 401, not 404) because the secret came from .env.
      expect((await fetch(`${bot.url}/ci/alert`, { method: "POST", body: "{}" })).status).toBe(401);
    } finally {
      await bot.stop();
    }
  });
});
