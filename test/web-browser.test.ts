// The web console in a real headless Chromium against `npm start`'s real process (no chat
// tokens): the seed notes pasted and answered, the Chinese switch, a rule page, the rule
// filter, keyboard use, a log holding markup shown as text, a dropped gzip file, and the
// stats behind WEB_TOKEN. The page's own console must stay free of errors (CSP violations
// included).
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBot } from "./helpers/bot-process.js";
import { BROWSER_SKIP_REASON, chromiumPath, inCI } from "./helpers/browser.js";
import { builtinEngine } from "./helpers/engine.js";
import { seedLog } from "./helpers/seed.js";

const TOKEN = "browser-test-token-0123456789abcdef";
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: string[] }>;
}

describe.skipIf(!chromiumPath && !inCI)(chromiumPath || inCI ? "web console in Chromium" : BROWSER_SKIP_REASON, () => {
  let bot: BotProcess;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!chromiumPath) throw new Error(`CI must run the browser tests, but ${BROWSER_SKIP_REASON}`);
    [bot, browser] = await Promise.all([startBot(), chromium.launch({ executablePath: chromiumPath })]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
  });

  async function open(path: string): Promise<Page> {
    const context = await browser.newContext({ locale: "en-US" });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: bot.url });
    const page = await context.newPage();
    page.on("console", (m) => void (m.type() === "error" && errors.push(`${page.url()}: ${m.text()}`)));
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    await page.goto(`${bot.url}${path}`);
    return page;
  }

  it("answers the pasted seed notes: every cause, the rule, variant and pattern, evidence marked in the log; then in Chinese", async () => {
    const seed = seedLog();
    const page = await open("/");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.getByLabel("Build log").fill(seed.text);
    await page.getByRole("button", { name: "Diagnose" }).click();
    const answer = page.locator("#result .answer");
    await answer.waitFor();
    const rules = await answer.locator(".diagnosis .meta a code").allTextContents();
    expect(rules, seed.from).toEqual(expect.arrayContaining(["non-ascii-context-path", "platform-mismatch", "lazycat-registry-auth", "load-manifest-list-unsupported", "no-output-docker-container-driver"]));
    const nonAscii = answer.locator(".diagnosis", { has: page.locator('a[href^="/rules/non-ascii-context-path"]') });
    await expect.poll(() => nonAscii.locator(".meta").textContent()).toContain("session-name");
    expect(await nonAscii.locator(".pattern").first().textContent()).toContain("x-docker-expose-session-name");
    expect(await answer.locator(".log mark.hit").count()).toBeGreaterThanOrEqual(5);
    // Focus moves to the answer, for keyboard and screen-reader users.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("cause-0");

    await page.getByRole("link", { name: "中文" }).click();
    await page.waitForURL(/lang=zh/);
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await page.locator("#result .answer").waitFor();
    expect(await page.locator("#result").textContent()).toContain("置信度");
    expect(await page.getByLabel("构建日志").inputValue()).toBe(seed.text.replace(/\r\n?/g, "\n"));
  });

  it("opens a rule's page from the answer, with its examples checked", async () => {
    const page = await open("/");
    await page.getByLabel("Build log").fill("docker buildx build --platform linux/amd64,linux/arm64 -t acme/app:1 --load .\nERROR: docker exporter does not currently support exporting manifest lists");
    await page.getByRole("button", { name: "Diagnose" }).click();
    await page.locator('#result a[href^="/rules/load-manifest-list-unsupported"]').first().click();
    await page.waitForURL(/\/rules\/load-manifest-list-unsupported/);
    expect(await page.locator("h1").textContent()).toBe(builtinEngine().rules.find((r) => r.rule.id === "load-manifest-list-unsupported")!.rule.title.en);
    const verdicts = await page.locator("[data-verdict]").evaluateAll((els) => els.map((e) => e.getAttribute("data-verdict")));
    expect(verdicts.length).toBeGreaterThanOrEqual(5);
    expect(new Set(verdicts)).toEqual(new Set(["ok"]));
  });

  it("filters the rules as you type", async () => {
    const page = await open("/rules");
    const all = await page.locator("#rule-list li:visible").count();
    await page.getByLabel("Filter rules").fill("lazycat registry");
    await expect.poll(() => page.locator("#rule-list li:visible").count()).toBeLessThan(all);
    expect(await page.locator("#rule-list li:visible code").allTextContents()).toContain("lazycat-registry-auth");
    await page.getByLabel("Filter rules").fill("zzzz-nothing");
    await expect.poll(() => page.locator("#rule-count").textContent()).toBe("No rule matches.");
  });

  it("works from the keyboard alone: skip link, form, answer, copy button, visible focus", async () => {
    const page = await open("/");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    // Tab from the top of main reaches the text area, then the file chooser, the checkbox, the button.
    for (let i = 0; i < 5 && (await page.evaluate(() => document.activeElement?.id)) !== "log"; i++) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("log");
    await page.keyboard.insertText("ERROR: docker exporter does not currently support exporting manifest lists");
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      order.push((await page.evaluate(() => document.activeElement?.id)) ?? "");
      if (order.at(-1) === "go") break;
    }
    expect(order).toContain("share");
    expect(order.at(-1)).toBe("go");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    await page.locator("#result .answer").waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("cause-0");
    for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.classList.contains("copy"))); i++) await page.keyboard.press("Tab");
    const copy = page.locator("button.copy:focus");
    await page.keyboard.press("Enter");
    await expect.poll(() => copy.textContent()).toBe("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("docker buildx build");
  });

  it("shows a log's markup as text: no element is created, no script runs", async () => {
    const page = await open("/");
    const evil = `#5 [2/3] RUN echo '<img src=x onerror="window.__xss=1">' && exit 1\n#5 0.1 <script>window.__xss=2</script>\nERROR: failed to solve: process "/bin/sh -c echo hi" did not complete successfully: exit code: 1`;
    await page.getByLabel("Build log").fill(evil);
    await page.getByRole("button", { name: "Diagnose" }).click();
    await page.locator("#result .answer").waitFor();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("#result img, #result script").count()).toBe(0);
    expect(await page.locator("#result .log pre").textContent()).toContain(`<img src=x onerror="window.__xss=1">`);
  });

  it("reads a dropped .gz log file", async () => {
    const page = await open("/");
    const buffer = gzipSync("docker buildx build --platform linux/amd64 -t acme/app:1 .\nWARNING: No output specified with docker-container driver. Build result will only remain in the build cache. To push result image into registry use --push or to load image into docker use --load\n");
    await page.locator("#file").setInputFiles({ name: "build.log.gz", mimeType: "application/gzip", buffer });
    await page.locator("#result .answer").waitFor();
    expect(await page.locator("#result .diagnosis.primary .meta a code").textContent()).toBe("no-output-docker-container-driver");
  });

  it("keeps the stats behind WEB_TOKEN: login form, wrong token refused, HttpOnly session", async () => {
    const guarded = await startBot({ WEB_TOKEN: TOKEN });
    try {
      const context = await browser.newContext({ locale: "en-US" });
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      const res = await page.goto(`${guarded.url}/stats`);
      expect(res?.status()).toBe(401);
      await page.getByLabel("Token").fill("not-the-token");
      await page.getByRole("button", { name: "Sign in" }).click();
      expect(await page.getByRole("alert").textContent()).toBe("Wrong token.");
      await page.getByLabel("Token").fill(TOKEN);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/stats/);
      expect(await page.locator("h1").textContent()).toBe("Stats");
      expect(await page.evaluate(() => document.cookie)).toBe("");
      await context.close();
    } finally {
      await guarded.stop();
    }
  }, 60_000);

  it("passes axe-core's WCAG 2 A/AA checks on every page, an answer shown", async () => {
    // axe is injected by the test (bypassing the CSP only for this context); the pages stay as served.
    const context = await browser.newContext({ locale: "en-US", bypassCSP: true });
    const page = await context.newPage();
    const audit = async (): Promise<string[]> => {
      await page.addScriptTag({ path: AXE });
      const found = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
        return (await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })).violations;
      });
      return found.map((v) => `${page.url()}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    };
    const problems: string[] = [];
    for (const path of ["/rules", "/rules/non-ascii-context-path?lang=zh", "/stats"]) {
      await page.goto(`${bot.url}${path}`);
      problems.push(...(await audit()));
    }
    await page.goto(`${bot.url}/`);
    await page.getByLabel("Build log").fill(seedLog().text);
    await page.getByRole("button", { name: "Diagnose" }).click();
    await page.locator("#result .answer").waitFor();
    problems.push(...(await audit()));
    await context.close();
    expect(problems).toEqual([]);
  });

  it("logged no errors in the pages (CSP violations included)", () => {
    expect(errors).toEqual([]);
  });
});
