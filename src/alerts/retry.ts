// Retries with exponential backoff for posting to chat. A rate limit waits what the platform
// asks (Retry-After); errors that another attempt cannot fix (no such channel, bad token) stop
// at once.
export class PermanentError extends Error {
  override readonly name = "PermanentError";
}

export class RetryAfterError extends Error {
  override readonly name = "RetryAfterError";
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  /** Attempts in all (the first included). */
  attempts: number;
  /** The first backoff; doubled every time, with jitter, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 500, maxMs: 30_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withRetries<T>(fn: () => Promise<T>, policy: RetryPolicy, onRetry?: (err: unknown, attempt: number, waitMs: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PermanentError || attempt >= policy.attempts) throw err;
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
      const wait = err instanceof RetryAfterError ? Math.min(policy.maxMs, Math.max(err.retryAfterMs, backoff)) : backoff;
      onRetry?.(err, attempt, Math.round(wait));
      await sleep(wait);
    }
  }
}
