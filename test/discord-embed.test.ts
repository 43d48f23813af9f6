// The Discord renderer on its own: a diagnosis as an embed with link and feedback buttons,
// within every Discord limit however large the diagnosis, saying so when something was cut.
import { describe, expect, it } from "vitest";
import type { DiagnoseResult, Diagnosis } from "../src/engine/types.js";
import {
  DISCORD_LIMITS,
  codeBlock,
  embedLength,
  feedbackCustomId,
  parseFeedbackCustomId,
  plainMessage,
  renderDiscordAnswer,
  threadName,
  withTally,
} from "../src/renderers/discord-embed.js";
import { builtinEngine } from "./helpers/engine.js";
import { LOAD_LOG } from "./helpers/discord-harness.js";

function diagnosis(id: string, over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    ruleId: id,
    title: `Title of ${id}`,
    confidence: "high",
    priority: 50,
    summary: `Summary of ${id}.`,
    fix: [{ description: "Do this", command: `docker buildx build -t ${id} .` }],
    docs: [{ title: "Docs", url: "https://docs.docker.com/build/" }],
    evidence: [{ line: 3, text: `ERROR: ${id} happened` }],
    facts: {},
    ...over,
  };
}

function result(diagnoses: Diagnosis[], lang: "en" | "zh" = "en"): DiagnoseResult {
  return { source: diagnoses.length ? "rules" : "none", lang, diagnoses, facts: {}, conditions: [], dockerLog: true };
}

const huge = (n: number, unit = "word ") => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

