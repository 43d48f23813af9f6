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
