// What an incoming chat event led to: every adapter reports one per event (logged at debug;
// tests and diagnostics wait on it), in the same words whatever the platform.
export type Outcome =
  | "answered"
  | "duplicate"
  | "rate-limited"
  | "ignored"
  | "not-confident"
  | "not-a-log"
  | "file-problem"
  | "replied"
  | "failed";

/** Logs each report at debug, tagged with the platform, and passes it to an optional listener. */
export function eventReporter<H extends { entry: string; outcome: Outcome; detail?: string }>(
  log: { debug: (obj: object, msg: string) => void },
  platform: string,
  listener?: (h: H) => void,
): (h: H) => void {
  return (h) => {
    log.debug({ [platform]: h }, `${platform} ${h.entry}: ${h.outcome}${h.detail ? ` (${h.detail})` : ""}`);
    listener?.(h);
  };
}
