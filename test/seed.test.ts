// The field notes this project grew from (../shared/seed): every error in them must get the
// right cause at once, with the user's own image, platforms and builder in the fix.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinEngine } from "./helpers/engine.js";
import { buryInNoise } from "./helpers/noise.js";

const diagnose = (log: string) => builtinEngine().diagnose(log, { lang: "auto" });

describe("seed field notes", () => {
  it("arm64 image run on the amd64 box: platform-mismatch, rebuilt for linux/amd64 with the user's image", () => {
    const r = diagnose(`pg-docker run -p 5000:5500 registry.lazycat.cloud/u04123229/you/doudizhu-scorer:d1d9085174c0bf8c
WARNING: The requested image's platform (linux/arm64/v8) does not match the detected host platform (linux/amd64/v4) and no specific platform was requested`);
    const top = r.diagnoses[0]!;
    expect(top.ruleId).toBe("platform-mismatch");
    expect(top.confidence).toBe("high");
    expect(top.facts.image).toBe("registry.lazycat.cloud/u04123229/you/doudizhu-scorer:d1d9085174c0bf8c");
    expect(top.facts.hostPlatform).toBe("linux/amd64");
    const commands = top.fix.map((f) => f.command).join("\n");
    expect(commands).toContain("--platform linux/amd64");
    expect(commands).toContain("registry.lazycat.cloud/u04123229/you/doudizhu-scorer");
    expect(commands).not.toContain("your_image_name");
    expect(top.evidence[0]!.line).toBe(2);
  });

  it("the OCR-mangled session-name header error: non-ASCII directory, not the network", () => {
    const r = diagnose(
      'characters ERROR: failed to dial qRPC: rpc error:code = Internal desc = rpc error: code = Internal desC = header key "x-docker-expoSe-session-name" contains value with non-printable ASCI #2793',
    );
    const top = r.diagnoses[0]!;
    expect(top.ruleId).toBe("non-ascii-context-path");
    expect(top.variant).toBe("session-name");
    expect(top.confidence).toBe("high");
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("network-failure");
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("buildkit-connection-lost");
  });

  it("docker-container driver without --load/--push: the fix keeps the user's platform and tag", () => {
    const r = diagnose(`docker buildx build --platform linux/amd64 -t your_image_name .
WARNING: No output specified with docker-container driver. Build result will only remain in the build cache. To push result image into registry use --push or to load image into docker use --load`);
    const top = r.diagnoses[0]!;
    expect(top.ruleId).toBe("no-output-docker-container-driver");
    const commands = top.fix.map((f) => f.command).join("\n");
    expect(commands).toMatch(/--platform linux\/amd64 -t your_image_name .*--load|--load.*-t your_image_name/);
    expect(commands).toContain("--push");
  });

  it("--load with two platforms: load-manifest-list-unsupported with the builder and platforms found", () => {
    const r = diagnose(`docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest . --load
[+] Building 0.0s (0/0) docker-container:stoic_hellman
ERROR: docker exporter does not currently support exporting manifest lists`);
    const top = r.diagnoses[0]!;
    expect(top.ruleId).toBe("load-manifest-list-unsupported");
    expect(top.facts).toMatchObject({ image: "cloudsmithy/shuangpin:latest", platforms: "linux/amd64,linux/arm64", builder: "stoic_hellman", driver: "docker-container" });
    expect(top.fix.map((f) => f.command).join("\n")).toContain("cloudsmithy/shuangpin:latest");
  });

  it("registry.lazycat.cloud outside the box: the LazyCat way, not a generic docker login", () => {
    const r = diagnose(`docker run -p 5000:5500 registry.lazycat.cloud/u04123229/you/doudizhu-scorer:d1d9085174c0bf8c
Unable to find image 'registry.lazycat.cloud/u04123229/you/doudizhu-scorer:d1d9085174c0bf8c' locally
docker: Error response from daemon: Head "https://registry.lazycat.cloud/v2/u04123229/you/doudizhu-scorer/manifests/d1d9085174c0bf8c": no basic auth credentials.`);
    const top = r.diagnoses[0]!;
    expect(top.ruleId).toBe("lazycat-registry-auth");
    const commands = top.fix.map((f) => f.command).join("\n");
    expect(commands).toMatch(/lzc-cli|pg-docker/);
    expect(commands).not.toMatch(/^docker login registry\.lazycat\.cloud/m);
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("registry-auth-missing");
  });

  const seedDir = join(import.meta.dirname, "..", "..", "shared", "seed");
  it.runIf(existsSync(seedDir))("the whole field-notes post, pasted as is: every error found, answered in Chinese", () => {
    for (const f of readdirSync(seedDir)) {
      const r = diagnose(readFileSync(join(seedDir, f), "utf8"));
      expect(r.lang).toBe("zh");
      const ids = r.diagnoses.map((d) => d.ruleId);
      for (const id of ["platform-mismatch", "non-ascii-context-path", "no-output-docker-container-driver", "load-manifest-list-unsupported", "lazycat-registry-auth"]) {
        expect(ids).toContain(id);
      }
      expect(ids).not.toContain("registry-auth-missing");
    }
  });

  it.runIf(existsSync(seedDir))("finds the same errors, as confidently, when the post is buried in build chatter", () => {
    for (const f of readdirSync(seedDir)) {
      const post = readFileSync(join(seedDir, f), "utf8");
      const plain = diagnose(post).diagnoses.map((d) => `${d.ruleId} ${d.confidence}`);
      const buried = diagnose(buryInNoise(post, 3)).diagnoses.map((d) => `${d.ruleId} ${d.confidence}`);
      expect(buried).toEqual(plain);
    }
  });
});
