// Slack rate limits are per method and channel ("1 message per second per channel"), but the
// Web API client, left to itself, pauses *every* request after any 429. The Bolt client is set
// to reject rate-limited calls instead, and the calls that post go through here: a 429 pauses
// only that method in that channel for the Retry-After Slack sent, then the call is retried;
// other channels keep being answered meanwhile.

/** Attempts in all; and the longest pause worth waiting for before an answer is stale. */
const ATTEMPTS = 4;
const MAX_WAIT_MS = 60_000;

const pausedUntil = new Map<string, number>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function retryAfterMs(err: unknown): number | undefined {
  const s = (err as { retryAfter?: unknown }).retryAfter;
  return typeof s === "number" ? s * 1000 : undefined;
}

/** Runs the Web API call `fn` for `method` in `channel`, waiting out that pair's rate limit only. */
export async function withSlackBackoff<T>(method: string, channel: string, fn: () => Promise<T>): Promise<T> {
  const key = `${method}:${channel}`;
  for (let attempt = 1; ; attempt++) {
    const wait = (pausedUntil.get(key) ?? 0) - Date.now();
    if (wait > 0) await sleep(wait);
    else pausedUntil.delete(key);
    try {
      return await fn();
    } catch (err) {
      const ms = retryAfterMs(err);
      if (ms === undefined || ms > MAX_WAIT_MS || attempt >= ATTEMPTS) throw err;
      pausedUntil.set(key, Math.max(pausedUntil.get(key) ?? 0, Date.now() + ms));
      if (pausedUntil.size > 1000) for (const [k, t] of pausedUntil) if (t <= Date.now()) pausedUntil.delete(k);
    }
  }
}
