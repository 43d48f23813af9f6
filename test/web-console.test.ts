// The web console over real HTTP: the diagnose endpoint (answers, caps, masking, escaping,
// nothing stored unless shared), the rule pages with their live example checks, the stats
// gate (WEB_TOKEN by bearer or login cookie; refused on a public bind without it), and the
// security headers. The browser side is test/web-browser.test.ts.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopbackHost } from "../src/web/auth.js";
import { WEB_WORKSPACE } from "../src/web/diagnose-api.js";
import { fingerprintResult } from "../src/core/fingerprint.js";
import { builtinEngine } from "./helpers/engine.js";
import { FakeOpenAI, answerContent, llmConfigFor } from "./helpers/fake-openai.js";
import { engineOf, ruleData } from "./helpers/rules.js";
import { SEED_EXCERPT, seedLog } from "./helpers/seed.js";
import { type WebHarness, startConsole } from "./helpers/web-harness.js";

const TOKEN = "test-web-token-0123456789abcdef";

interface Answer {
  source: string;
  lang: string;
  shared: boolean;
  html: string;
  diagnoses: Array<{ ruleId: string; evidence: Array<{ line: number; text: string }> }>;
}

async function diagnose(h: WebHarness, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Answer & { error?: string } }> {
  const res = await fetch(`${h.url}/api/diagnose`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Answer & { error?: string } };
}

describe("web console: try it (POST /api/diagnose)", () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startConsole({ maxBytes: 64 * 1024 });
  });
  afterAll(() => h.close());

  it("answers the seed notes like the bot: every cause, the session-name variant and the pattern that matched, evidence marked in the log", async () => {
    for (const text of [seedLog().text, SEED_EXCERPT]) {
      const { status, json } = await diagnose(h, { log: text, lang: "en" });
      expect(status).toBe(200);
      const ids = json.diagnoses.map((d) => d.ruleId);
      expect(ids).toEqual(expect.arrayContaining(["non-ascii-context-path", "platform-mismatch", "no-output-docker-container-driver", "load-manifest-list-unsupported", "lazycat-registry-auth"]));
      expect(json.html).toContain('href="/rules/non-ascii-context-path?lang=en"');
      expect(json.html).toMatch(/variant <code>session-name<\/code>/);
      // The pattern behind the evidence, escaped like everything else.
      expect(json.html).toContain("Matched pattern: <code>header key &quot;?x-docker-expose-session-name&quot;? contains value with non-printable</code>");
      const line = json.diagnoses.find((d) => d.ruleId === "non-ascii-context-path")!.evidence[0]!.line;
      expect(json.html).toMatch(new RegExp(`<mark id="L${line}" class="hit" title="[^"]*non-ascii-context-path`));
      expect(json.html).toContain('class="copy" data-copy="cmd-0-0"');
    }
  });

  it("answers in Chinese when asked", async () => {
    const { json } = await diagnose(h, { log: SEED_EXCERPT, lang: "zh" });
    expect(json.lang).toBe("zh");
    expect(json.html).toContain("置信度");
    expect(json.html).toContain('lang="zh-CN"');
  });

  it("shows a log's markup as text, never as markup", async () => {
    const log = `#5 [2/3] RUN echo '<img src=x onerror=alert(1)>' && exit 1\n#5 0.2 <script>alert(2)</script>\nERROR: failed to solve: process "/bin/sh -c echo '<img src=x onerror=alert(1)>'" did not complete successfully: exit code: 1`;
    const { json } = await diagnose(h, { log, lang: "en" });
    expect(json.html).not.toMatch(/<img|<script/i);
    expect(json.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(json.html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  it("masks secrets in the answer and in the log it shows", async () => {
    const log = `docker login -u me -p hunter2-secret-pw registry.example.com\n+ curl -H "Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789"\nERROR: failed to solve: failed to push registry.example.com/app:1: unexpected status: 401 Unauthorized`;
    const res = await fetch(`${h.url}/api/diagnose`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ log }) });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain("hunter2-secret-pw");
    expect(text).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(text).toContain("****");
  });

  it("reads a dropped gzip file as raw bytes", async () => {
    const body = gzipSync(Buffer.from("docker buildx build --platform linux/amd64,linux/arm64 -t acme/app:1 --load .\nERROR: docker exporter does not currently support exporting manifest lists\n"));
    const res = await fetch(`${h.url}/api/diagnose?lang=zh`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body });
    const json = (await res.json()) as Answer;
    expect(json.diagnoses[0]!.ruleId).toBe("load-manifest-list-unsupported");
    expect(json.lang).toBe("zh");
  });

  it("refuses a body over MAX_LOG_BYTES with 413 and says the limit", async () => {
    const big = "x".repeat(70 * 1024);
    for (const [type, body] of [["application/json", JSON.stringify({ log: big })], ["application/octet-stream", big]] as const) {
      const res = await fetch(`${h.url}/api/diagnose`, { method: "POST", headers: { "content-type": type }, body });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toMatch(/over the 64 KB limit/);
    }
    // A gzip that unpacks past the limit too.
    const bomb = gzipSync(Buffer.alloc(200 * 1024, 0x61));
    const res = await fetch(`${h.url}/api/diagnose`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: bomb });
    expect(res.status).toBe(413);
  });

  it("answers 400 for an empty log or malformed JSON, 415 for a form post", async () => {
    expect((await diagnose(h, { log: "   " })).status).toBe(400);
    const bad = await fetch(`${h.url}/api/diagnose`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(bad.status).toBe(400);
    const form = await fetch(`${h.url}/api/diagnose`, { method: "POST", headers: { "content-type": "text/plain" }, body: "ERROR: x" });
    expect(form.status).toBe(415);
  });

  it("limits diagnoses per address: 429 with Retry-After past 30 a minute", async () => {
    const other = await startConsole();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await diagnose(other, { log: `ERROR: attempt ${i}` })).status);
      expect(statuses.every((s) => s === 200)).toBe(true);
      const res = await fetch(`${other.url}/api/diagnose`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ log: "ERROR: again" }) });
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("60");
    } finally {
      await other.close();
    }
  });

  it("stores nothing unless shared; shared answers and unknown failures reach the stats", async () => {
    const log = "docker buildx build --platform linux/amd64,linux/arm64 -t acme/app:1 --load .\nERROR: docker exporter does not currently support exporting manifest lists";
    await diagnose(h, { log });
    expect(await h.service.stats(WEB_WORKSPACE)).toEqual([]);
    expect(await h.service.history.workspaces()).toEqual([]);

    const shared = await diagnose(h, { log, share: true });
    expect(shared.json.shared).toBe(true);
    expect(await h.service.stats(WEB_WORKSPACE)).toEqual([{ ruleId: "load-manifest-list-unsupported", hits: 1, fixed: 0, wrong: 0 }]);
    const series = await h.service.history.series([WEB_WORKSPACE], 1);
    expect(series.byRule.get("load-manifest-list-unsupported")).toEqual([1]);

    const unknown = "#7 [3/4] RUN ./configure\n#7 0.4 token=supersecretvalue123\n#7 0.5 frobnicator: widget tension exceeded\nERROR: failed to solve: frobnicate failed";
    const u = await diagnose(h, { log: unknown, share: true, lang: "en" });
    expect(u.json.shared).toBe(true);
    const [row] = await h.service.unknownStats(WEB_WORKSPACE);
    expect(row?.sample).toContain("widget tension exceeded");
    expect(row?.sample).not.toContain("supersecretvalue123");
  });
});

