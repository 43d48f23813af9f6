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

  private warnOnce(err: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.log?.warn({ err: String(err) }, "state store unavailable: answering without dedupe, feedback and stats until it is back");
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.log?.info("state store is back");
  }

  get healthy(): boolean {
    return !this.degraded;
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const v = (await this.keyv.get<T>(key)) ?? undefined;
      this.recovered();
      return v;
    } catch (err) {
      this.warnOnce(err);
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<boolean> {
    try {
      const ok = await this.keyv.set(key, value, ttlMs);
      if (ok) this.recovered();
      return ok;
    } catch (err) {
      this.warnOnce(err);
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.keyv.delete(key);
    } catch (err) {
      this.warnOnce(err);
    }
  }

  async close(): Promise<void> {
    try {
      await this.keyv.disconnect();
    } catch {
      // closing a store that is already gone
    }
  }
}
