// `buildx-fix diagnose` loads only the engine and the renderers: the YAML loader and zod (the
// compiled rule pack replaces them), the store, Redis, pino and the LLM client load only when
// a command uses them. The process records every module it resolves (helpers/record-imports.mjs).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT } from "./helpers/cli.js";
import { ruleData, ruleDir } from "./helpers/rules.js";

const RECORDER = join(import.meta.dirname, "helpers", "record-imports.mjs");
const LAZY = /node_modules\/(?:pino|keyv|@keyv|redis|@redis|openai|yaml|zod|recheck)\/|dist\/src\/(?:store|llm|alerts|core)\/|dist\/src\/rules\/load\.js/;

function modulesLoaded(args: string[], env: NodeJS.ProcessEnv = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), "bxf-imports-"));
  const record = join(dir, "imports.txt");
  writeFileSync(record, "");
  const r = spawnSync(process.execPath, ["--import", RECORDER, BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, RECORD_IMPORTS: record, RULES_DIR: "", OPENAI_MODEL: "", OPENAI_API_KEY: "", OPENAI_BASE_URL: "", ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(record, "utf8").split("\n").filter(Boolean);
}

describe("start-up of buildx-fix diagnose", () => {
  const log = join(mkdtempSync(join(tmpdir(), "bxf-log-")), "build.log");
  writeFileSync(log, "#9 0.31 exec /bin/sh: exec format error\n");

  it("loads neither the YAML loader, zod, the store, pino nor the LLM code", () => {
    const loaded = modulesLoaded(["diagnose", log, "--json"]);
    expect(loaded.some((u) => u.includes("dist/src/engine/engine.js"))).toBe(true);
    expect(loaded.filter((u) => LAZY.test(u))).toEqual([]);
  });

  it("loads the YAML loader and zod for team rules (the recorder sees them)", () => {
    const dir = ruleDir({ "team-boom.yaml": ruleData("team-boom") });
    const loaded = modulesLoaded(["diagnose", log, "--json", "--rules", dir]);
    expect(loaded.some((u) => /node_modules\/yaml\//.test(u))).toBe(true);
    expect(loaded.some((u) => /node_modules\/zod\//.test(u))).toBe(true);
  });
});