describe("web console: rules", () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startConsole();
  });
  afterAll(() => h.close());

  it("lists every rule, filtered on the server by ?q= too", async () => {
    const all = await (await fetch(`${h.url}/rules`)).text();
    for (const { rule } of builtinEngine().rules) expect(all).toContain(`href="/rules/${rule.id}?lang=en"`);
    const some = await (await fetch(`${h.url}/rules?q=lazycat`)).text();
    expect(some).toMatch(/<li data-search="lazycat-registry-auth[^"]*">/);
    expect(some).toMatch(/<li data-search="run-step-failed[^"]*" hidden>/);
  });

  it("renders a rule's page from its data, with every example checked by the engine", async () => {
    const res = await fetch(`${h.url}/rules/non-ascii-context-path?lang=zh`);
    expect(res.status).toBe(200);
    const page = await res.text();
    const rule = builtinEngine().rules.find((r) => r.rule.id === "non-ascii-context-path")!.rule;
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain(rule.title.zh);
    expect(page.match(/data-verdict="ok"/g)).toHaveLength(rule.examples.match.length + rule.examples.nearMiss.length);
    expect(page).toContain("https://github.com/docker/buildx/issues/2793");
  });

  it("says so when an example does not fire (the check is live)", async () => {
    const engine = engineOf(ruleData("demo-rule", { examples: { match: [{ log: "boom a" }, { log: "boom b" }, { log: "no bang here" }], nearMiss: [{ log: "bang" }, { log: "boom z" }] } }));
    const other = await startConsole({ engine });
    try {
      const page = await (await fetch(`${other.url}/rules/demo-rule`)).text();
      expect(page.match(/data-verdict="ok"/g)).toHaveLength(3);
      expect(page.match(/data-verdict="failed"/g)).toHaveLength(2);
      expect(page).toContain("check failed: no rule matched");
    } finally {
      await other.close();
    }
  });

  it("404s an unknown rule and escapes the id it was asked for", async () => {
    const res = await fetch(`${h.url}/rules/%3Cb%3Enope`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("<b>nope");
  });

  it("sends a strict CSP, nosniff, and no inline script or style", async () => {
    for (const path of ["/", "/rules", "/rules/platform-mismatch", "/stats"]) {
      const res = await fetch(`${h.url}${path}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const body = await res.text();
      expect(body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(body).not.toMatch(/\s(?:on[a-z]+|style)=/i);
    }
    const js = await fetch(`${h.url}/assets/console.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
  });
});

describe("web console: stats gate", () => {
  it("counts only loopback binds as this machine", () => {
    for (const h of ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.com", "127.0.0.1.example.com"]) expect(isLoopbackHost(h), h).toBe(false);
  });

  it("with WEB_TOKEN: bearer or the login form's HttpOnly cookie, nothing else", async () => {
    const h = await startConsole({ token: TOKEN, host: "0.0.0.0" });
    try {
      const anon = await fetch(`${h.url}/stats`);
      expect(anon.status).toBe(401);
      expect(await anon.text()).toContain('name="token"');
      expect((await fetch(`${h.url}/api/stats`, { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(401);
      expect((await fetch(`${h.url}/api/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);

      const wrong = await fetch(`${h.url}/login`, { method: "POST", body: new URLSearchParams({ token: "nope" }), redirect: "manual" });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("set-cookie")).toBeNull();
      const ok = await fetch(`${h.url}/login`, { method: "POST", body: new URLSearchParams({ token: TOKEN }), redirect: "manual" });
      expect(ok.status).toBe(303);
      const cookie = ok.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).not.toContain(TOKEN);
      const session = cookie.split(";")[0]!;
      const page = await fetch(`${h.url}/stats`, { headers: { cookie: session } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Sign out");
      // A forged or tampered cookie is nothing.
      expect((await fetch(`${h.url}/stats`, { headers: { cookie: session.replace(/.$/, (c) => (c === "0" ? "1" : "0")) } })).status).toBe(401);

      // Sharing needs the same right.
      const log = "ERROR: docker exporter does not currently support exporting manifest lists";
      expect((await diagnose(h, { log, share: true })).json.shared).toBe(false);
      expect((await diagnose(h, { log, share: true }, { cookie: session })).json.shared).toBe(true);
    } finally {
      await h.close();
    }
  });

  it("without WEB_TOKEN on a non-loopback bind: refused, saying why", async () => {
    const h = await startConsole({ host: "0.0.0.0" });
    try {
      const res = await fetch(`${h.url}/stats`);
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/listens on 0\.0\.0\.0.*WEB_TOKEN is not set/);
      expect((await fetch(`${h.url}/api/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(403);
    } finally {
      await h.close();
    }
  });

  it("without WEB_TOKEN on loopback: open, and shows what was shared", async () => {
    const h = await startConsole({ host: "127.0.0.1" });
    try {
      await diagnose(h, { log: "ERROR: docker exporter does not currently support exporting manifest lists", share: true });
      const page = await (await fetch(`${h.url}/stats`)).text();
      expect(page).toContain('href="/rules/load-manifest-list-unsupported?lang=en"');
      const json = (await (await fetch(`${h.url}/api/stats`)).json()) as { causes: Array<{ ruleId: string; total: number }> };
      expect(json.causes).toEqual([expect.objectContaining({ ruleId: "load-manifest-list-unsupported", total: 1 })]);
    } finally {
      await h.close();
    }
  });
});

describe("web console: with the LLM fallback", () => {
  const unknown = [
    "docker buildx build -t acme/api:1.2 .",
    "#8 exporting to image",
    "#8 exporting layers 2.1s done",
    "#8 ERROR: failed to export layer: zstd frame checksum mismatch in blob sha256:3f1c",
    "ERROR: failed to solve: zstd frame checksum mismatch",
  ].join("\n");

  it("marks the model's answer as an AI suggestion and keeps no sample unless shared", async () => {
    const fake = await FakeOpenAI.start();
    const h = await startConsole({ llm: llmConfigFor(fake) });
    try {
      fake.script({ content: answerContent() });
      const { json } = await diagnose(h, { log: unknown, lang: "en" });
      expect(json.source).toBe("llm");
      expect(json.html).toContain('class="ai-mark"');
      expect(json.html).toContain("AI suggestion, not a verified rule");
      expect(json.html).not.toContain("Matched pattern");
      const fingerprint = fingerprintResult(builtinEngine().diagnose(unknown), unknown);
      expect(await h.store.get(`unknown-sample:${fingerprint}`)).toBeUndefined();
      expect(await h.service.unknownStats(WEB_WORKSPACE)).toEqual([]);

      // Shared: counted under llm-suggestion, and as an unknown failure with its masked sample (the model's answer is cached: no second question).
      const shared = await diagnose(h, { log: unknown, lang: "en", share: true });
      expect(shared.json.shared).toBe(true);
      expect(fake.requests).toHaveLength(1);
      expect((await h.service.stats(WEB_WORKSPACE)).map((r) => r.ruleId)).toEqual(["llm-suggestion"]);
      expect((await h.service.unknownStats(WEB_WORKSPACE))[0]?.sample).toContain("zstd frame checksum mismatch");
    } finally {
      await h.close();
      await fake.close();
    }
  });
});
