// Bot state (dedupe fingerprints, feedback, stats, per-channel settings, rate limits) in
// keyv: in-process by default, Redis with KEYV_URL=redis://... so several instances share it.
// If Redis goes away the bot keeps answering: operations fail soft, one warning is logged,
// and the store recovers by itself when Redis is back.
import KeyvRedis from "@keyv/redis";
import Keyv from "keyv";
import type { Logger } from "pino";

export type StoreKind = "memory" | "redis";

export class Store {
  private degraded = false;

  private constructor(
    readonly kind: StoreKind,
    private readonly keyv: Keyv,
    private readonly log?: Logger,
  ) {
    keyv.on("error", (err: unknown) => this.warnOnce(err));
  }

  static create(url: string | undefined, log?: Logger, namespace = "buildx-fix"): Store {
    if (url && /^rediss?:\/\//.test(url)) {
      const redis = new KeyvRedis(url, { throwOnConnectError: false, throwOnErrors: false, connectionTimeout: 2000 });
      return new Store("redis", new Keyv({ store: redis, namespace, throwOnErrors: false }), log);
    }
    if (url) throw new Error(`KEYV_URL must start with redis:// or rediss:// (got ${url.split(":")[0]}:)`);
    return new Store("memory", new Keyv({ namespace }), log);
  }

  /** Counts errors the backend reported; an operation with no new error proves it works. */
  private errors = 0;

  private warnOnce(err: unknown): void {
    this.errors++;
    if (this.degraded) return;
    this.degraded = true;
    this.log?.warn({ err: String(err) }, "state store unavailable: answering without dedupe, feedback and stats until it is back");
  }

  get healthy(): boolean {
    return !this.degraded;
  }

  // keyv reports backend failures as events and may still resolve (set() resolves true even
  // when Redis refused), so success is judged by whether an error arrived meanwhile.
  private async run<T>(op: () => Promise<T>, fallback: T): Promise<{ value: T; ok: boolean }> {
    const before = this.errors;
    try {
      const value = await op();
      const ok = this.errors === before;
      if (ok && this.degraded) {
        this.degraded = false;
        this.log?.info("state store is back");
      }
      return { value: ok ? value : fallback, ok };
    } catch (err) {
      this.warnOnce(err);
      return { value: fallback, ok: false };
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.run(async () => (await this.keyv.get<T>(key)) ?? undefined, undefined)).value;
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<boolean> {
    const r = await this.run(() => this.keyv.set(key, value, ttlMs), false);
    return r.ok && r.value;
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.keyv.delete(key), false);
  }

  async close(): Promise<void> {
    try {
      await this.keyv.disconnect();
    } catch {
      // closing a store that is already gone
    }
  }
}
