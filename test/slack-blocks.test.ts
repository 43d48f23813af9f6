// The Slack renderer on its own: structure of an answer, Slack's limits on long content (cut
// with a note), the fallback text, the feedback tally.
import { describe, expect, it } from "vitest";
import type { DiagnoseResult, Diagnosis } from "../src/engine/types.js";
import { SLACK_LIMITS, answerLang, clip, parseFeedbackValue, renderSlackAnswer, withTally } from "../src/renderers/slack-blocks.js";
import { builtinEngine } from "./helpers/engine.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";

function diagnosis(over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    ruleId: "some-rule",
    title: "Something broke",
    confidence: "high",
    priority: 50,
    summary: "It broke because of <reasons> & more.",
    fix: [{ description: "Do this", command: "docker buildx build --push ." }],
    docs: [{ title: "Docs", url: "https://docs.docker.com/build/" }],
    evidence: [{ line: 7, text: "ERROR: it broke" }],
    facts: {},
    ...over,
  };
}

function result(diagnoses: Diagnosis[], lang: "en" | "zh" = "en"): DiagnoseResult {
  return { source: diagnoses.length ? "rules" : "none", lang, diagnoses, facts: {}, conditions: [], dockerLog: true };
}

type AnyBlock = Record<string, unknown> & { type: string; block_id?: string };
const texts = (blocks: unknown[]): string[] => {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const o = n as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
};

