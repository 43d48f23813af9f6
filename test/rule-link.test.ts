// With PUBLIC_URL set, every surface links an answer's rule to its page on the web console
// (`${PUBLIC_URL}/rules/<id>`); without it, or for an AI answer naming no rule, none does.
import { afterEach, describe, expect, it } from "vitest";
import { renderDiscordAlert, renderSlackAlert } from "../src/alerts/render.js";
import type { DiagnoseResult } from "../src/engine/types.js";
import { LLM_RULE_ID } from "../src/llm/suggestion.js";
import { renderDiscordAnswer } from "../src/renderers/discord-embed.js";
import { toJson } from "../src/renderers/json.js";
import { renderMarkdown } from "../src/renderers/markdown.js";
import { ruleUrl } from "../src/renderers/rule-link.js";
import { renderSlackAnswer } from "../src/renderers/slack-blocks.js";
import { renderTerminal } from "../src/renderers/terminal.js";
import { runBin } from "./helpers/cli.js";
import { builtinEngine } from "./helpers/engine.js";

const LOG = "docker buildx build --platform linux/amd64,linux/arm64 -t acme/app:1 --load .\nERROR: docker exporter does not currently support exporting manifest lists";
const PAGE = "https://bxf.example.com/console/rules/load-manifest-list-unsupported";

const everySurface = (r: DiagnoseResult): Record<string, string> => ({
  markdown: renderMarkdown(r),
  terminal: renderTerminal(r),
  json: JSON.stringify(toJson(r)),
  slack: JSON.stringify(renderSlackAnswer(r, { answerId: "a1" }).blocks),
  discord: JSON.stringify(renderDiscordAnswer(r, { answerId: "a1" }).embeds),
  slackAlert: JSON.stringify(renderSlackAlert(r, { repo: "acme/app" }, "a1").blocks),
  discordAlert: JSON.stringify(renderDiscordAlert(r, { repo: "acme/app" }, "a1").embeds),
});

describe("rule links", () => {
  const before = process.env.PUBLIC_URL;
  afterEach(() => {
    if (before === undefined) delete process.env.PUBLIC_URL;
    else process.env.PUBLIC_URL = before;
  });

  it("link the rule's page in Slack, Discord, CLI text/markdown/json and CI alerts when PUBLIC_URL is set", () => {
    process.env.PUBLIC_URL = "https://bxf.example.com/console/";
    const r = builtinEngine().diagnose(LOG, { lang: "en" });
    for (const [surface, out] of Object.entries(everySurface(r))) expect(out, surface).toContain(PAGE);
    expect(renderMarkdown(r)).toContain(`[\`load-manifest-list-unsupported\`](${PAGE})`);
    expect(JSON.stringify(renderSlackAnswer(r).blocks)).toContain(`<${PAGE}|load-manifest-list-unsupported>`);
    expect(toJson(r).diagnoses[0]).toMatchObject({ ruleId: "load-manifest-list-unsupported", ruleUrl: PAGE });
  });

  it("link nothing without PUBLIC_URL (the JSON contract is unchanged)", () => {
    delete process.env.PUBLIC_URL;
    const r = builtinEngine().diagnose(LOG, { lang: "en" });
    for (const [surface, out] of Object.entries(everySurface(r))) expect(out, surface).not.toContain("/rules/");
    expect(Object.keys(toJson(r).diagnoses[0]!)).not.toContain("ruleUrl");
  });

  it("never link an AI answer that names no rule, nor a URL that would break the link", () => {
    expect(ruleUrl(LLM_RULE_ID, { PUBLIC_URL: "https://bxf.example.com" })).toBeUndefined();
    expect(ruleUrl("platform-mismatch", { PUBLIC_URL: "https://bxf.example.com" })).toBe("https://bxf.example.com/rules/platform-mismatch");
    for (const bad of ["javascript:alert(1)", "https://x.example/a|b", "https://x.example/(a)", "https://x.example/a b", "ftp://x.example"]) {
      expect(ruleUrl("platform-mismatch", { PUBLIC_URL: bad }), bad).toBeUndefined();
    }
  });

  it("the built CLI prints the link in text, markdown and json", async () => {
    for (const format of ["text", "markdown", "json"]) {
      const out = await runBin(["diagnose", "-", "--format", format, "--no-llm"], { input: LOG, env: { PUBLIC_URL: "https://bxf.example.com/console" } });
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout, format).toContain(PAGE);
    }
  });
});
