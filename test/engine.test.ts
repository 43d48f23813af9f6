import { describe, expect, it } from "vitest";
import { KeywordScanner } from "../src/engine/scan.js";
import { engineOf, ruleData } from "./helpers/rules.js";

const DOCKER = "#1 [internal] load build definition from Dockerfile\n";

describe("matching", () => {
  it("tries a rule's patterns only on lines holding one of its keywords", () => {
    const engine = engineOf(ruleData("kw", { match: { keywords: ["exploded"], any: ["boom"] } }));
    expect(engine.diagnose(`${DOCKER}boom`).diagnoses).toHaveLength(0);
    expect(engine.diagnose(`${DOCKER}it exploded: boom`).diagnoses.map((d) => d.ruleId)).toEqual(["kw"]);
  });

  it("keywords and patterns ignore case unless the rule says otherwise", () => {
    const engine = engineOf(ruleData("ci"), ruleData("cs", { match: { keywords: ["BOOM"], any: ["BOOM"], caseSensitive: true } }));
    expect(engine.diagnose(`${DOCKER}BoOm x`).diagnoses.map((d) => d.ruleId)).toEqual(["ci"]);
  });

  it("finds keywords that overlap or contain one another on one line", () => {
    const scanner = new KeywordScanner(["exec format error", "format", "error", "rror: exec"]);
    const [line] = scanner.scan("x\nerror: exec format error\ny");
    expect([...line!.keywords].sort()).toEqual(["error", "exec format error", "format", "rror: exec"]);
  });

  it("checks near / notNear within the stated number of lines", () => {
    const engine = engineOf(
      ruleData("near", { match: { keywords: ["boom"], any: ["boom"], near: [{ pattern: "^RUN make", within: 2 }] } }),
      ruleData("notnear", { match: { keywords: ["boom"], any: ["boom"], notNear: [{ pattern: "harmless", within: 1 }] } }),
    );
    expect(engine.diagnose(`${DOCKER}RUN make\nx\nboom`).diagnoses.map((d) => d.ruleId).sort()).toEqual(["near", "notnear"]);
    expect(engine.diagnose(`${DOCKER}RUN make\nx\ny\nboom`).diagnoses.map((d) => d.ruleId)).toEqual(["notnear"]);
    expect(engine.diagnose(`${DOCKER}boom\nharmless`).diagnoses.map((d) => d.ruleId)).toEqual([]);
    expect(engine.diagnose(`${DOCKER}boom\nx\nharmless`).diagnoses.map((d) => d.ruleId)).toEqual(["notnear"]);
  });

  it("checks notInRun only within the evidence's own run, from one docker command to the next", () => {
    const engine = engineOf(ruleData("warn", { match: { keywords: ["boom"], any: ["boom"], notInRun: ["^ERROR: "] } }));
    expect(engine.diagnose("$ docker build .\nboom\nx\nERROR: failed").diagnoses).toHaveLength(0);
    expect(engine.diagnose("$ docker build .\nboom\n$ docker build -t b .\nERROR: failed").diagnoses.map((d) => d.ruleId)).toEqual(["warn"]);
    expect(engine.diagnose("boom\n#5 ERROR: failed").diagnoses).toHaveLength(0);
  });

  it("a sentence that names docker opens no new run (BuildKit's `... into docker use --load`)", () => {
    const engine = engineOf(ruleData("warn", { match: { keywords: ["boom"], any: ["boom"], notInRun: ["^=> ERROR \\["] } }));
    const log = "$ docker buildx build .\n => ERROR [internal] load metadata for x 30.0s\nboom: to load image into docker use --load";
    expect(engine.diagnose(log).diagnoses).toHaveLength(0);
    expect(engine.diagnose(`${log}\n$ docker buildx build -t b .\nboom`).diagnoses.map((d) => d.ruleId)).toEqual(["warn"]);
  });

  it("fills each fix from the docker command nearest above its evidence", () => {
    const engine = engineOf(ruleData("r"));
    const r = engine.diagnose("$ docker build -t first/app:1 .\nok\n**docker buildx build -t second/app:2 .**\nboom x");
    expect(r.diagnoses[0]!.facts.image).toBe("second/app:2");
  });

  it("shows the failing step's own first error lines as evidence when the rule asks", () => {
    const engine = engineOf(ruleData("step", { match: { keywords: ["did not complete"], any: ["did not complete"], showStepErrors: true } }));
    const log = [
      "#7 [3/4] RUN make",
      "#8 [2/4] RUN echo error elsewhere",
      "#9 [4/4] RUN make all",
      "#9 0.10 cc -c main.c",
      "#9 0.20 main.c:3:1: error: unknown type name 'strng'",
      "#9 0.21 make: *** [main.o] Error 1",
      '#9 ERROR: process "/bin/sh -c make all" did not complete successfully: exit code: 2',
    ].join("\n");
    const d = engine.diagnose(log).diagnoses[0]!;
    expect(d.evidence.map((e) => e.line)).toEqual([5, 6, 7]);
    expect(d.evidence[0]!.text).toBe("main.c:3:1: error: unknown type name 'strng'");
  });

  it("honours when / whenNot conditions", () => {
    const engine = engineOf(
      ruleData("cross", { match: { keywords: ["boom"], any: ["boom"], when: ["cross-platform"] } }),
      ruleData("native", { match: { keywords: ["boom"], any: ["boom"], whenNot: ["cross-platform"] } }),
    );
    expect(engine.diagnose(`docker buildx build --platform linux/amd64,linux/arm64 .\nboom`).diagnoses.map((d) => d.ruleId)).toEqual(["cross"]);
    expect(engine.diagnose(`docker buildx build .\nboom`).diagnoses.map((d) => d.ruleId)).toEqual(["native"]);
  });

  it("lets a rule stand down when a rule it defers to matched, whatever the file order", () => {
    const a = ruleData("generic", { priority: 5, match: { keywords: ["boom"], any: ["boom"], unless: ["specific"] } });
    const b = ruleData("specific", { match: { keywords: ["boom"], any: ["boom big"] } });
    for (const engine of [engineOf(a, b), engineOf(b, a)]) {
      expect(engine.diagnose(`${DOCKER}boom big`).diagnoses.map((d) => d.ruleId)).toEqual(["specific"]);
      expect(engine.diagnose(`${DOCKER}boom small`).diagnoses.map((d) => d.ruleId)).toEqual(["generic"]);
    }
  });

  it("picks the first matching variant and its own advice", () => {
    const engine = engineOf(
      ruleData("v", {
        match: undefined,
        variants: [
          { name: "one", match: { keywords: ["header"], any: ['header key "one"'] }, summary: { en: "first {{image}}", zh: "一" } },
          { name: "two", match: { keywords: ["header"], any: ["header key"] }, summary: { en: "second", zh: "二" } },
        ],
      }),
    );
    const one = engine.diagnose(`${DOCKER}header key "one" bad`, { lang: "en" }).diagnoses[0]!;
    expect([one.variant, one.summary]).toEqual(["one", "first <image>"]);
    const two = engine.diagnose(`${DOCKER}header key "two" bad`, { lang: "zh" }).diagnoses[0]!;
    expect([two.variant, two.summary, two.facts.variant]).toEqual(["two", "二", "two"]);
  });
});

