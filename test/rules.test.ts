// Every rule's own examples (ESLint's RuleTester, for logs): each `match` example gives the
// rule as the first answer, each near-miss does not give it at all. Plus what the pack as a
// whole must cover.
import { describe, expect, it } from "vitest";
import { testRuleExamples } from "../src/rules/example-test.js";
import { builtinEngine } from "./helpers/engine.js";

const REQUIRED_IDS = [
  "platform-mismatch", "exec-format-error", "qemu-binfmt-missing", "qemu-emulation-crash", "non-ascii-context-path",
  "no-output-docker-container-driver", "load-manifest-list-unsupported", "multi-platform-docker-driver", "cache-export-unsupported",
  "buildx-not-installed", "builder-instance-error", "buildkit-connection-lost", "daemon-not-running", "registry-auth-missing",
  "wrong-credentials", "credential-helper-failed", "lazycat-registry-auth", "push-access-denied", "ci-missing-secrets", "image-not-found", "no-matching-manifest",
  "rate-limited", "registry-server-error", "disk-full", "dockerfile-not-found", "copy-source-not-found", "build-push-action-git-context",
  "dockerfile-syntax", "crlf-line-endings", "registry-tls", "network-failure", "localhost-unreachable-from-builder", "invalid-reference",
  "buildkit-panic", "build-cache-corrupt", "run-step-failed", "gha-cache-service-retired",
];

const engine = builtinEngine();

describe("the rule pack", () => {
  it("knows every required cause", () => {
    const ids = new Set(engine.rules.map((r) => r.rule.id));
    expect(REQUIRED_IDS.filter((id) => !ids.has(id))).toEqual([]);
  });

  it("has three variants of non-ascii-context-path", () => {
    const rule = engine.rules.find((r) => r.rule.id === "non-ascii-context-path")!.rule;
    expect(rule.variants?.map((v) => v.name).sort()).toEqual(["followpaths", "session-name", "shared-key"]);
  });

  it("keeps the generic run-step-failed below every specific cause", () => {
    const generic = engine.rules.find((r) => r.rule.id === "run-step-failed")!.rule;
    const others = engine.rules.filter((r) => r.rule.id !== "run-step-failed");
    expect(others.every((r) => r.rule.priority > generic.priority)).toBe(true);
  });

  it("links LazyCat errors to LazyCat docs and the rest to Docker, GitHub or GitLab docs", () => {
    for (const { rule } of engine.rules) {
      for (const d of rule.docs) expect(d.url, rule.id).toMatch(/^https:\/\/(?:docs\.docker\.com|github\.com|developer\.lazycat\.cloud|docs\.github\.com|docs\.gitlab\.com|www\.dockerstatus\.com)\//);
    }
  });
});

describe.each(engine.rules.map((r) => [r.rule.id, r] as const))("rule %s", (_id, loaded) => {
  it("passes its own examples", () => {
    const report = testRuleExamples(engine, [loaded]);
    expect(report.failures.map((f) => `${f.example}: ${f.problem}`)).toEqual([]);
  });
  it("answers in both languages", () => {
    const ex = loaded.rule.examples.match[0]!;
    const zh = engine.diagnose(ex.log, { lang: "zh" }).diagnoses.find((d) => d.ruleId === loaded.rule.id)!;
    expect(zh.summary).toMatch(/[\u4e00-\u9fff]/);
  });
});
