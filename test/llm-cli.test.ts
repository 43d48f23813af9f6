// `buildx-fix diagnose --llm / --no-llm` as a real process (the built CLI) against the fake
// OpenAI-compatible server: the JSON contract's source, the marking in text and Markdown,
// the default that follows the configuration, and failures that leave the rules' answer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { messages } from "../src/i18n/messages.js";
import { runBin } from "./helpers/cli.js";
import { FakeOpenAI, answerContent } from "./helpers/fake-openai.js";

const UNKNOWN_LOG = `docker buildx build -t acme/api:1.2 .
#0 building with "default" instance using docker driver
#1 [internal] load build definition from Dockerfile
#8 exporting to image
#8 ERROR: failed to write image layer: zstd: frame checksum mismatch in layer sha256:1234abcd1234abcd
ERROR: failed to solve: failed to write image layer: zstd: frame checksum mismatch
`;
const KNOWN_LOG = `docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest . --load
[+] Building 0.0s (0/0) docker-container:stoic_hellman
ERROR: docker exporter does not currently support exporting manifest lists
`;

/** No LLM variables at all, whatever the developer's shell has. */
const NO_LLM = { OPENAI_API_KEY: "", OPENAI_BASE_URL: "", OPENAI_MODEL: "", LOG_LEVEL: "" };

let fake: FakeOpenAI;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  fake = await FakeOpenAI.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  env = { ...NO_LLM, OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: "fake-model", OPENAI_API_KEY: "test-key", LLM_MAX_RETRIES: "0" };
});

describe("buildx-fix diagnose with an LLM configured", () => {
  it("--llm --json: source llm, the AI suggestion first, asked with the configured model and key", async () => {
    fake.script({ content: answerContent({ evidenceLines: [6] }) });
    const r = await runBin(["diagnose", "--llm", "--json"], { input: UNKNOWN_LOG, env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { source: string; diagnoses: Array<Record<string, unknown>> };
    expect(Object.keys(out)).toEqual(["source", "diagnoses"]);
    expect(out.source).toBe("llm");
    expect(Object.keys(out.diagnoses[0]!)).toEqual(["ruleId", "family", "title", "confidence", "summary", "fix", "docs", "evidence", "facts"]);
    expect(out.diagnoses[0]).toMatchObject({
      ruleId: "llm-suggestion",
      title: "Image layer corrupted while exporting",
      confidence: "medium",
      evidence: [{ line: 6, text: "ERROR: failed to solve: failed to write image layer: zstd: frame checksum mismatch" }],
      facts: { image: "acme/api:1.2" },
    });
    expect(String(out.diagnoses[0]!.summary).startsWith(messages("en").unverified)).toBe(true);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.model).toBe("fake-model");
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer test-key");
  });

  it("follows the configuration without a flag, and marks the answer in text and Markdown", async () => {
    fake.script({ content: answerContent() }, { content: answerContent() }, { content: answerContent({ summary: "构建缓存已损坏。" }) });
    const text = await runBin(["diagnose"], { input: UNKNOWN_LOG, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("✖ Image layer corrupted while exporting");
    expect(text.stdout).toContain(`⚠ ${messages("en").unverified}`);
    // The label once, on its own line; the summary under it without it.
    expect(text.stdout.split(messages("en").unverified)).toHaveLength(2);
    expect(text.stdout).toContain("\n  The exporter could not write a layer");
    const md = await runBin(["diagnose", "--format", "markdown"], { input: UNKNOWN_LOG, env });
    expect(md.stdout).toContain(`> ⚠️ **${messages("en").unverified}**`);
    expect(md.stdout.split(messages("en").unverified)).toHaveLength(2);
    const zh = await runBin(["diagnose", "--lang", "zh"], { input: UNKNOWN_LOG, env });
    expect(zh.stdout).toContain(`⚠ ${messages("zh").unverified}`);
    expect(zh.stdout).toContain("\n  构建缓存已损坏。\n");
    expect(fake.requests).toHaveLength(3);
  });

  it("--no-llm answers exactly as without an LLM, and asks nobody", async () => {
    fake.script({ content: answerContent() });
    for (const args of [["--json"], [], ["--format", "markdown"]]) {
      const off = await runBin(["diagnose", "--no-llm", ...args], { input: UNKNOWN_LOG, env });
      const none = await runBin(["diagnose", ...args], { input: UNKNOWN_LOG, env: NO_LLM });
      expect(off).toEqual(none);
    }
    expect(JSON.parse((await runBin(["diagnose", "--no-llm", "--json"], { input: UNKNOWN_LOG, env })).stdout)).toEqual({ source: "none", diagnoses: [] });
    expect(fake.requests).toHaveLength(0);
  });

  it("does not ask when a rule is confident", async () => {
    const r = await runBin(["diagnose", "--json"], { input: KNOWN_LOG, env });
    expect(JSON.parse(r.stdout)).toMatchObject({ source: "rules", diagnoses: [{ ruleId: "load-manifest-list-unsupported" }] });
    expect(fake.requests).toHaveLength(0);
  });

  it("gives the rules' answer, exit 0, when the model server fails or hangs", async () => {
    const rulesAnswer = (await runBin(["diagnose", "--json"], { input: UNKNOWN_LOG, env: NO_LLM })).stdout;
    fake.script({ status: 500, body: { error: { message: "boom", type: "server_error" } } });
    const failed = await runBin(["diagnose", "--json"], { input: UNKNOWN_LOG, env });
    expect(failed.code).toBe(0);
    expect(failed.stdout).toBe(rulesAnswer);
    expect(failed.stderr).toContain("LLM fallback failed");

    fake.script({ hang: true });
    const hung = await runBin(["diagnose", "--json"], { input: UNKNOWN_LOG, env: { ...env, LLM_TIMEOUT_MS: "200" } });
    expect(hung.code).toBe(0);
    expect(hung.stdout).toBe(rulesAnswer);
    expect(fake.requests).toHaveLength(2);

    const text = await runBin(["diagnose"], { input: UNKNOWN_LOG, env: { ...env, LLM_TIMEOUT_MS: "200" } });
    expect(text.stdout).toContain(messages("en").noCause);
    expect(text.stdout).toContain(messages("en").nextSteps);
  });
});

describe("buildx-fix diagnose without an LLM configured", () => {
  it("--llm is a usage error naming what is missing", async () => {
    const r = await runBin(["diagnose", "--llm"], { input: UNKNOWN_LOG, env: NO_LLM });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("buildx-fix: --llm needs OPENAI_MODEL and OPENAI_API_KEY or OPENAI_BASE_URL\n");
    const partial = await runBin(["diagnose", "--llm"], { input: UNKNOWN_LOG, env: { ...NO_LLM, OPENAI_API_KEY: "k" } });
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain("OPENAI_MODEL is not set");
  });

  it("a bad LLM setting is a usage error", async () => {
    const r = await runBin(["diagnose"], { input: UNKNOWN_LOG, env: { ...env, LLM_TIMEOUT_MS: "soon" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^buildx-fix: invalid LLM configuration: LLM_TIMEOUT_MS/);
  });
});
