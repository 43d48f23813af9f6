import { describe, expect, it } from "vitest";
import { FAILURES, buildkitLog } from "../bench/generate-log.js";
import { commonKeywords, keywordLineCounts } from "../src/rules/keyword-rarity.js";
import { loaded, ruleData } from "./helpers/rules.js";

const benign = { name: "benign", texts: [buildkitLog(256 * 1024, 3, [])], limit: 0.01 };

describe("keyword rarity at build time", () => {
  it("counts the lines holding each keyword, case folded", () => {
    const { total, counts } = keywordLineCounts(["npm warn", "exec format"], ["npm WARN a\nNPM warn b\nx", "EXEC FORMAT error"]);
    expect(total).toBe(4);
    expect(counts.get("npm warn")).toBe(2);
    expect(counts.get("exec format")).toBe(1);
  });

  it("flags a rule keyword that is an everyday word of build output, not one that marks a failure", () => {
    const rules = [
      loaded(ruleData("chatty", { match: { keywords: ["npm warn"], any: ["npm WARN deprecated"] } })).rule,
      loaded(ruleData("rare", { match: { keywords: ["exec format error"], any: ["exec format error"] } })).rule,
    ];
    const flagged = commonKeywords(rules, [benign]);
    expect(flagged.map((c) => c.keyword)).toContain("npm warn");
    expect(flagged.find((c) => c.keyword === "npm warn")!.consumers).toEqual(["chatty"]);
    expect(flagged.map((c) => c.keyword)).not.toContain("exec format error");
  });

  it("leaves probe keywords alone (code, silenced once their fact is known)", () => {
    // `docker` is on the generated log's image references; only the Docker-output probe reads it.
    const flagged = commonKeywords([], [{ ...benign, texts: [buildkitLog(256 * 1024, 3, FAILURES)], limit: 0 }]);
    expect(flagged.map((c) => c.keyword)).not.toContain("docker");
    expect(flagged.every((c) => c.consumers.some((w) => w !== "probe" && w !== "idempotent probe"))).toBe(true);
  });
});
