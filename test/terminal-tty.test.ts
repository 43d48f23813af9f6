// `npm start` in a terminal, through a real pseudo-terminal (util-linux `script`): readable log
// lines instead of JSON, the terminal chat answering, and Ctrl-D ending the chat — and the
// process only when nothing else is served. Plus how log lines and the chat prompt share the
// terminal (src/ops/logger.ts).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { TerminalLog } from "../src/ops/logger.js";
import { CI_SECRET } from "./helpers/ci-harness.js";
import { ROOT } from "./helpers/cli.js";
import { until } from "./helpers/fake-slack.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";

const hasScript = spawnSync("script", ["--version"]).status === 0;
const PROMPT = "buildx-fix> paste a build log";

interface Tty {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** The bot on a pseudo-terminal; `script` passes our writes on as typed input. */
function startOnTty(env: Record<string, string> = {}): Tty {
  const cmd = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, "dist", "src", "main.js"))}`;
  const child = spawn("script", ["-q", "-e", "-c", cmd, "/dev/null"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", LOG_FORMAT: "", SLACK_BOT_TOKEN: "", SLACK_APP_TOKEN: "", DISCORD_TOKEN: "", KEYV_URL: "", CI_WEBHOOK_SECRET: "", TERM: "xterm", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exit };
}

// ANSI colours off, for matching.
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe.skipIf(!hasScript)("npm start on a terminal", () => {
  it("logs readable lines, answers a pasted log, and Ctrl-D ends it when nothing else is served", async () => {
    const tty = startOnTty();
    try {
      await until(() => plain(tty.output()).includes(PROMPT), "the chat prompt", 30_000);
      const startup = plain(tty.output());
      expect(startup).not.toContain('{"level"');
      expect(startup).toMatch(/\d\d:\d\d:\d\d\] INFO: buildx-fix listening on http:\/\/localhost:\d+/);
      // The prompt comes after the start-up lines, not buried above them.
      expect(startup.lastIndexOf(PROMPT)).toBeGreaterThan(startup.indexOf("listening on"));
      tty.child.stdin!.write(`${LOAD_LOG}\n\n`);
      await until(() => plain(tty.output()).includes(`[${LOAD_RULE}]`), "the answer", 20_000);
      tty.child.stdin!.write("\x04");
      expect(await tty.exit).toBe(0);
      expect(plain(tty.output())).toMatch(/INFO: shutting down.*end of terminal chat/);
    } finally {
      tty.child.kill("SIGKILL");
    }
  });

  it("with a webhook served, Ctrl-D ends only the chat: the HTTP server keeps answering until SIGTERM", async () => {
    const tty = startOnTty({ CI_WEBHOOK_SECRET: CI_SECRET });
    try {
      await until(() => plain(tty.output()).includes(PROMPT), "the chat prompt", 30_000);
      const port = /listening on http:\/\/localhost:(\d+)/.exec(plain(tty.output()))![1];
      tty.child.stdin!.write("\x04");
      await until(() => plain(tty.output()).includes("terminal chat closed; still serving POST /ci/alert"), "the chat closing", 20_000);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(tty.child.exitCode).toBeNull();
      // The bot is `script`'s child (exec'd by its shell); a process manager would signal it.
      const bot = Number(spawnSync("pgrep", ["-P", String(tty.child.pid)], { encoding: "utf8" }).stdout.trim().split("\n")[0]);
      expect(bot).toBeGreaterThan(0);
      process.kill(bot, "SIGTERM");
      expect(await tty.exit).toBe(0);
      expect(plain(tty.output())).toMatch(/INFO: stopped/);
    } finally {
      tty.child.kill("SIGKILL");
    }
  });
});

describe("TerminalLog", () => {
  const setup = () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (d: Buffer) => (text += d.toString()));
    return { log: new TerminalLog(out), text: () => text };
  };

  it("prints the prompt again under log lines that arrive while it is shown, once per burst", async () => {
    const { log, text } = setup();
    log.idle("PROMPT\n");
    log.write("line 1\n");
    log.write("line 2\n");
    await new Promise((r) => setTimeout(r, 60));
    expect(text()).toBe("line 1\nline 2\nPROMPT\n");
  });

  it("holds log lines while a log is being pasted and prints them before the next prompt", () => {
    const { log, text } = setup();
    log.idle("PROMPT\n");
    log.active();
    log.write("during the paste\n");
    expect(text()).toBe("");
    log.idle("PROMPT\n");
    expect(text()).toBe("during the paste\n");
    log.closed();
    log.write("after\n");
    expect(text()).toBe("during the paste\nafter\n");
  });
});
