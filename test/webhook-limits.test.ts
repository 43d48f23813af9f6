// The webhooks as an attacker meets them, over real HTTP: unsigned compression bombs are never
// inflated (the bot's peak memory, read from /proc, stays flat while 60 arrive at once), an
// encoded body is refused before it is read when its Content-Length is over the cap, bodies in
// flight are capped (503 + Retry-After), a compressed body is accepted only when signed over
// the bytes sent, and CI signatures with a timestamp cannot be replayed after five minutes.
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIMESTAMP_HEADER, sign } from "../src/alerts/signature.js";
import { startBot } from "./helpers/bot-process.js";
import { CI_SECRET, type CiBot, GH_SECRET, signedPost, startCiBot } from "./helpers/ci-harness.js";
import { BOT_TOKEN, FakeSlack, until } from "./helpers/fake-slack.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";
import { uniq } from "./helpers/slack-harness.js";

let slack: FakeSlack;
let bot: CiBot;
const posts = (ch: string) => slack.callsTo("chat.postMessage").filter((c) => c.body.channel === ch);

beforeAll(async () => {
  slack = await FakeSlack.start();
  bot = await startCiBot({ CI_WEBHOOK_SECRET: CI_SECRET, GITHUB_WEBHOOK_SECRET: GH_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, MAX_LOG_BYTES: String(1024 * 1024) });
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A POST whose body is sent only partly (`send` bytes of `declared`), or not at all: resolves
 * with the answer as soon as the server gives one, without ever finishing the body.
 */
function partialPost(url: string, headers: Record<string, string>, send: Buffer, opts: { endAfter?: boolean } = {}): { answer: Promise<RawAnswer>; abort: () => void } {
  const req = request(url, { method: "POST", headers });
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
  req.flushHeaders();
  if (send.length) req.write(send);
  if (opts.endAfter) req.end();
  return {
    answer,
    abort: () => {
      // Aborting is how these requests end: the "socket hang up" that follows is expected.
      answer.catch(() => undefined);
      req.destroy();
    },
  };
}

const vmHwmKb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

describe("unsigned compression bombs", () => {
  it.skipIf(!existsSync("/proc/self/status"))("60 at once (brotli and gzip, both webhooks and the console's try-it API) are refused without being inflated: the bot's peak RSS stays flat", async () => {
    const cap = 32 * 1024 * 1024;
    const proc = await startBot({ CI_WEBHOOK_SECRET: CI_SECRET, GITHUB_WEBHOOK_SECRET: GH_SECRET, MAX_LOG_BYTES: String(cap) });
    try {
      // Each inflates to just under the cap: a few dozen bytes (brotli) or ~32 KB (gzip) on the wire.
      const inflated = Buffer.alloc(cap - 4096, 0x20);
      const bombs = { br: brotliCompressSync(inflated), gzip: gzipSync(inflated, { level: 9 }) };
      expect(bombs.br.length).toBeLessThan(200);
      // Warm up (first request, JIT) before the baseline.
      expect((await fetch(`${proc.url}/healthz`)).status).toBe(200);
      const before = vmHwmKb(proc.child.pid!);
      const sends = Array.from({ length: 60 }, (_, i) => {
        const encoding = i % 2 ? "br" : "gzip";
        const github = i % 6 >= 4;
        // The web console's try-it endpoint takes unsigned bodies: it must not inflate them either.
        const console = i % 6 >= 2 && i % 6 < 4;
        return fetch(`${proc.url}${github ? "/github/webhook" : console ? "/api/diagnose" : "/ci/alert"}`, {
          method: "POST",
          headers: {
            "content-type": console ? "application/octet-stream" : "application/json",
            "content-encoding": encoding,
            // A made-up signature gets past "is there a signature" but not the HMAC.
            [github ? "x-hub-signature-256" : "x-buildx-fix-signature"]: `sha256=${"0".repeat(64)}`,
            ...(github ? { "x-github-event": "workflow_run" } : {}),
          },
          body: bombs[encoding],
        }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        });
      });
      const statuses = await Promise.all(sends);
      // Refused for the signature, or (GitHub, console) for the encoding, or turned away at the
      // in-flight cap (webhooks) or the per-address limit (console).
      for (const s of statuses) expect([401, 415, 429, 503]).toContain(s);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
      const grownMb = (vmHwmKb(proc.child.pid!) - before) / 1024;
      // Inflating even five of them would add 160 MB; sixty would add ~1.9 GB.
      expect(grownMb).toBeLessThan(120);
      expect((await fetch(`${proc.url}/healthz`)).status).toBe(200);
    } finally {
      await proc.stop();
    }
  }, 60_000);
});

describe("sizes and bodies in flight", () => {
  it("413 at once for an encoded body whose Content-Length is over the cap, before any of it is sent", async () => {
    const { answer, abort } = partialPost(`${bot.url}/ci/alert`, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(2 * 1024 * 1024), "x-buildx-fix-signature": sign(CI_SECRET, "x") }, Buffer.alloc(0));
    try {
      const res = await answer;
      expect(res.status).toBe(413);
      expect(res.body).toMatch(/limit \(MAX_LOG_BYTES\)/);
    } finally {
      abort();
    }
  });

  it("413 while reading a chunked body that grows past the cap", async () => {
    // A raw socket: the server answers and closes while the sender is still writing.
    const { port } = new URL(bot.url);
    const socket = connect(Number(port), "127.0.0.1");
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
    const closed = new Promise<void>((resolve) => {
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });
    socket.write(`POST /ci/alert HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Buildx-Fix-Signature: ${sign(CI_SECRET, "x")}\r\n\r\n`);
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let sent = 0;
    const pump = setInterval(() => {
      if (sent++ < 12 && socket.writable) socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
    }, 5);
    try {
      await Promise.race([closed, until(() => /\r\n\r\n/.test(received) || undefined, "an answer")]);
      expect(received).toMatch(/^HTTP\/1\.1 413 /);
      // Cut off at the cap: far fewer than the 3 MB the sender had to send.
      expect(sent).toBeLessThan(12);
    } finally {
      clearInterval(pump);
      socket.destroy();
    }
  });

  it("beyond WEBHOOK_MAX_CONCURRENT bodies in flight: 503 with Retry-After at once; a slot freed serves the next", async () => {
    const small = await startCiBot({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, WEBHOOK_MAX_CONCURRENT: "2" });
    const body = Buffer.from(JSON.stringify({ log: LOAD_LOG, target: `slack:${uniq("CINFLIGHT")}` }));
    const headers = { "content-type": "application/json", "content-length": String(body.length), "x-buildx-fix-signature": sign(CI_SECRET, body) };
    // Two senders that stall half-way through their bodies hold both slots.
    const slow = [partialPost(`${small.url}/ci/alert`, headers, body.subarray(0, 10)), partialPost(`${small.url}/ci/alert`, headers, body.subarray(0, 10))];
    try {
      await new Promise((r) => setTimeout(r, 200));
      const third = await signedPost(`${small.url}/ci/alert`, body.toString());
      expect(third.status).toBe(503);
      expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
      slow[0]!.abort();
      await new Promise((r) => setTimeout(r, 200));
      expect((await signedPost(`${small.url}/ci/alert`, body.toString())).status).toBe(202);
    } finally {
      for (const s of slow) s.abort();
      await small.stop();
    }
  });
});

