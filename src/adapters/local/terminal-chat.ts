// The terminal chat (Hubot's shell adapter, for build logs): paste a log, end it with an
// empty line or Ctrl-D, and get the reply the bot would post, rendered for the terminal.
// Pasted logs contain empty lines too; a paste arrives in one burst, so an empty line only
// ends the log when nothing follows it within a moment.
import { createInterface } from "node:readline";
import type { BotService } from "../../core/bot-service.js";
import type { RuleEngine } from "../../engine/engine.js";
import { InputError } from "../../engine/normalize.js";
import type { Lang } from "../../engine/types.js";
import { renderTerminal, wantsColor } from "../../renderers/terminal.js";

export interface TerminalChatOptions {
  engine: RuleEngine;
  /** When given, answers go through the bot's service (the LLM fallback, when configured). */
  service?: BotService;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean };
  lang?: Lang | "auto";
  /** How long an empty line waits for more pasted lines before it ends the log. */
  settleMs?: number;
  /** Told when the prompt shows and when a paste starts, so log lines stay out of the way (src/ops/logger.ts). */
  guard?: { idle(prompt: string): void; active(): void; closed(): void };
}

export function runTerminalChat(opts: TerminalChatOptions): Promise<void> {
  const { engine, input, output } = opts;
  const settleMs = opts.settleMs ?? 120;
  const color = wantsColor(output);
  const promptText = color ? "\x1b[90mbuildx-fix> paste a build log, then an empty line (Ctrl-D to quit)\x1b[0m\n" : "buildx-fix> paste a build log, then an empty line (Ctrl-D to quit)\n";
  const prompt = () => {
    opts.guard?.idle(promptText);
    output.write(promptText);
  };
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let lines: string[] = [];
  let pending: NodeJS.Timeout | undefined;
  let blanks = 0;

  // Answers are written in the order the logs came, even when one waits on the LLM.
  let queue: Promise<void> = Promise.resolve();
  const answer = () => {
    pending = undefined;
    blanks = 0;
    const log = lines.join("\n");
    lines = [];
    if (!log.trim()) return;
    const lang = opts.lang ?? "auto";
    queue = queue.then(async () => {
      try {
        const result = opts.service ? (await opts.service.answer(log, { lang })).result : engine.diagnose(log, { lang });
        output.write(`\n${renderTerminal(result, { color })}\n`);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        output.write(`buildx-fix: ${err.message}\n`);
      }
      prompt();
    });
  };

  prompt();
  return new Promise((resolve) => {
    rl.on("line", (line) => {
      const trimmed = line.trim();
      if (lines.length === 0 && (trimmed === "exit" || trimmed === "quit")) {
        rl.close();
        return;
      }
      if (trimmed === "") {
        if (lines.length === 0) return;
        blanks++;
        if (pending) clearTimeout(pending);
        pending = setTimeout(answer, settleMs);
        return;
      }
      if (pending) {
        // More text right after the empty line: it was part of the paste.
        clearTimeout(pending);
        pending = undefined;
      }
      if (lines.length === 0) opts.guard?.active();
      for (; blanks > 0; blanks--) lines.push("");
      lines.push(line);
    });
    rl.on("close", () => {
      if (pending) clearTimeout(pending);
      answer();
      const done = () => {
        opts.guard?.closed();
        resolve();
      };
      void queue.then(done, done);
    });
  });
}
