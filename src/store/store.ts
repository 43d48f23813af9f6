// Bot state (dedupe fingerprints, feedback, stats, per-channel settings, rate limits) in
// keyv: in-process by default, Redis with KEYV_URL=redis://... so several instances share it.
// If Redis goes away the bot keeps answering: every operation gives up after STORE_TIMEOUT_MS
// (and at once while the connection is down: no queue of commands waiting for Redis to come
// back), answers its fallback, one warning is logged, and one line again when Redis is back.
// Counters (rate limits, stats) are atomic: INCRBY/HINCRBY in Redis, synchronous in-process.
import { CacheableMemory, createKeyv } from "@cacheable/memory";
import KeyvRedis from "@keyv/redis";
import Keyv from "keyv";
import type { Logger } from "pino";

export type StoreKind = "memory" | "redis";

export interface StoreOptions {
  /** How long one operation may take before the store counts as down (ms). */
  timeoutMs?: number;
  /** In-process store: how often expired entries are dropped (ms). */
  purgeIntervalMs?: number;
}

export interface StoreStatus {
  kind: StoreKind;
  healthy: boolean;
  /** When the current outage began (ms since the epoch). */
  degradedSince?: number;
  /** What went wrong first in the current outage. */
  lastError?: string;
}

export const DEFAULT_STORE_TIMEOUT_MS = 250;
const DEFAULT_PURGE_MS = 60_000;

/** The node-redis client calls used here beyond keyv's. */
interface RedisCalls {
  set(k: string, v: string, o: { NX: true; PX: number }): Promise<string | null>;
  hGetAll(k: string): Promise<Record<string, string>>;
  multi(): { set(k: string, v: string, o: { NX: true; PX: number }): unknown; incrBy(k: string, by: number): unknown; pExpire(k: string, ms: number): unknown; exec(): Promise<unknown[]> };
}

