// A cut-off or damaged `.gz` log (an interrupted download, a partial artifact) is unreadable
// input like any other: the built `buildx-fix diagnose` exits 2 with one line, no stack trace.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runBin } from "./helpers/cli.js";

const LOG = `${"#7 12.3 RUN apt-get update\n".repeat(200)}ERROR: docker exporter does not currently support exporting manifest lists\n`;

describe("buildx-fix diagnose on a broken gzip", () => {
  const whole = gzipSync(LOG);
  const cases: Array<[string, Buffer]> = [
    ["truncated", whole.subarray(0, Math.floor(whole.length / 2))],
    ["corrupt body", Buffer.concat([whole.subarray(0, 10), Buffer.alloc(64, 0xff)])],
  ];
  for (const [what, bytes] of cases) {
    it(`${what}: exit 2 and one line, from a file and from stdin`, async () => {
      const file = join(mkdtempSync(join(tmpdir(), "bxf-gz-")), "build.log.gz");
      writeFileSync(file, bytes);
      for (const r of [await runBin(["diagnose", file]), await runBin(["diagnose", "-"], { input: bytes })]) {
        expect(r.code).toBe(2);
        const lines = r.stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^buildx-fix: the gzip data is truncated or corrupt/);
        expect(r.stderr).not.toMatch(/\s+at /);
      }
    });
  }
});
