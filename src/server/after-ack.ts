// Work that follows an acknowledgement (Slack wants its 200 within 3 s) runs here, not in the
// same turn of the event loop as the ack: a few jobs at a time, each started from setImmediate,
// and none started while requests are still waiting for their ack (up to a bound, so answers
// are delayed under a burst, never dropped). Acks go first; answers queue up behind them.
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { onceResponseDone } from "./response-done.js";
import type { RequestHandler } from "express";
import PQueue from "p-queue";

export type AfterAck = <T>(job: () => Promise<T>) => Promise<T>;

/** Requests received on the ack path and not answered yet. */
export class AckPressure {
  private waiting = 0;

  get pending(): number {
    return this.waiting;
  }

  /** Express middleware that counts a request from arrival until its response is sent. */
  track(): RequestHandler {
    return (_req, res, next) => {
      this.waiting++;
      onceResponseDone(res, () => this.waiting--);
      next();
    };
  }
}

export interface AfterAckOptions {
  concurrency?: number;
  pressure?: AckPressure;
  /** The longest a job waits for the ack path to go quiet. */
  maxDeferMs?: number;
}

export function afterAckQueue(o: AfterAckOptions = {}): AfterAck {
  const queue = new PQueue({ concurrency: o.concurrency ?? 4 });
  const maxDefer = o.maxDeferMs ?? 2000;
  return <T>(job: () => Promise<T>): Promise<T> =>
    queue.add(
      async () => {
        await nextTurn();
        for (const start = Date.now(); o.pressure && o.pressure.pending > 0 && Date.now() - start < maxDefer; ) await sleep(5);
        return job();
      },
      { throwOnTimeout: true },
    );
}
