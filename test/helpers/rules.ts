// Builds rules for engine tests without writing YAML: a valid skeleton, parsed by the same
// zod schema the loader uses, with the parts a test cares about overridden.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { RuleEngine } from "../../src/engine/engine.js";
import type { LoadedRule } from "../../src/rules/load.js";
import { ruleSchema } from "../../src/rules/schema.js";

export function ruleData(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: { en: `Title of ${id}`, zh: `${id} 的标题` },
    category: "step",
    confidence: "high",
    priority: 50,
    match: { keywords: ["boom"], any: ["boom (?<thing>\\w+)"] },
    summary: { en: `Summary of ${id} for {{image}}`, zh: `${id} 的说明 {{image}}` },
    fix: [{ description: { en: "Do it", zh: "这样做" }, command: "docker buildx build -t {{image}} --platform {{targetPlatform|linux/amd64}} ." }],
    docs: [{ title: "Docs", url: "https://docs.docker.com/build/" }],
    examples: { match: [{ log: "boom a" }, { log: "boom b" }, { log: "boom c" }], nearMiss: [{ log: "bang" }, { log: "bust" }] },
    ...overrides,
  };
}

export function loaded(data: Record<string, unknown>): LoadedRule {
  return { rule: ruleSchema.parse(data), file: `rules/${String(data.id)}.yaml`, builtin: true };
}

export function engineOf(...rules: Record<string, unknown>[]): RuleEngine {
  return new RuleEngine(rules.map(loaded));
}

/** Writes rule objects (or raw YAML strings) into a fresh directory, one file each. */
export function ruleDir(files: Record<string, Record<string, unknown> | string>): string {
  const dir = mkdtempSync(join(tmpdir(), "bxf-rules-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === "string" ? content : stringify(content));
  return dir;
}
