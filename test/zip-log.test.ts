// GitHub Actions' "Download log archive" (.zip) as a log: in the CLI (a file and stdin) and
// through the CI webhook's logUrl; the failed job's log is the one diagnosed; a zip that would
// unpack over the size cap is refused before it is inflated.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logFromZip } from "../src/input/zip-log.js";
import { CI_SECRET, type CiBot, signedPost, startCiBot } from "./helpers/ci-harness.js";
import { runBin } from "./helpers/cli.js";
import { BOT_TOKEN, FakeSlack } from "./helpers/fake-slack.js";
import { LOAD_LOG, LOAD_RULE } from "./helpers/slack-payloads.js";

const stamp = (log: string) => log.split("\n").map((l) => `2026-11-27T10:00:00.0000000Z ${l}`).join("\n");
/** A run's archive as GitHub lays it out: whole job logs plus a folder of step logs per job. */
const archive = () =>
  Buffer.from(
    zipSync({
      "1_lint.txt": strToU8(stamp("npm run lint\nall good")),
      "2_build (linux-arm64).txt": strToU8(stamp(`${LOAD_LOG}\n##[error]Process completed with exit code 1.`)),
      "lint/1_Run lint.txt": strToU8("all good\n"),
      "build (linux-arm64)/3_Build and push.txt": strToU8(`${LOAD_LOG}\n`),
    }),
  );

describe("log archive (.zip) in the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "buildx-fix-zip-"));

  it("diagnoses the failed job's log from a .zip file and from stdin", async () => {
    const file = join(dir, "logs_123.zip");
    writeFileSync(file, archive());
    for (const r of [await runBin(["diagnose", file, "--json"]), await runBin(["diagnose", "-", "--json"], { input: archive() })]) {
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { diagnoses: Array<{ ruleId: string; evidence: Array<{ text: string }> }> };
      expect(out.diagnoses[0]!.ruleId).toBe(LOAD_RULE);
    }
  });

  it("keeps only the jobs with a failed step when some have one, in the archive's order", () => {
    const text = logFromZip(archive(), 1024 * 1024);
    expect(text).toContain("exporting manifest lists");
    expect(text).not.toContain("npm run lint");
  });

  it("refuses an archive that would unpack over MAX_LOG_BYTES (before inflating it), and a broken one", async () => {
    const big = Buffer.from(zipSync({ "1_build.txt": new Uint8Array(200_000).fill(0x61) }));
    expect(big.length).toBeLessThan(5_000);
    const file = join(dir, "big.zip");
    writeFileSync(file, big);
    const r = await runBin(["diagnose", file], { env: { MAX_LOG_BYTES: "100000" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the .* limit/);
    const broken = join(dir, "broken.zip");
    writeFileSync(broken, Buffer.concat([archive().subarray(0, 40), Buffer.alloc(20)]));
    const b = await runBin(["diagnose", broken]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/zip archive but cannot be read/);
  });
});

describe("log archive (.zip) through POST /ci/alert's logUrl", () => {
  let slack: FakeSlack;
  let bot: CiBot;
  let files: Server;
  let url = "";
  beforeAll(async () => {
    slack = await FakeSlack.start();
    bot = await startCiBot({ CI_WEBHOOK_SECRET: CI_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, CI_ALERT_SLACK_CHANNEL: "CZIPLOGS", CI_LOG_HOSTS: "127.0.0.1" });
    files = createServer((_req, res) => res.writeHead(200, { "content-type": "application/zip" }).end(archive()));
    await new Promise<void>((r) => files.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/logs_123.zip`;
  });
  afterAll(async () => {
    await bot?.stop();
    files?.close();
    await slack?.close();
  });

  it("fetches the archive and alerts the failed job's diagnosis", async () => {
    const res = await signedPost(`${bot.url}/ci/alert`, { repo: "acme/zip", logUrl: url });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { ruleId: string }).ruleId).toBe(LOAD_RULE);
  });
});
