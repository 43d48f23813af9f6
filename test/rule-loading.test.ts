import { describe, expect, it } from "vitest";
import { RuleLoadError } from "../src/rules/errors.js";
import { loadRuleDir, loadRules } from "../src/rules/load.js";
import { stringify } from "yaml";
import { ruleData, ruleDir } from "./helpers/rules.js";

function loadError(dir: string): string {
  try {
    loadRuleDir(dir, false);
  } catch (err) {
    expect(err).toBeInstanceOf(RuleLoadError);
    return (err as Error).message;
  }
  throw new Error("expected the rule directory to be refused");
}

describe("rule files", () => {
  it("load when valid", () => {
    const rules = loadRuleDir(ruleDir({ "my-rule.yaml": ruleData("my-rule") }), false);
    expect(rules.map((r) => r.rule.id)).toEqual(["my-rule"]);
  });

  it("name the file and the line of a YAML syntax error", () => {
    expect(loadError(ruleDir({ "bad.yaml": "id: bad\ntitle: [unclosed\n" }))).toMatch(/bad\.yaml: YAML syntax error at line \d+/);
  });

  it("name the file, the rule and the field of a schema error", () => {
    const msg = loadError(ruleDir({ "r1.yaml": ruleData("r1", { confidence: "certain" }), "r2.yaml": ruleData("r2", { summary: { en: "only English" } }) }));
    expect(msg).toMatch(/r1\.yaml: rule "r1", field confidence: /);
    expect(msg).toMatch(/r2\.yaml: rule "r2", field summary\.zh: /);
  });

  it("join a folded Chinese text's lines without a blank between two Chinese characters, keeping blanks beside Latin text", () => {
    // (YAML's `>-` joins lines with a blank: `凭据。` over `用该账号` became `凭据。 用该账号`)
    const yaml = stringify(ruleData("folded")).replace(/^summary:\n(?:  .*\n)+/m, "summary:\n  en: Sign in.\n  zh: >-\n    请求里没有带凭据。\n    用该账号登录 docker：它在 Docker Desktop 里\n    （设置）\n");
    const rule = loadRuleDir(ruleDir({ "folded.yaml": yaml }), false)[0]!.rule;
    expect(rule.summary.zh).toBe("请求里没有带凭据。用该账号登录 docker：它在 Docker Desktop 里（设置）");
    // and no built-in rule's Chinese keeps such a blank
    const gap = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef] [\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;
    for (const { rule: r } of loadRules()) expect(r.summary.zh, r.id).not.toMatch(gap);
  });

  it("need at least three examples that match and two near-misses", () => {
    const msg = loadError(ruleDir({ "few.yaml": ruleData("few", { examples: { match: [{ log: "boom a" }], nearMiss: [{ log: "x" }] } }) }));
    expect(msg).toMatch(/field examples\.match: /);
    expect(msg).toMatch(/field examples\.nearMiss: /);
  });

  it("keep the id equal to the file name", () => {
    expect(loadError(ruleDir({ "other-name.yaml": ruleData("my-rule") }))).toMatch(/rule "my-rule", field id: must equal the file name "other-name"/);
  });

  it("refuse invalid regular expressions and placeholders that nothing fills", () => {
    expect(loadError(ruleDir({ "re.yaml": ruleData("re", { match: { keywords: ["boom"], any: ["boom (unclosed"] } }) }))).toMatch(/field match\.any\[0\]: not a valid regular expression/);
    const msg = loadError(ruleDir({ "tpl.yaml": ruleData("tpl", { fix: [{ description: { en: "a", zh: "b" }, command: "docker push {{imagee}}" }] }) }));
    expect(msg).toMatch(/field fix\[0\]\.command: \{\{imagee\}\} is neither an engine fact/);
  });

  it("refuse a pattern that can backtrack catastrophically", () => {
    const msg = loadError(ruleDir({ "redos.yaml": ruleData("redos", { match: { keywords: ["boom"], any: ["boom (\\w+\\s?)*$"] } }) }));
    expect(msg).toMatch(/field match\.any\[0\]: regular expression can backtrack catastrophically/);
  });

  it("refuse two variants of one name, naming the file and the field", () => {
    const v = { name: "same", match: { keywords: ["boom"], any: ["boom (?<thing>\\w+)"] } };
    const msg = loadError(ruleDir({ "twice.yaml": ruleData("twice", { match: undefined, variants: [v, v] }) }));
    expect(msg).toMatch(/twice\.yaml/);
    expect(msg).toMatch(/variants(?:\[1\]|\.1)\.name/);
    expect(msg).toMatch(/used twice/);
  });

  it("refuse duplicate ids and unknown ids in unless", () => {
    expect(loadError(ruleDir({ "a.yml": ruleData("dup"), "dup.yaml": ruleData("dup") }))).toMatch(/duplicates the id of/);
    const dir = ruleDir({ "lonely.yaml": ruleData("lonely", { match: { keywords: ["boom"], any: ["boom"], unless: ["nobody"] } }) });
    expect(() => loadRules({ builtin: false, extraDirs: [dir] })).toThrow(/lonely\.yaml: rule "lonely", field match\.unless: names an unknown rule "nobody"/);
  });
});

describe("team rules", () => {
  it("add to the built-in pack and replace a built-in with the same id", () => {
    const builtin = loadRules();
    const replaced = builtin[0]!.rule.id;
    const dir = ruleDir({ "team-only.yaml": ruleData("team-only"), [`${replaced}.yaml`]: ruleData(replaced, { title: { en: "Team version", zh: "团队版本" } }) });
    const merged = loadRules({ extraDirs: [dir] });
    expect(merged).toHaveLength(builtin.length + 1);
    const mine = merged.find((r) => r.rule.id === replaced)!;
    expect([mine.builtin, mine.rule.title.en]).toEqual([false, "Team version"]);
  });

  it("fail with a clear message when the directory does not exist", () => {
    expect(() => loadRules({ extraDirs: ["/nonexistent/rules"] })).toThrow(/no such rules directory/);
  });
});
