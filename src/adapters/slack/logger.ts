// Bolt's logger interface on top of the bot's pino logger, so Slack's messages land in the
// same structured log.
import { type Logger, LogLevel } from "@slack/bolt";
import type { Logger as Pino } from "pino";

const fromPino = (level: string): LogLevel => {
  if (level === "debug" || level === "trace") return LogLevel.DEBUG;
  if (level === "info") return LogLevel.INFO;
  if (level === "warn") return LogLevel.WARN;
  return LogLevel.ERROR;
};

export function boltLogger(log: Pino): Logger {
  let level = fromPino(log.level);
  const child = log.child({ component: "slack" });
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
