// Runs `fn` once when a response ends, whether it was sent ("finish") or the client went away
// ("close"): in-flight counters must come down exactly once either way.
import type { Response } from "express";

export function onceResponseDone(res: Response, fn: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    fn();
  };
  res.once("finish", run);
  res.once("close", run);
}
