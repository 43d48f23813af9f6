// The bot's logger (pino). In a terminal it prints readable lines (pino-pretty, loaded only
// then) through a TerminalLog, which keeps them from burying the terminal chat's prompt;
// elsewhere (containers, process managers) one JSON object per line, as log collectors want.
// Errors are counted for /metrics by the logger's `component`.
import { Writable } from "node:stream";
import { type Logger, type LoggerOptions, pino } from "pino";
import { redactingLogOptions } from "../redact/log.js";

export type LogFormat = "json" | "pretty";

export interface LoggerSetup {
  level: string;
  format: LogFormat;
  /** Called for every error (and fatal) line with the logger's component. */
  onError?: (component: string) => void;
  /** Where pretty lines go (the terminal chat's guard); default stdout. */
  terminal?: TerminalLog;
}

/** Pretty when stdout is a terminal, unless LOG_FORMAT says otherwise. */
export function logFormat(env: NodeJS.ProcessEnv, stdout: { isTTY?: boolean }): LogFormat {
  if (env.LOG_FORMAT === "json" || env.LOG_FORMAT === "pretty") return env.LOG_FORMAT;
  return stdout.isTTY ? "pretty" : "json";
}

export async function createLogger(s: LoggerSetup): Promise<Logger> {
  const onError = s.onError;
  // Secrets are masked in every line (src/redact/log.ts); errors are also counted for /metrics.
  const mask = redactingLogOptions.hooks!.logMethod!;
  const options: LoggerOptions = {
    level: s.level,
    formatters: redactingLogOptions.formatters!,
    hooks: {
      logMethod(args, method, level) {
        if (onError && level >= 50) onError(String((this.bindings() as { component?: unknown }).component ?? "bot"));
        mask.call(this, args, method, level);
      },
    },
  };
  if (s.format === "json") return pino(options);
  const { default: pretty } = await import("pino-pretty");
  const terminal = s.terminal ?? new TerminalLog(process.stdout);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      terminal.write(chunk.toString("utf8"));
      done();
    },
  });
  return pino(options, pretty({ colorize: terminal.color, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", singleLine: true, sync: true, destination: sink }));
}

/**
 * Log lines and the terminal chat share one terminal. While a prompt is shown, a log line is
 * printed and the prompt again under it (once per burst); while someone is pasting a log, log
 * lines wait and come out before the answer's prompt, so they never land inside the paste.
 */
export class TerminalLog {
  private prompt: string | undefined;
  private busy = false;
  private held: string[] = [];
  private reprompt: NodeJS.Timeout | undefined;
  readonly color: boolean;

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean }) {
    this.color = Boolean(out.isTTY) && !process.env.NO_COLOR;
  }

  write(text: string): void {
    if (this.busy) {
      // A runaway logger must not grow memory while someone pastes: keep the last lines.
      if (this.held.push(text) > 200) this.held.shift();
      return;
    }
    this.out.write(text);
    if (this.prompt !== undefined && !this.reprompt) {
      this.reprompt = setTimeout(() => {
        this.reprompt = undefined;
        if (this.prompt !== undefined && !this.busy) this.out.write(this.prompt);
      }, 25);
    }
  }

  /** The chat shows `prompt` and waits for a paste. */
  idle(prompt: string): void {
    this.busy = false;
    const held = this.held.splice(0);
    for (const line of held) this.out.write(line);
    this.prompt = prompt;
  }

  /** Someone is pasting (or an answer is being printed): hold log lines. */
  active(): void {
    this.busy = true;
    this.prompt = undefined;
  }

  /** The chat ended: log lines go straight out again. */
  closed(): void {
    this.prompt = undefined;
    this.idle("");
    this.prompt = undefined;
  }
}