function expectWithinLimits(a: ReturnType<typeof renderDiscordAnswer>): void {
  expect(a.embeds.length).toBeLessThanOrEqual(10);
  for (const e of a.embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(f.value.length).toBeGreaterThan(0);
      expect((f.value.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(embedLength(e)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect((e.description?.match(/```/g) ?? []).length % 2).toBe(0);
  }
  expect(a.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
  for (const row of a.components) {
    expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
    for (const b of row.components) {
      expect((b as { label: string }).label.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
      if ("custom_id" in b) expect(b.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
      if ("url" in b) expect(b.url.length).toBeLessThanOrEqual(DISCORD_LIMITS.linkUrl);
    }
  }
}

describe("renderDiscordAnswer", () => {
  it("renders a real answer whole: cause, summary, fix commands in code blocks, confidence, evidence, docs and feedback", () => {
    const r = builtinEngine().diagnose(LOAD_LOG, { lang: "en" });
    const a = renderDiscordAnswer(r, { answerId: "abcDEF123_-x", source: "from build.log" });
    expectWithinLimits(a);
    expect(a.cut).toBe(false);
    const [e] = a.embeds;
    const d = r.diagnoses[0]!;
    expect(e!.title).toBe(d.title);
    expect(e!.description).toContain(d.summary);
    for (const f of d.fix) expect(e!.description).toContain(codeBlock(f.command, "sh"));
    expect(e!.description).not.toContain("✂️");
    expect(e!.fields!.map((f) => f.name)).toEqual(["Confidence", "Log", "Evidence"]);
    const [links, feedback] = a.components;
    expect(links!.components.map((b) => ("url" in b ? b.url : ""))).toEqual(d.docs.map((x) => x.url));
    expect(feedback!.components.map((b) => ("custom_id" in b ? b.custom_id : ""))).toEqual(["bxf:fb:fixed:abcDEF123_-x", "bxf:fb:wrong:abcDEF123_-x"]);
  });

  it("keeps every limit and says it cut, for diagnoses far over all of them", () => {
    const big = diagnosis("big", {
      title: huge(600),
      summary: huge(5000),
      fix: Array.from({ length: 12 }, (_, i) => ({ description: huge(900), command: `docker run ${huge(3000, `x${i}`)}` })),
      evidence: Array.from({ length: 60 }, (_, i) => ({ line: i * 1000 + 1, text: huge(2500, "e ") })),
      docs: Array.from({ length: 9 }, (_, i) => ({ title: huge(200), url: `https://docs.docker.com/${i}` })),
    });
    const rest = Array.from({ length: 30 }, (_, i) => diagnosis(`other-${i}`, { title: huge(300), summary: huge(2000) }));
    for (const lang of ["en", "zh"] as const) {
      const a = renderDiscordAnswer(result([big, ...rest], lang), { answerId: "A".repeat(12), source: huge(900) });
      expectWithinLimits(a);
      expect(a.cut).toBe(true);
      expect(a.embeds[0]!.description).toMatch(lang === "en" ? /✂️ \*Cut to fit Discord's limits/ : /✂️ \*内容超出 Discord 的长度限制，已截断/);
      // The first fix always survives, the feedback buttons too.
      expect(a.embeds[0]!.description).toContain("**1.**");
      expect(a.components.at(-1)!.components).toHaveLength(2);
      const voted = withTally(a.embeds[0]!, { fixed: 123_456, wrong: 654_321 }, lang);
      expect(voted.footer?.text).toContain("123456");
      expect(embedLength(voted)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    }
  });

  it("stays within the limits for random sizes", () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let k = 0; k < 200; k++) {
      const main = diagnosis("r", {
        title: huge(1 + rnd(400)),
        summary: huge(1 + rnd(3000)),
        fix: Array.from({ length: rnd(6) }, () => ({ description: huge(rnd(500)), command: huge(1 + rnd(2500), "c") })),
        evidence: Array.from({ length: rnd(20) }, (_, i) => ({ line: i + 1, text: huge(rnd(900)) })),
        docs: Array.from({ length: rnd(8) }, (_, i) => ({ title: huge(1 + rnd(120)), url: `https://docs.docker.com/${i}` })),
      });
      const rest = Array.from({ length: rnd(8) }, (_, i) => diagnosis(`o${i}`, { summary: huge(rnd(600)) }));
      const a = renderDiscordAnswer(result([main, ...rest]), { answerId: "x".repeat(12), ...(rnd(2) ? { source: huge(rnd(400)) } : {}) });
      expectWithinLimits(a);
      // Whenever it is cut, it says so.
      if (a.cut) expect(a.embeds[0]!.description).toContain("✂️");
      else expect(a.embeds[0]!.description).not.toContain("✂️");
    }
  });

  it("keeps code blocks closed when a command contains backticks", () => {
    const d = diagnosis("ticks", { fix: [{ description: "x", command: "echo ```; echo `date`" }] });
    const e = renderDiscordAnswer(result([d])).embeds[0]!;
    const block = /```sh\n([\s\S]*?)\n```/.exec(e.description!)![1]!;
    expect(block).not.toContain("```");
    expect(block.replace(/\u200b/g, "")).toBe("echo ```; echo `date`");
  });

  it("lists further causes briefly and counts those that do not fit", () => {
    const rest = Array.from({ length: 8 }, (_, i) => diagnosis(`cause-${i}`, { confidence: "medium" }));
    const e = renderDiscordAnswer(result([diagnosis("main"), ...rest])).embeds[0]!;
    const also = e.fields!.find((f) => f.name === "Also found")!;
    expect(also.value).toContain("• **Title of cause-0** — medium · `cause-0`");
    expect(also.value).toMatch(/…and 3 more$/);
    // Counting the rest is not a cut.
    expect(e.description).not.toContain("✂️");
  });

  it("has no feedback buttons without an answer id, and no diagnosis means the next steps", () => {
    const a = renderDiscordAnswer(result([diagnosis("x")]));
    expect(a.components.flatMap((r) => r.components).some((b) => "custom_id" in b)).toBe(false);
    const none = renderDiscordAnswer({ ...result([]), dockerLog: false }, { answerId: "abc" });
    expect(none.embeds[0]!.title).toBe("No known cause found");
    expect(none.embeds[0]!.description).toContain("This does not look like Docker build output");
    expect(none.components).toEqual([]);
  });

  it("marks an answer of the LLM fallback as an AI suggestion", () => {
    const ai = diagnosis("llm-suggestion", { confidence: "medium", summary: "AI suggestion, not a verified rule: the cache mount is full." });
    const e = renderDiscordAnswer({ ...result([ai, diagnosis("run-step-failed", { confidence: "low" })]), source: "llm" }, { answerId: "abc" }).embeds[0]!;
    expect(e.description).toMatch(/^⚠️ \*\*AI suggestion, not a verified rule\*\*\nthe cache mount is full\./);
    expect(e.fields!.find((f) => f.name === "Confidence")?.value).toBe("medium · `llm-suggestion`");
    // Rules' answers carry no such mark.
    expect(renderDiscordAnswer(result([diagnosis("x")])).embeds[0]!.description).not.toContain("AI suggestion");
  });

  it("answers in Chinese", () => {
    const r = builtinEngine().diagnose(LOAD_LOG, { lang: "zh" });
    const a = renderDiscordAnswer(r, { answerId: "abc", tally: { fixed: 2, wrong: 1 } });
    expect(a.embeds[0]!.description).toContain("**解决方法**");
    expect(a.embeds[0]!.fields!.map((f) => f.name)).toEqual(["置信度", "日志证据"]);
    expect(a.embeds[0]!.footer?.text).toBe("✅ 2 人已解决 · ❌ 1 人认为诊断不对");
    expect(a.components.at(-1)!.components.map((b) => (b as { label: string }).label)).toEqual(["已解决", "诊断不对"]);
  });
});

describe("helpers", () => {
  it("feedback custom ids carry only the vote and the answer id", () => {
    expect(parseFeedbackCustomId(feedbackCustomId("wrong", "Ab_9-xyz"))).toEqual({ vote: "wrong", answerId: "Ab_9-xyz" });
    expect(parseFeedbackCustomId("bxf:fb:maybe:abc")).toBeUndefined();
    expect(parseFeedbackCustomId("bxf:fb:fixed:abc:load-manifest")).toBeUndefined();
    expect(parseFeedbackCustomId("other")).toBeUndefined();
  });

  it("plain messages stay within 2 000 characters and say when cut", () => {
    expect(plainMessage("short", "en")).toBe("short");
    const cut = plainMessage(huge(5000), "en");
    expect(cut.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(cut).toMatch(/cut to fit Discord's 2 000 characters\)\*$/);
  });

  it("thread names stay within 100 characters", () => {
    expect(threadName(result([diagnosis("t", { title: huge(300) })])).length).toBeLessThanOrEqual(DISCORD_LIMITS.threadName);
    expect(threadName(result([]))).toBe("buildx-fix: No known cause found");
  });
});