describe("renderSlackAnswer", () => {
  it("renders a real diagnosis: header, summary, a code block per fix, evidence with line numbers, doc buttons, feedback", () => {
    const r = builtinEngine().diagnose(LOAD_LOG);
    const { text, blocks } = renderSlackAnswer(r, { answerId: "abc123", source: "from build.log" });
    const b = blocks as AnyBlock[];
    expect(b[0]).toMatchObject({ type: "header" });
    expect(b[1]).toMatchObject({ type: "section" });
    const code = b.filter((x) => x.type === "rich_text");
    expect(code.length).toBe(r.diagnoses[0]!.fix.length + 1);
    for (const [i, f] of r.diagnoses[0]!.fix.entries()) expect(JSON.stringify(code[i])).toContain(JSON.stringify(f.command).slice(1, -1));
    expect(JSON.stringify(code.at(-1))).toContain("3 | ERROR: docker exporter");
    const docs = b.find((x) => x.block_id === "bxf_docs") as { elements: Array<{ url: string }> };
    expect(docs.elements.map((e) => e.url)).toEqual(r.diagnoses[0]!.docs.map((d) => d.url));
    const fb = b.at(-1) as { block_id: string; elements: Array<{ action_id: string; value: string }> };
    expect(fb.block_id).toBe("bxf_feedback:en");
    expect(fb.elements.map((e) => [e.action_id, e.value])).toEqual([
      ["bxf_feedback_fixed", `abc123:${LOAD_RULE}`],
      ["bxf_feedback_wrong", `abc123:${LOAD_RULE}`],
    ]);
    expect(JSON.stringify(blocks)).toContain("from build.log");
    expect(text).toMatch(/^buildx-fix: .+ \(Confidence: high\)\.\n/);
    expect(text).toContain("Fix: docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest --push .");
  });

  it("escapes mrkdwn control characters in summaries", () => {
    const { blocks } = renderSlackAnswer(result([diagnosis()]));
    expect(JSON.stringify(blocks)).toContain("It broke because of &lt;reasons&gt; &amp; more.");
  });

  it("keeps huge content within Slack's limits and says it was cut", () => {
    const d = diagnosis({
      title: "T".repeat(400),
      summary: "word ".repeat(2000),
      fix: Array.from({ length: 60 }, (_, i) => ({ description: `step ${i} `.repeat(50), command: `echo ${"x".repeat(5000)}` })),
      docs: Array.from({ length: 12 }, (_, i) => ({ title: `A very long documentation title number ${i} `.repeat(4), url: `https://docs.docker.com/${i}` })),
      evidence: Array.from({ length: 5 }, (_, i) => ({ line: i + 1, text: "E".repeat(4096) })),
    });
    const rest = Array.from({ length: 20 }, (_, i) => diagnosis({ ruleId: `other-${i}`, title: `Other ${i}`, summary: "s".repeat(1000) }));
    const { text, blocks } = renderSlackAnswer(result([d, ...rest]), { answerId: "id1", tally: { fixed: 2, wrong: 1 } });
    const b = blocks as AnyBlock[];
    expect(b.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(JSON.stringify(blocks).length).toBeLessThan(13_000);
    const header = b.find((x) => x.type === "header") as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text.endsWith("…")).toBe(true);
    for (const t of texts(blocks)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    for (const x of b.filter((y) => y.type === "actions") as Array<{ elements: Array<{ text: { text: string } }> }>) {
      expect(x.elements.length).toBeLessThanOrEqual(25);
      for (const e of x.elements) expect(e.text.text.length).toBeLessThanOrEqual(75);
    }
    expect(JSON.stringify(blocks)).toContain("cut to fit");
    // The feedback buttons and the tally survive any cut.
    expect(b.some((x) => x.block_id === "bxf_feedback:en")).toBe(true);
    expect(JSON.stringify(blocks)).toContain("Feedback: ✅ 2 fixed it · ❌ 1 wrong diagnosis");
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it("does not say 'cut' when nothing was", () => {
    expect(JSON.stringify(renderSlackAnswer(result([diagnosis()]), { answerId: "x" }).blocks)).not.toContain("cut to fit");
  });

  it("answers 'no known cause' with next steps and no feedback buttons", () => {
    const { text, blocks } = renderSlackAnswer(result([]), { answerId: "x" });
    expect(text).toMatch(/No known cause found/);
    expect(JSON.stringify(blocks)).toContain("Next steps");
    expect(JSON.stringify(blocks)).not.toContain("bxf_feedback");
  });

  it("uses Chinese labels for a Chinese answer", () => {
    const { blocks, text } = renderSlackAnswer(result([diagnosis({ title: "构建失败" })], "zh"), { answerId: "x" });
    expect(text).toContain("置信度");
    expect(JSON.stringify(blocks)).toContain("已解决");
    expect(answerLang(blocks)).toBe("zh");
  });
});

describe("feedback helpers", () => {
  it("withTally adds one tally after the buttons and replaces it on the next vote", () => {
    const { blocks } = renderSlackAnswer(result([diagnosis()]), { answerId: "a1" });
    const once = withTally(blocks, { fixed: 1, wrong: 0 });
    const twice = withTally(once, { fixed: 1, wrong: 1 });
    expect(twice.length).toBe(blocks.length + 1);
    const tallies = twice.filter((b) => b.block_id === "bxf_tally");
    expect(tallies).toHaveLength(1);
    expect(JSON.stringify(tallies[0])).toContain("✅ 1 fixed it · ❌ 1 wrong diagnosis");
    expect(twice.findIndex((b) => b.block_id === "bxf_tally")).toBe(twice.findIndex((b) => b.block_id === "bxf_feedback:en") + 1);
  });

  it("parses only well-formed button values", () => {
    expect(parseFeedbackValue("a1_-Z:some-rule")).toEqual({ answerId: "a1_-Z", ruleId: "some-rule" });
    expect(parseFeedbackValue("nope")).toBeUndefined();
    expect(parseFeedbackValue("a:b:c")).toBeUndefined();
    expect(parseFeedbackValue(undefined)).toBeUndefined();
  });

  it("clip never splits a surrogate pair and marks the cut", () => {
    const s = `${"a".repeat(9)}😀${"b".repeat(10)}`;
    const c = clip(s, 11);
    expect(c.length).toBeLessThanOrEqual(11);
    expect(c.endsWith("…")).toBe(true);
    expect(c).not.toMatch(/[\ud800-\udbff]…$/);
  });
});