class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms (STORE_TIMEOUT_MS)`);
  }
}

export class Store {
  private degradedSince: number | undefined;
  private lastError: string | undefined;
  /** Counts errors the backend reported; an operation with no new error proves it works. */
  private errors = 0;
  /**
   * In-process counters, hashes and claims (memory store only): read and written without an
   * await in between, so concurrent handlers cannot lose an update. Expired entries are purged.
   */
  private readonly local: CacheableMemory | undefined;

  private constructor(
    readonly kind: StoreKind,
    private readonly keyv: Keyv,
    private readonly log: Logger | undefined,
    private readonly timeoutMs: number,
    purgeIntervalMs: number,
  ) {
    keyv.on("error", (err: unknown) => this.failed(err));
    if (kind === "memory") this.local = new CacheableMemory({ useClone: false, checkInterval: purgeIntervalMs });
  }

  static create(url: string | undefined, log?: Logger, namespace = "buildx-fix", opts: StoreOptions = {}): Store {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    const purgeMs = opts.purgeIntervalMs ?? DEFAULT_PURGE_MS;
    if (url && /^rediss?:\/\//.test(url)) {
      const redis = new KeyvRedis(
        {
          url,
          // Fail at once while disconnected: queued commands are what kept answers waiting.
          disableOfflineQueue: true,
          socket: { connectTimeout: Math.max(1000, timeoutMs * 4), reconnectStrategy: (n: number) => Math.min(50 * 2 ** n, 2000) },
        },
        { throwOnConnectError: false, throwOnErrors: false, connectionTimeout: Math.max(1000, timeoutMs * 4) },
      );
      return new Store("redis", new Keyv({ store: redis, namespace, throwOnErrors: false }), log, timeoutMs, purgeMs);
    }
    if (url) throw new Error(`KEYV_URL must start with redis:// or rediss:// (got ${url.split(":")[0]}:)`);
    // cacheable's memory store drops expired entries every `checkInterval`; a plain Map kept
    // every answer's state forever.
    return new Store("memory", createKeyv({ namespace, checkInterval: purgeMs }), log, timeoutMs, purgeMs);
  }

  private failed(err: unknown): void {
    this.errors++;
    if (this.degradedSince !== undefined) return;
    this.degradedSince = Date.now();
    this.lastError = err instanceof Error ? err.message : String(err);
    this.log?.warn({ err: this.lastError, kind: this.kind }, "state store unavailable: answering without dedupe, feedback, stats and shared rate limits until it is back");
  }

  private recovered(): void {
    if (this.degradedSince === undefined) return;
    const downMs = Date.now() - this.degradedSince;
    this.degradedSince = undefined;
    this.lastError = undefined;
    this.log?.info({ downMs }, "state store is back");
  }

  get healthy(): boolean {
    return this.degradedSince === undefined;
  }

  /** For health and readiness endpoints. */
  status(): StoreStatus {
    return {
      kind: this.kind,
      healthy: this.healthy,
      ...(this.degradedSince !== undefined ? { degradedSince: this.degradedSince, lastError: this.lastError } : {}),
    };
  }

  /** Entries held in-process (memory store), expired ones not yet purged included. */
  localEntries(): number | undefined {
    if (this.kind !== "memory") return undefined;
    const kv = this.keyv.store as { getStore?: (ns?: string) => CacheableMemory };
    return (kv.getStore?.(this.keyv.namespace)?.size ?? 0) + (this.local?.size ?? 0);
  }

  private readyWait: Promise<void> | undefined;
  private connecting = false;

  /**
   * Redis: resolves once the connection is ready. Commands are sent only then, since the
   * client neither queues them (disableOfflineQueue) nor may: a queue is what held answers
   * until Redis came back. Bounded by the caller's timeout.
   */
  private connected(): Promise<void> {
    if (this.kind !== "redis") return Promise.resolve();
    const redis = this.keyv.store as KeyvRedis<unknown>;
    const client = redis.client as unknown as { isReady: boolean; isOpen: boolean; once(e: "ready", f: () => void): void };
    if (client.isReady) return Promise.resolve();
    // Known down: fail at once rather than spend STORE_TIMEOUT_MS on every call of an answer.
    if (this.degradedSince !== undefined) {
      this.reconnect(redis, client.isOpen);
      return Promise.reject(new Error("not connected to Redis"));
    }
    this.readyWait ??= new Promise<void>((resolve) => {
      client.once("ready", () => {
        this.readyWait = undefined;
        resolve();
      });
    });
    this.reconnect(redis, client.isOpen);
    return this.readyWait;
  }

  /** A client that is not even trying (a first connect that failed is not retried by it) tries again. */
  private reconnect(redis: KeyvRedis<unknown>, open: boolean): void {
    if (open || this.connecting) return;
    this.connecting = true;
    void redis
      .getClient()
      .catch(() => undefined)
      .finally(() => (this.connecting = false));
  }

  // keyv reports backend failures as events and may still resolve (set() resolves true even
  // when Redis refused), so success is judged by whether an error arrived meanwhile.
  private async run<T>(op: () => Promise<T>, fallback: T): Promise<{ value: T; ok: boolean }> {
    const before = this.errors;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeout(this.timeoutMs)), this.timeoutMs);
    });
    try {
      const value = await Promise.race([this.connected().then(op), late]);
      const ok = this.errors === before;
      if (ok) this.recovered();
      return { value: ok ? value : fallback, ok };
    } catch (err) {
      this.failed(err);
      return { value: fallback, ok: false };
    } finally {
      clearTimeout(timer);
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
    this.local?.delete(`claim:${key}`);
    await this.run(() => this.keyv.delete(key), false);
  }

  /** The Redis key keyv uses for `key`, so raw commands and keyv see the same entries. */
  private redisKey(key: string): string {
    const redis = this.keyv.store as KeyvRedis<unknown>;
    const ns = this.keyv.namespace;
    const prefixed = this.keyv.useKeyPrefix && ns && !key.startsWith(`${ns}:`) ? `${ns}:${key}` : key;
    return redis.createKeyPrefix(prefixed, redis.namespace);
  }

  private async client(): Promise<RedisCalls> {
    return (await (this.keyv.store as KeyvRedis<unknown>).getClient()) as unknown as RedisCalls;
  }

  /**
   * Sets `key` (a key written only through `add`) only if it is not there yet, atomically: across instances with Redis (`SET NX PX`,
   * in keyv's key and value format, so `get` reads it back), within the process otherwise.
   * True when this call set it. When the store is down it answers true: a second alert beats
   * silence.
   */
  async add<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    if (this.local) {
      // Checked and taken before the first await: no other add() can come in between.
      if (this.local.has(`claim:${key}`)) return false;
      this.local.set(`claim:${key}`, true, ttlMs);
      await this.set(key, value, ttlMs);
      return true;
    }
    const r = await this.run(async () => {
      const data = await this.keyv.serializeData({ value, expires: Date.now() + ttlMs });
      const client = await this.client();
      return (await client.set(this.redisKey(key), typeof data === "string" ? data : JSON.stringify(data), { NX: true, PX: ttlMs })) === "OK";
    }, true);
    return r.ok ? r.value : true;
  }

  /**
   * Adds `by` to the counter `key` and returns its new value, atomically across instances or
   * in-process. The counter lives `ttlMs` from its first increment (a window that starts with
   * its first use: a burst cannot straddle two windows). Undefined when the store is down.
   */
  async incr(key: string, ttlMs: number, by = 1): Promise<number | undefined> {
    if (this.local) {
      const k = `count:${key}`;
      const c = this.local.get<{ n: number }>(k);
      if (c) return (c.n += by);
      this.local.set(k, { n: by }, ttlMs);
      return by;
    }
    const r = await this.run(async () => {
      // One transaction: create with its expiry if absent (SET NX PX), then INCRBY, which keeps it.
      const tx = (await this.client()).multi();
      const k = this.redisKey(`count:${key}`);
      tx.set(k, "0", { NX: true, PX: ttlMs });
      tx.incrBy(k, by);
      const [, n] = await tx.exec();
      return Number(n);
    }, undefined);
    return r.value;
  }

  /** Adds `by` to one field of the hash `key` (Redis HINCRBY), atomically; `ttlMs` (renewed by each call) or no expiry. */
  async hincr(key: string, field: string, by = 1, ttlMs?: number): Promise<void> {
    if (this.local) {
      const k = `hash:${key}`;
      const h = this.local.get<Record<string, number>>(k) ?? {};
      h[field] = (h[field] ?? 0) + by;
      this.local.set(k, h, ttlMs);
      return;
    }
    await this.run(async () => {
      const k = this.redisKey(`hash:${key}`);
      const tx = (await this.client()).multi() as ReturnType<RedisCalls["multi"]> & { hIncrBy(k: string, f: string, by: number): unknown };
      tx.hIncrBy(k, field, by);
      if (ttlMs !== undefined) tx.pExpire(k, ttlMs);
      return tx.exec();
    }, []);
  }

  /** Every field of the hash `key` (empty when missing or when the store is down). */
  async hgetall(key: string): Promise<Record<string, number>> {
    if (this.local) return { ...(this.local.get<Record<string, number>>(`hash:${key}`) ?? {}) };
    const r = await this.run(async () => (await this.client()).hGetAll(this.redisKey(`hash:${key}`)), {});
    return Object.fromEntries(Object.entries(r.value).map(([f, v]) => [f, Number(v)]));
  }

  async close(): Promise<void> {
    this.local?.stopIntervalCheck();
    try {
      await this.keyv.disconnect();
    } catch {
      // closing a store that is already gone
    }
  }
}
