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
    this.claims.delete(key);
    await this.run(() => this.keyv.delete(key), false);
  }

  /** In-process keys taken with `add`, and when they expire (memory store only). */
  private readonly claims = new Map<string, number>();

  /**
   * Sets `key` (a key written only through `add`) only if it is not there yet, atomically: across instances with Redis (`SET NX PX`,
   * in keyv's key and value format, so `get` reads it back), within the process otherwise.
   * True when this call set it. When the store is down it answers true: a second alert beats
   * silence.
   */
  async add<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    if (this.kind === "memory") {
      const now = Date.now();
      const until = this.claims.get(key);
      // Checked and taken before the first await: no other add() can come in between.
      if (until !== undefined && until > now) return false;
      this.claims.set(key, now + ttlMs);
      for (const [k, t] of this.claims) if (t <= now) this.claims.delete(k);
      await this.set(key, value, ttlMs);
      return true;
    }
    const redis = this.keyv.store as KeyvRedis<unknown>;
    const r = await this.run(async () => {
      const ns = this.keyv.namespace;
      const prefixed = this.keyv.useKeyPrefix && ns && !key.startsWith(`${ns}:`) ? `${ns}:${key}` : key;
      const full = redis.createKeyPrefix(prefixed, redis.namespace);
      const data = await this.keyv.serializeData({ value, expires: Date.now() + ttlMs });
      const client = (await redis.getClient()) as unknown as { set(k: string, v: string, o: { NX: true; PX: number }): Promise<string | null> };
      return (await client.set(full, typeof data === "string" ? data : JSON.stringify(data), { NX: true, PX: ttlMs })) === "OK";
    }, true);
    return r.ok ? r.value : true;
  }

  async close(): Promise<void> {
    try {
      await this.keyv.disconnect();
    } catch {
      // closing a store that is already gone
    }
  }
}
