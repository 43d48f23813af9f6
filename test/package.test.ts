// The package as a user gets it: `npm pack` in a copy of the checkout (its `prepack` builds
// dist/ there, never touching this checkout's dist/, which other test files are running), then
// `npm install --omit=dev <tarball>` into an empty folder and the installed `buildx-fix` run
// for real. One file, one pack: it takes about a minute (npm's local cache is used).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const work = mkdtempSync(join(tmpdir(), "buildx-fix-pack-"));
let tarball = "";
let files: string[] = [];
let installed = "";

/** The checkout as a fresh clone would have it: tracked and new (not ignored) files. */
function copyCheckout(dest: string): void {
  // (the list outgrew execFileSync's 1 MiB default as the fresh sets grew: thirteen thousand logs' paths)
  const list = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).toString("utf8").split("\0").filter(Boolean);
  for (const f of list) {
    try {
      cpSync(join(ROOT, f), join(dest, f));
    } catch (err) {
      // A file deleted in the work tree but still in the index.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  // The build needs the dev dependencies (tsc); a link avoids a second install.
  symlinkSync(join(ROOT, "node_modules"), join(dest, "node_modules"), "dir");
}

const run = (cmd: string, args: string[], cwd: string, input?: string) => {
  const r = spawnSync(cmd, args, { cwd, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", RULES_DIR: "", npm_config_update_notifier: "false" }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  const src = join(work, "src");
  mkdirSync(src);
  copyCheckout(src);
  const pack = run(NPM, ["pack", "--json", "--pack-destination", work], src);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  // prepack's output comes before the JSON on stdout.
  const report = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[\n"))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, report[0]!.filename);
  files = report[0]!.files.map((f) => f.path);
  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), '{ "name": "empty-app", "private": true }\n');
  const install = run(NPM, ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", tarball], app);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
  installed = app;
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm pack → npm install --omit=dev", () => {
  it("ships the built code, the rules and the bin, and nothing of the tests, sources or maps", () => {
    expect(files).toContain("bin/buildx-fix.js");
    expect(files).toContain("dist/src/adapters/cli/main.js");
    expect(files).toContain("dist/src/main.js");
    expect(files).toContain("rules/redos-verdicts.json");
    expect(files.filter((f) => /^rules\/.+\.yaml$/.test(f)).length).toBe(readdirSync(join(ROOT, "rules")).filter((f) => f.endsWith(".yaml")).length);
    expect(files).toContain("dist/rules-pack.json");
    expect(files).toContain("src/web/assets/console.js");
    const stray = files.filter((f) => (/^(test|src|bench|scripts)\//.test(f) && !f.startsWith("src/web/assets/")) || f.startsWith("dist/bench/") || f.endsWith(".map") || f.endsWith(".ts"));
    expect(stray).toEqual([]);
  });

  it("the installed buildx-fix prints the package's version", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    const r = run(join(installed, "node_modules", ".bin", "buildx-fix"), ["--version"], installed);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(version);
  });

  it("the installed buildx-fix diagnoses a log from stdin with the shipped rules", () => {
    const log = [
      "$ docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest --load .",
      "[+] Building 0.0s (0/0) docker-container:stoic_hellman",
      "ERROR: docker exporter does not currently support exporting manifest lists",
    ].join("\n");
    const r = run(join(installed, "node_modules", ".bin", "buildx-fix"), ["diagnose", "-", "--json"], installed, log);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { source: string; diagnoses: Array<{ ruleId: string; fix: Array<{ command?: string }> }> };
    expect(out.source).toBe("rules");
    expect(out.diagnoses[0]!.ruleId).toBe("load-manifest-list-unsupported");
    expect(out.diagnoses[0]!.fix.map((f) => f.command).join("\n")).toContain("cloudsmithy/shuangpin:latest");
  });

  it("installs no dev dependency", () => {
    const modules = readdirSync(join(installed, "node_modules"));
    for (const dev of ["typescript", "vitest", "tsx", "dockerfile-ast"]) expect(modules).not.toContain(dev);
  });
});
