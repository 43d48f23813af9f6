// `buildx-fix rules show <id>` prints the rule's page (the console's /rules/<id> content) with
// its examples checked now; `rules list --lang zh` lists the titles in Chinese.
import { describe, expect, it } from "vitest";
import { rulePage } from "../src/rules/rule-page.js";
import { runBin } from "./helpers/cli.js";
import { builtinEngine } from "./helpers/engine.js";
import { ruleData, ruleDir } from "./helpers/rules.js";

describe("buildx-fix rules show", () => {
  it("prints the page: title, summary, fixes, docs, variants and every example with its verdict", async () => {
    const out = await runBin(["rules", "show", "non-ascii-context-path"]);
    expect(out.code, out.stderr).toBe(0);
    const page = rulePage(builtinEngine(), "non-ascii-context-path", "en")!;
    expect(out.stdout).toContain(page.title);
    expect(out.stdout).toContain(page.summary);
    for (const f of page.fix) expect(out.stdout).toContain(f.command);
    for (const d of page.docs) expect(out.stdout).toContain(d.url);
    for (const m of page.matchers) if (m.variant) expect(out.stdout).toContain(`variant ${m.variant}`);
    expect(out.stdout.match(/✓ fires/g)).toHaveLength(page.examples.match.length);
    expect(out.stdout.match(/✓ does not fire/g)).toHaveLength(page.examples.nearMiss.length);
  });

  it("in Chinese with --lang zh", async () => {
    const out = await runBin(["rules", "show", "platform-mismatch", "--lang", "zh"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(rulePage(builtinEngine(), "platform-mismatch", "zh")!.title);
    expect(out.stdout).toContain("会触发的示例");
  });

  it("shows a team rule's failing example as failed", async () => {
    const dir = ruleDir({ "team-rule.yaml": ruleData("team-rule", { examples: { match: [{ log: "boom a" }, { log: "boom b" }, { log: "quiet" }], nearMiss: [{ log: "bang" }, { log: "bust" }] } }) });
    const out = await runBin(["rules", "show", "team-rule", "--rules", dir]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("✗ CHECK FAILED: no rule matched");
  });

  it("exits 2 naming the way out for an unknown id", async () => {
    const out = await runBin(["rules", "show", "no-such-rule"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/no rule "no-such-rule".*rules list/);
  });

  it("rules list --lang zh lists Chinese titles", async () => {
    const out = await runBin(["rules", "list", "--lang", "zh"]);
    expect(out.code).toBe(0);
    const rule = builtinEngine().rules.find((r) => r.rule.id === "platform-mismatch")!.rule;
    expect(out.stdout).toContain(rule.title.zh);
    expect(out.stdout).not.toContain(rule.title.en);
    expect(out.stdout).toMatch(/共 \d+ 条规则/);
  });
});
