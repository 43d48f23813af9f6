// Starts `npm start`'s entry (dist/src/main.js) as a real process on a free port and waits
// until it says where it listens.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./cli.js";

export interface BotProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function startBot(env: NodeJS.ProcessEnv = {}, opts: { cwd?: string } = {}): Promise<BotProcess> {
  const child = spawn(process.execPath, [join(ROOT, "dist", "src", "main.js")], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", SLACK_BOT_TOKEN: "", SLACK_APP_TOKEN: "", DISCORD_TOKEN: "", KEYV_URL: "", DATA_DIR: mkdtempSync(join(tmpdir(), "bxf-bot-")), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    // A bot that never says it listens is stopped, not left running after the test.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bot did not start:\n${out}`));
    }, 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${m[1]}`, child, output: () => out, stop });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`bot exited with ${code}:\n${out}`), { code, output: out }));
    });
  });
}