describe("compressed bodies", () => {
  it("/ci/alert accepts gzip and brotli signed over the bytes sent; a signature over the inflated JSON is refused", async () => {
    const ch = uniq("CGZ");
    const json = JSON.stringify({ log: LOAD_LOG, target: `slack:${ch}` });
    for (const [encoding, packed] of [["gzip", gzipSync(json)], ["br", brotliCompressSync(json)]] as const) {
      const overJson = await signedPost(`${bot.url}/ci/alert`, packed, { signature: sign(CI_SECRET, json), headers: { "content-encoding": encoding } });
      expect(overJson.status, encoding).toBe(401);
      const overBytes = await signedPost(`${bot.url}/ci/alert`, packed, { signature: sign(CI_SECRET, packed), headers: { "content-encoding": encoding } });
      expect(overBytes.status, encoding).toBe(202);
      expect(((await overBytes.json()) as { ruleId: string }).ruleId).toBe(LOAD_RULE);
    }
    await until(() => posts(ch)[0], "the alert sent compressed");
  });

  it("a signed body that inflates past MAX_LOG_BYTES: 413; an unknown encoding: 415; GitHub's endpoint takes no encoding", async () => {
    const bomb = brotliCompressSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    const big = await signedPost(`${bot.url}/ci/alert`, bomb, { signature: sign(CI_SECRET, bomb), headers: { "content-encoding": "br" } });
    expect(big.status).toBe(413);
    const odd = await signedPost(`${bot.url}/ci/alert`, "{}", { headers: { "content-encoding": "zstd" } });
    expect(odd.status).toBe(415);
    const packed = gzipSync(JSON.stringify({ zen: "hi" }));
    const gh = await signedPost(`${bot.url}/github/webhook`, packed, { header: "x-hub-signature-256", secret: GH_SECRET, headers: { "content-encoding": "gzip", "x-github-event": "ping" } });
    expect(gh.status).toBe(415);
    const plain = await signedPost(`${bot.url}/github/webhook`, { zen: "hi" }, { header: "x-hub-signature-256", secret: GH_SECRET, headers: { "x-github-event": "ping" } });
    expect(plain.status).toBe(200);
  });
});

