// No secret printed back, anywhere: each shape of test/fixtures/secrets/shapes.yaml is put in a
// failing RUN step (so the line is evidence and the failing command a fact: shown, masked) and
// must not survive in the CLI's text, Markdown and JSON, the Slack answer (blocks and text),
// the Discord embed, the prompt sent to a model, nor the bot's pino log at debug level. Each
// check also finds the mask in that output, so it cannot pass by showing nothing. Near-misses
// (digests, SHAs, platforms, references to secrets) must come through unchanged.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../src/adapters/cli/program.js";
import { buildMessages } from "../src/llm/prompt.js";
import { failingStep, windowLog } from "../src/llm/window.js";
import { redactingLogOptions } from "../src/redact/log.js";
import { MASK, redact } from "../src/redact/secrets.js";
import { renderDiscordAnswer } from "../src/renderers/discord-embed.js";
import { renderSlackAnswer } from "../src/renderers/slack-blocks.js";
import { builtinEngine } from "./helpers/engine.js";
import { FakeSlack, until } from "./helpers/fake-slack.js";
import { type SlackBot, startSlackBot } from "./helpers/slack-harness.js";

interface Shape {
  shape: string;
  line: string;
  secret: string;
}
const corpus = parse(readFileSync(join(import.meta.dirname, "fixtures", "secrets", "shapes.yaml"), "utf8")) as { secrets: Shape[]; near_misses: Array<{ shape: string; line: string }> };
const engine = builtinEngine();

/** The secret's runs of 8+ letters and digits: a half-masked secret still leaks one of them. */
function fragments(secret: string): string[] {
  return secret.split(/[^A-Za-z0-9]+/).filter((f) => f.length >= 8);
}
function leaks(out: string, s: Shape): string[] {
  return [s.secret, ...fragments(s.secret)].filter((f) => out.includes(f));
}

/** A BuildKit log whose failing RUN step is the shape's line. */
function failedRun(line: string): string {
  const cmd = line.replace(/\n/g, " ");
  // BuildKit quotes the command in its error with Go's %q: inner quotes come out escaped.
  const quoted = cmd.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  return [
    "docker buildx build -t ghcr.io/acme/api:1.2 .",
    `#7 [4/5] RUN ${cmd}`,
    "#7 0.412 error: the command failed",
    `#7 ERROR: process "/bin/sh -c ${quoted}" did not complete successfully: exit code: 22`,
    "------",
    ` > [4/5] RUN ${cmd}:`,
    "------",
    `ERROR: failed to solve: process "/bin/sh -c ${quoted}" did not complete successfully: exit code: 22`,
  ].join("\n");
}

async function cli(args: string[]): Promise<string> {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = "";
  out.on("data", (d: Buffer) => (text += d.toString()));
  err.on("data", (d: Buffer) => (text += d.toString()));
  const code = await runCli(args, { stdin: new PassThrough(), stdout: out, stderr: err, env: { NO_COLOR: "1", RULES_DIR: "" } });
  expect(code).toBe(0);
  return text;
}

describe("the corpus", () => {
  it("has at least 50 shapes, with every shape the issue found surviving", () => {
    expect(corpus.secrets.length).toBeGreaterThanOrEqual(50);
    const names = corpus.secrets.map((s) => s.shape);
    for (const needed of [
      "slack-webhook-url",
      "discord-webhook-url",
      "aws-secret-flag",
      "aws-secret-space-separated",
      "npmrc-auth",
      "gcp-api-key",
      "gcp-oauth-token",
      "azure-storage-connection-string",
      "azure-sas-sig",
      "mysql-glued-password",
      "sshpass",
      "curl-basic-auth",
      "password-flag-space",
      "stripe-live-key",
      "huggingface-token",
      "pypi-token",
      "url-password-with-at",
    ])
      expect(names).toContain(needed);
  });
});

describe.each(corpus.secrets)("$shape", (s) => {
  const log = failedRun(s.line);
  const dir = mkdtempSync(join(tmpdir(), "bxf-secret-"));
  const file = join(dir, "build.log");
  writeFileSync(file, log);

  it("is masked in the line itself", () => {
    const out = redact(s.line);
    expect(leaks(out, s)).toEqual([]);
    expect(out).toContain(MASK);
  });

  it("survives in no CLI format", async () => {
    for (const format of ["text", "markdown", "json"]) {
      const out = await cli(["diagnose", file, "--format", format, "--no-llm"]);
      expect(leaks(out, s), format).toEqual([]);
      expect(out, format).toContain(MASK);
    }
  });

  it("survives in no chat reply (Slack blocks and text, Discord embed)", () => {
    const { result } = { result: engine.diagnose(log) };
    const slack = renderSlackAnswer(result, { answerId: "a1" });
    const discord = renderDiscordAnswer(result, { answerId: "a1" });
    for (const [where, out] of [
      ["slack", JSON.stringify(slack)],
      ["discord", JSON.stringify(discord)],
    ] as const) {
      expect(leaks(out, s), where).toEqual([]);
      expect(out, where).toContain(MASK);
    }
  });

  it("survives in no prompt to a model", () => {
    const result = engine.diagnose(log);
    const window = windowLog(log, { tokenBudget: 6000 });
    const messages = buildMessages({ window, step: failingStep(log), result, rules: [], allowedDocs: ["docs.docker.com"], lang: "en" });
    const sent = JSON.stringify(messages);
    expect(leaks(sent, s)).toEqual([]);
    expect(sent).toContain(MASK);
  });
});

describe("near-misses keep what makes an answer useful", () => {
  it.each(corpus.near_misses)("$shape", ({ line }) => {
    expect(redact(line)).toBe(line);
  });
});

describe("the bot's log at debug level", () => {
  let fake: FakeSlack;
  let bot: SlackBot;
  const lines: string[] = [];
  beforeAll(async () => {
    fake = await FakeSlack.start();
    const log = pino({ level: "debug", ...redactingLogOptions }, { write: (l: string) => void lines.push(l) });
    bot = await startSlackBot({ SLACK_USER_RATE_LIMIT: "1000", SLACK_CHANNEL_RATE_LIMIT: "1000", LOG_LEVEL: "debug" }, fake, undefined, log);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it("holds no secret of any shape, though Slack's and our debug lines log what was sent", async () => {
    for (const [i, s] of corpus.secrets.entries()) {
      await bot.command(failedRun(s.line), { channel_id: `C0SECRET${i}` });
      await bot.waitHandled((h) => h.channel === `C0SECRET${i}`, `command ${s.shape} handled`);
    }
    await until(() => fake.callsTo("chat.postMessage").length >= corpus.secrets.length || undefined, "every answer posted");
    const logged = lines.join("\n");
    const sent = fake.everythingSent();
    for (const s of corpus.secrets) {
      expect(leaks(logged, s), `${s.shape} in the log`).toEqual([]);
      expect(leaks(sent, s), `${s.shape} sent to Slack`).toEqual([]);
    }
    // The debug log did carry the (masked) commands: the check above is not vacuous.
    expect(logged).toContain(MASK);
  });
});
