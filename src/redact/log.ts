// pino options that mask secrets in every log line, whatever logs it (our code, Bolt's or
// discord.js's debug output, an error message quoting a request): string arguments and every
// string inside the logged object go through `redact`. Message bodies may then be logged at
// debug level without a token or password reaching the log store.
import type { LoggerOptions } from "pino";
import { redact } from "./secrets.js";

const MAX_DEPTH = 6;

function scrub(v: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof v === "string") return redact(v);
  if (v === null || typeof v !== "object" || depth > MAX_DEPTH) return v;
  if (seen.has(v)) return "[Circular]";
  seen.add(v);
  if (v instanceof Error) return { type: v.name, message: redact(v.message), ...(v.stack ? { stack: redact(v.stack) } : {}) };
  if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = scrub(x, depth + 1, seen);
  return out;
}

export const redactingLogOptions: Pick<LoggerOptions, "hooks" | "formatters"> = {
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((a) => (typeof a === "string" ? redact(a) : a)) as Parameters<typeof method>);
    },
  },
  formatters: {
    log: (obj) => scrub(obj, 0, new WeakSet()) as Record<string, unknown>,
  },
};