describe("ranking", () => {
  it("orders by confidence, then specificity, then the earlier evidence, and reports every cause", () => {
    const engine = engineOf(
      ruleData("low-specific", { confidence: "low", priority: 99, match: { keywords: ["boom"], any: ["boom"] } }),
      ruleData("high-generic", { priority: 10, match: { keywords: ["bang"], any: ["bang"] } }),
      ruleData("high-specific", { priority: 80, match: { keywords: ["crash"], any: ["crash"] } }),
      ruleData("high-specific-later", { priority: 80, match: { keywords: ["later"], any: ["later"] } }),
    );
    const ids = engine.diagnose(`${DOCKER}later\nboom\nbang\ncrash`).diagnoses.map((d) => d.ruleId);
    expect(ids).toEqual(["high-specific-later", "high-specific", "high-generic", "low-specific"]);
  });

  it("is never confident about text that is not Docker output", () => {
    const engine = engineOf(ruleData("r"));
    const [d] = engine.diagnose("FAIL src/app.test.ts > boom thing\nExpected 1, received 2").diagnoses;
    expect(d?.confidence).toBe("low");
  });
});

describe("facts and templates", () => {
  it("fills fix commands with the user's image and platforms; named groups win over log-wide facts", () => {
    const engine = engineOf(ruleData("r"));
    const d = engine.diagnose("$ docker buildx build --platform linux/arm64 -t ghcr.io/acme/api:1.2 --push .\n#5 boom widget").diagnoses[0]!;
    expect(d.facts).toMatchObject({ image: "ghcr.io/acme/api:1.2", registry: "ghcr.io", platforms: "linux/arm64", targetPlatform: "linux/arm64", thing: "widget", context: "." });
    expect(d.fix[0]!.command).toBe("docker buildx build -t ghcr.io/acme/api:1.2 --platform linux/arm64 .");
  });

  it("shows a registry's own fix step only for that registry, or when the registry is unknown", () => {
    const ecr = { description: { en: "ECR login", zh: "ECR 登录" }, command: "aws ecr get-login-password | docker login --username AWS --password-stdin {{registry}}", whenFact: { registry: ["amazonaws.com"] } };
    const engine = engineOf(ruleData("r", { fix: [ruleData("x").fix, ecr].flat() }));
    const steps = (log: string) => engine.diagnose(log).diagnoses[0]!.fix.map((f) => f.description);
    expect(steps("$ docker buildx build -t quay.io/acme/api:1 .\n#5 boom widget")).toEqual(["Do it"]);
    expect(steps("$ docker buildx build -t 1234.dkr.ecr.eu-west-1.AmazonAWS.com/api:1 .\n#5 boom widget")).toEqual(["Do it", "ECR login"]);
    expect(steps(`${DOCKER}boom x`)).toEqual(["Do it", "ECR login"]);
  });

  it("knows where a log was printed, and shows a CI service's own step only there or when it cannot tell", () => {
    const gha = { description: { en: "GHA step", zh: "GHA 步骤" }, command: "uses: docker/setup-qemu-action@v3", whenFact: { origin: ["github-actions"] } };
    const gitlab = { description: { en: "GitLab step", zh: "GitLab 步骤" }, command: "services: [docker:dind]", whenFact: { origin: ["gitlab-ci"] } };
    const engine = engineOf(ruleData("r", { fix: [ruleData("x").fix, gha, gitlab].flat() }));
    const answer = (log: string) => engine.diagnose(log).diagnoses[0]!;
    const steps = (log: string) => answer(log).fix.map((f) => f.description);
    // A one-line paste could come from anywhere: every step.
    expect(steps(`${DOCKER}boom x`)).toEqual(["Do it", "GHA step", "GitLab step"]);
    const cases: Array<[string, string, string[]]> = [
      ["2024-01-01T00:00:00.0000000Z ##[group]Run docker/build-push-action@v5\n2024-01-01T00:00:01.0000000Z #9 boom x", "github-actions", ["Do it", "GHA step"]],
      ["Running with gitlab-runner 16.5.0 (853330f9)\n$ docker build -t app .\n#9 boom x\nERROR: Job failed: exit code 1", "gitlab-ci", ["Do it", "GitLab step"]],
      ["[Pipeline] sh\n+ docker build -t app .\n#9 boom x\nFinished: FAILURE", "jenkins", ["Do it"]],
      ["##[section]Starting: Build image\n#9 boom x", "azure-pipelines", ["Do it"]],
      // Azure writes GitHub's `##[error]` and ISO timestamps too: its own banner decides.
      ["2024-01-01T00:00:00.0000000Z ##[section]Starting: Build image\n2024-01-01T00:00:01.0000000Z #9 boom x\n2024-01-01T00:00:02.0000000Z ##[error]The process '/usr/bin/docker' failed with exit code 1", "azure-pipelines", ["Do it"]],
      ["2024-05-02T10:00:00.123456Z 00O Running with gitlab-runner 17.0.0 (44feccdf)\n2024-05-02T10:00:05.123456Z 01O #9 boom x\n2024-05-02T10:00:06.123456Z 01O ERROR: Job failed: exit code 1", "gitlab-ci", ["Do it", "GitLab step"]],
      ["[+] Building 3.1s (7/9) docker:desktop-linux\n => ERROR [3/5] RUN make\n#9 boom x", "terminal", ["Do it"]],
      ["dev@laptop:~/src/app$ docker build -t app .\n#9 boom x", "terminal", ["Do it"]],
      ["PS C:\\Users\\dev\\app> docker build -t app .\n#9 boom x", "terminal", ["Do it"]],
      // a prompt right under a line as wide as a terminal (the paste repair may join them)
      [`${"see the log below ".repeat(5)}and more w\ndev@laptop:~/src/app$ docker build -t app .\n#9 boom x`, "terminal", ["Do it"]],
      ["PS C:\\src> docker-compose build\n#9 boom x", "terminal", ["Do it"]],
    ];
    for (const [log, origin, expected] of cases) {
      expect(answer(log).facts.origin, log).toBe(origin);
      expect(steps(log), log).toEqual(expected);
    }
    // GitLab echoes each script line behind `$ `, as a terminal prompt would not without user@host.
    expect(answer("$ docker build -t app .\n#9 boom x").facts.origin).toBeUndefined();
  });

  it("shows an obvious placeholder when a fact is missing", () => {
    const d = engineOf(ruleData("r")).diagnose(`${DOCKER}boom x`).diagnoses[0]!;
    expect(d.fix[0]!.command).toBe("docker buildx build -t <image> --platform linux/amd64 .");
  });

  it("reads GitHub Actions inputs and knows hosted runners are amd64", () => {
    const log = [
      "2024-01-01T00:00:00.0000000Z ##[group]Run docker/build-push-action@v5",
      "2024-01-01T00:00:00.0000000Z with:",
      "2024-01-01T00:00:00.0000000Z   platforms: linux/amd64,linux/arm64",
      "2024-01-01T00:00:00.0000000Z   tags: acme/web:latest",
      "2024-01-01T00:00:01.0000000Z #9 boom x",
    ].join("\n");
    const d = engineOf(ruleData("r")).diagnose(log).diagnoses[0]!;
    expect(d.facts).toMatchObject({ image: "acme/web:latest", platforms: "linux/amd64,linux/arm64", hostPlatform: "linux/amd64", targetPlatform: "linux/arm64" });
  });

  it("finds the failing RUN command, exit code, base image and builder", () => {
    const log = [
      "#0 building with \"multiarch\" instance using docker-container driver",
      "#4 [internal] load metadata for docker.io/library/node:20-alpine",
      '#9 boom x',
      'ERROR: failed to solve: process "/bin/sh -c npm ci --omit=dev" did not complete successfully: exit code: 127',
    ].join("\n");
    const d = engineOf(ruleData("r")).diagnose(log).diagnoses[0]!;
    expect(d.facts).toMatchObject({ builder: "multiarch", driver: "docker-container", baseImage: "node:20-alpine", command: "npm ci --omit=dev", exitCode: "127" });
  });

  it("takes the image and its registry from `docker run`'s pull notice when the error names neither", () => {
    const log = "Unable to find image 'quay.io/biocontainers/tool:0.1.0--py_0' locally\ndocker: Error response from daemon: boom x";
    const d = engineOf(ruleData("r")).diagnose(log).diagnoses[0]!;
    expect(d.facts).toMatchObject({ image: "quay.io/biocontainers/tool:0.1.0--py_0", registry: "quay.io" });
  });

  it("takes the image of a pull that did not finish, and of a failed push, over one pulled fine", () => {
    const engine = engineOf(ruleData("r"));
    const pulls = "latest: Pulling from library/redis\nStatus: Downloaded newer image for redis:latest\n2.0: Pulling from acme/web\nboom x";
    expect(engine.diagnose(pulls).diagnoses[0]!.facts).toMatchObject({ image: "acme/web:2.0", registry: "docker.io" });
    const push = "#12 ERROR: failed to push ghcr.io/acme/api:1.0: unexpected status: 403 Forbidden\nboom x";
    expect(engine.diagnose(push).diagnoses[0]!.facts).toMatchObject({ image: "ghcr.io/acme/api:1.0", registry: "ghcr.io" });
  });

  it("reads a workspace runner's prefix before BuildKit's own lines only", () => {
    const engine = engineOf(ruleData("r", { match: { keywords: ["boom"], any: ["boom"], context: ["run-step"] } }));
    expect(engine.diagnose("apps/ws docker:build: #24 51.01 boom").diagnoses.map((d) => d.ruleId)).toEqual(["r"]);
    expect(engine.diagnose("api:test: #12 boom").diagnoses).toEqual([]);
  });

  it("reads a log viewer's line numbers before BuildKit's own lines only", () => {
    const engine = engineOf(ruleData("r", { match: { keywords: ["boom"], any: ["boom"], context: ["run-step"] } }));
    expect(engine.diagnose("7387 #21 [build 4/6] RUN yarn install\n7388 #21 24.79 boom").diagnoses.map((d) => d.ruleId)).toEqual(["r"]);
    // (a number that is not followed by BuildKit's shape stays: `404 #1 boom` is no step)
    expect(engine.diagnose("404 #1 boom").diagnoses).toEqual([]);
  });

  it("numbers evidence lines as the user sees them, through CRLF and colours", () => {
    const d = engineOf(ruleData("r")).diagnose(`${DOCKER.trim()}\r\n\x1b[32mok\x1b[0m\r\n\r\n\x1b[31mboom x\x1b[0m\r\n`).diagnoses[0]!;
    expect(d.evidence).toEqual([{ line: 4, text: "boom x" }]);
  });

  it("masks secrets in evidence and facts", () => {
    const d = engineOf(ruleData("r", { match: { keywords: ["boom"], any: ["boom"] } })).diagnose(
      `${DOCKER}boom Authorization: Bearer abcdef123456 token=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
    ).diagnoses[0]!;
    expect(d.evidence[0]!.text).not.toMatch(/abcdef123456|ghp_a/);
  });

  it("fills a fact named in the title, as in the summary", () => {
    const d = engineOf(ruleData("r", { title: { en: "Boom on {{thing}}", zh: "{{thing}} 出错" } })).diagnose(`${DOCKER}boom widget`).diagnoses[0]!;
    expect(d.title).toBe("Boom on widget");
  });

  it("answers in Chinese when the paste around the log is Chinese", () => {
    const r = engineOf(ruleData("r")).diagnose(`${DOCKER}打包的时候报错了，请帮忙看看\nboom x`);
    expect(r.lang).toBe("zh");
    expect(r.diagnoses[0]!.title).toBe("r 的标题");
  });
});

describe("a classic verdict closes the step whose output it follows", () => {
  // A paste that starts inside a RUN step's output, below its `Step N/M : RUN` header.
  const inRun = ruleData("in-run", { match: { keywords: ["boom"], any: ["boom"], context: ["run-step"] } });
  const generic = ruleData("generic", { match: { keywords: ["bang"], any: ["bang"] } });
  const filler = Array.from({ length: 30 }, (_, i) => `compiling unit ${i}`).join("\n");
  const verdict = "The command '/bin/sh -c make' returned a non-zero code: 2";

  it("reads the lines above the verdict as the RUN step's output, however far", () => {
    const engine = engineOf(inRun, generic);
    const got = engine.diagnose(`boom\nbang\n${filler}\n${verdict}`).diagnoses;
    expect(got.map((d) => [d.ruleId, d.confidence]).sort()).toEqual([
      ["generic", "high"],
      ["in-run", "high"],
    ]);
  });

  it("also when the paste stops inside the verdict's quoted command, behind Compose's prefix", () => {
    const engine = engineOf(inRun);
    expect(engine.diagnose(`boom\n${filler}\nERROR: Service 'web' failed to build: The command '/bin/`).diagnoses.map((d) => d.ruleId)).toEqual(["in-run"]);
  });

  it("not across another docker command: what `docker exec` printed is not the build's", () => {
    const engine = engineOf(inRun);
    expect(engine.diagnose(`$ docker exec web ./entrypoint.sh\nboom\n$ docker build -t web .\n${verdict}`).diagnoses).toEqual([]);
    expect(engine.diagnose(`$ docker build -t web .\nboom\n${verdict}`).diagnoses.map((d) => d.ruleId)).toEqual(["in-run"]);
  });

  it("not across another step's header, and not without a verdict", () => {
    const engine = engineOf(inRun, generic);
    expect(engine.diagnose(`boom\nbang\n${filler}\nStep 4/5 : RUN make\n${verdict}`).diagnoses.map((d) => [d.ruleId, d.confidence])).toEqual([["generic", "low"]]);
    expect(engine.diagnose(`boom\nbang\n${filler}\nmake: *** [all] Error 2`).diagnoses.map((d) => [d.ruleId, d.confidence])).toEqual([["generic", "low"]]);
  });
});

describe("robustness", () => {
  it("does not stall on a very long line or many candidate lines", () => {
    // Quadratic on an unbounded line; the line cap keeps each attempt small.
    const engine = engineOf(ruleData("r", { match: { keywords: ["boom"], any: ["boom [a-z]*[a-z]*\\d end"] } }));
    const r = engine.diagnose(`${DOCKER}${`boom ${"a".repeat(200_000)}\n`.repeat(5)}`);
    expect(r.diagnoses).toHaveLength(0);
  });
});
