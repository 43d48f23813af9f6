// A CI alert's `logUrl` is fetched by the bot, so it must not reach the bot's own network: only
// hosts in CI_LOG_HOSTS (default: the GitHub API host and gitlab.com), and redirects from
// there only to public addresses unless CI_LOG_ALLOW_PRIVATE. Real POST /ci/alert against log
// servers on 127.0.0.1 (listed explicitly, as an operator would list an internal host).
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress, logHostPolicy } from "../src/alerts/log-hosts.js";
import { CI_SECRET, type CiBot, signedPost, startCiBot } from "./helpers/ci-harness.js";
import { BOT_TOKEN, FakeSlack } from "./helpers/fake-slack.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";
import { uniq } from "./helpers/slack-harness.js";

let slack: FakeSlack;
let logs: Server;
let port = 0;
const hits: string[] = [];
const bots: CiBot[] = [];

beforeAll(async () => {
  slack = await FakeSlack.start();
  // /log answers the log; /to?u=URL redirects there.
  logs = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    hits.push(`${req.headers.host}${url.pathname}`);
    if (url.pathname === "/to") {
      res.writeHead(302, { location: url.searchParams.get("u")! });
      return void res.end();
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(LOAD_LOG);
  });
  await new Promise<void>((r) => logs.listen(0, "127.0.0.1", r));
  port = (logs.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const b of bots) await b.stop();
  logs?.closeAllConnections();
  logs?.close();
  await slack?.close();
});

async function botWith(env: Record<string, string>): Promise<CiBot> {
  const b = await startCiBot({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, ...env });
  bots.push(b);
  return b;
}

const alertWith = (b: CiBot, logUrl: string) => signedPost(`${b.url}/ci/alert`, { logUrl, target: `slack:${uniq("CLOGURL")}` });
const errorOf = async (r: Response) => ((await r.json()) as { error: string }).error;

describe("logUrl hosts", () => {
  it("by default only the GitHub API host and gitlab.com: a logUrl elsewhere is refused (400) without being fetched", async () => {
    const b = await botWith({});
    const before = hits.length;
    const res = await alertWith(b, `http://127.0.0.1:${port}/log`);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/127\.0\.0\.1:\d+ is not allowed.*CI_LOG_HOSTS/);
    expect(hits.length).toBe(before);
    expect([...logHostPolicy({ GITHUB_API_URL: "https://ghe.example.com/api/v3", CI_LOG_HOSTS: undefined, CI_LOG_ALLOW_PRIVATE: false }).hosts]).toEqual(["ghe.example.com", "gitlab.com"]);
  });

  it("a listed host is fetched; its redirects to loopback elsewhere (by name or address) are refused", async () => {
    const b = await botWith({ CI_LOG_HOSTS: "127.0.0.1" });
    const ok = await alertWith(b, `http://127.0.0.1:${port}/log`);
    expect(ok.status).toBe(202);
    expect(((await ok.json()) as { ruleId: string }).ruleId).toBe(LOAD_RULE);
    const before = hits.length;
    for (const target of [`http://localhost:${port}/log`, `http://127.0.0.2:${port}/log`, `http://[::1]:${port}/log`]) {
      const res = await alertWith(b, `http://127.0.0.1:${port}/to?u=${encodeURIComponent(target)}`);
      expect(res.status, target).toBe(400);
      expect(await errorOf(res), target).toMatch(/redirected to .*private or reserved address/);
    }
    // Only the redirecting hops were served; the loopback targets never were.
    expect(hits.slice(before).every((h) => h.endsWith("/to"))).toBe(true);
  });

  it("CI_LOG_ALLOW_PRIVATE=true follows such redirects (closed networks, tests)", async () => {
    const b = await botWith({ CI_LOG_HOSTS: "127.0.0.1", CI_LOG_ALLOW_PRIVATE: "true" });
    const res = await alertWith(b, `http://127.0.0.1:${port}/to?u=${encodeURIComponent(`http://localhost:${port}/log`)}`);
    expect(res.status).toBe(202);
    expect(((await res.json()) as { ruleId: string }).ruleId).toBe(LOAD_RULE);
  });
});

describe("which addresses count as public", () => {
  it("private, loopback, link-local, shared and reserved ranges are not; global unicast is", () => {
    for (const a of ["10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "not-an-ip"]) expect(isPublicAddress(a), a).toBe(false);
    for (const a of ["8.8.8.8", "140.82.112.3", "2606:4700::6810:84e5"]) expect(isPublicAddress(a), a).toBe(true);
  });
});