describe("CI signature replay window", () => {
  const stamped = (url: string, body: string, ts: number, signAt = ts) =>
    signedPost(url, body, { signature: sign(CI_SECRET, body, signAt), headers: { [TIMESTAMP_HEADER]: String(ts) } });

  it("accepts a fresh signed timestamp; refuses one older or newer than five minutes, and a timestamp the signature does not cover", async () => {
    const ch = uniq("CREPLAY");
    const body = JSON.stringify({ log: LOAD_LOG, target: `slack:${ch}` });
    const now = Math.floor(Date.now() / 1000);
    expect((await stamped(`${bot.url}/ci/alert`, body, now)).status).toBe(202);
    const stale = await stamped(`${bot.url}/ci/alert`, body, now - 6 * 60);
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: string }).error).toMatch(/stale/);
    expect((await stamped(`${bot.url}/ci/alert`, body, now + 6 * 60)).status).toBe(401);
    // An old capture with a fresh timestamp pasted on: the signature covers the old one.
    expect((await stamped(`${bot.url}/ci/alert`, body, now, now - 6 * 60)).status).toBe(401);
    await bot.ci!.alerts.idle();
    expect(posts(ch)).toHaveLength(1);
  });

  it("keeps body-only signatures working, unless CI_WEBHOOK_REQUIRE_TIMESTAMP is on", async () => {
    const body = JSON.stringify({ log: LOAD_LOG, target: `slack:${uniq("CLEGACY")}` });
    expect((await signedPost(`${bot.url}/ci/alert`, body)).status).toBe(202);
    const strict = await startCiBot({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, CI_WEBHOOK_REQUIRE_TIMESTAMP: "true" });
    try {
      const legacy = await signedPost(`${strict.url}/ci/alert`, body);
      expect(legacy.status).toBe(401);
      expect(((await legacy.json()) as { error: string }).error).toMatch(/x-buildx-fix-timestamp/);
      expect((await stamped(`${strict.url}/ci/alert`, body, Math.floor(Date.now() / 1000))).status).toBe(202);
    } finally {
      await strict.stop();
    }
  });
});
