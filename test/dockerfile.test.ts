// The container image, checked without Docker (none on the test machines, and a build would
// pull from Docker Hub): the Dockerfile read by a real Dockerfile parser (dockerfile-ast) —
// stages, a small non-root final stage, the /readyz health check, the README's start command —
// plus .dockerignore and compose.yaml.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ROOT } from "./helpers/cli.js";

const read = (f: string) => readFileSync(join(ROOT, f), "utf8");
const dockerfile = DockerfileParser.parse(read("Dockerfile"));
const stages = dockerfile.getFROMs();
/** The build stage a FROM starts. */
const stageOf = (from: (typeof stages)[number]) => dockerfile.getContainingImage(from.getRange().start)!;
const finalStage = stageOf(stages.at(-1)!);
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
/** The JSON array of an exec-form instruction (CMD ["node", ...]). */
const execForm = (i: Instruction) => JSON.parse(i.getRawArgumentsContent()!.replace(/^CMD\s+/, "")) as string[];
const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string>; files: string[] };
const readme = read("README.md");

describe("Dockerfile", () => {
  it("is multi-stage, every stage named, the build stage on the build platform", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) expect(from.getBuildStage()).toMatch(/^[a-z-]+$/);
    const build = stages.find((f) => f.getBuildStage() === "build")!;
    expect(build.getPlatformFlag()?.getValue()).toBe("$BUILDPLATFORM");
    const names = new Set(stages.map((f) => f.getBuildStage()));
    for (const copy of dockerfile.getCOPYs()) {
      const from = copy.getFromFlag()?.getValue();
      if (from) expect(names.has(from)).toBe(true);
    }
  });

  it("ends in a small Node 20 image (slim or alpine) without compilers or dev dependencies", () => {
    const base = finalStage.getFROM();
    expect(base.getImageName()).toBe("node");
    const tag = base.getImageTag()!.replace("${NODE_VERSION}", dockerfile.getInitialARGs().find((a) => a.getProperty()?.getName() === "NODE_VERSION")!.getProperty()!.getValue()!);
    expect(tag).toMatch(/^20(\.\d+)*-(slim|alpine)/);
    const runs = finalStage.getInstructions().filter((i) => i.getKeyword() === "RUN");
    expect(runs).toEqual([]);
    const deps = stages.find((f) => f.getBuildStage() === "deps")!;
    const depsRun = stageOf(deps).getInstructions().filter((i) => i.getKeyword() === "RUN").map((i) => i.getRawArgumentsContent());
    expect(depsRun.join(" ")).toContain("--omit=dev");
  });

  it("runs as the unprivileged node user, after everything is copied", () => {
    const ins = finalStage.getInstructions();
    const user = ins.filter((i) => i.getKeyword() === "USER");
    expect(user).toHaveLength(1);
    expect(args(user[0]!)[0]).not.toMatch(/^(root|0)(:|$)/);
    const lastCopy = ins.map((i) => i.getKeyword()).lastIndexOf("COPY");
    expect(ins.indexOf(user[0]!)).toBeGreaterThan(lastCopy);
  });

  it("copies what the npm package ships (bin, rules, built code, rule pack, console assets) into the final stage", () => {
    const copies = finalStage.getCOPYs().map((c) => args(c));
    const sources = copies.flatMap((a) => a.slice(0, -1)).map((p) => p.replace(/\/$/, ""));
    for (const f of pkg.files.filter((f) => !f.startsWith("!") && f !== ".env.example").map((f) => f.replace(/\/$/, ""))) {
      expect(sources.some((src) => src === f || src.endsWith(`/${f}`)), f).toBe(true);
    }
    expect(sources).toContain("package.json");
    expect(sources.some((src) => src.endsWith("/node_modules"))).toBe(true);
  });

  it("checks health on /readyz", () => {
    const checks = finalStage.getHEALTHCHECKs();
    expect(checks).toHaveLength(1);
    expect(checks[0]!.getRawArgumentsContent()).toContain("/readyz");
    expect(checks[0]!.getSubcommand()?.getValue()).toBe("CMD");
  });

  it("starts the bot with the README's start command (npm start's script, without npm)", () => {
    expect(finalStage.getENTRYPOINTs()).toEqual([]);
    const cmds = finalStage.getCMDs();
    expect(cmds).toHaveLength(1);
    const cmd = execForm(cmds[0]!).join(" ");
    expect(cmd).toBe(pkg.scripts.start);
    expect(readme).toContain(`\`npm start\` (\`${pkg.scripts.start}\``);
  });

  it("the README builds it for amd64 and arm64 with buildx, as the rules advise", () => {
    expect(readme).toMatch(/docker buildx build --platform linux\/amd64,linux\/arm64 -t \S+ --push \./);
  });
});

describe(".dockerignore", () => {
  const lines = read(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  it("keeps secrets, local state and build output out of the context", () => {
    for (const p of [".env", ".git", "node_modules", "dist", "test"]) expect(lines).toContain(p);
  });

  it("lets through every path the Dockerfile copies from the context", () => {
    const fromContext = dockerfile.getCOPYs().filter((c) => !c.getFromFlag()).flatMap((c) => args(c).slice(0, -1));
    for (const src of fromContext) expect(lines).not.toContain(src.replace(/^\.\//, ""));
  });
});

describe("compose.yaml", () => {
  const compose = parseYaml(read("compose.yaml")) as { services: Record<string, { build?: string; image?: string; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown }> };
  it("runs the bot from this Dockerfile with a healthy Redis as its store", () => {
    const bot = compose.services.bot!;
    expect(bot.build).toBe(".");
    const redisService = Object.entries(compose.services).find(([, s]) => s.image?.startsWith("redis:"));
    expect(redisService).toBeDefined();
    const [name, redis] = redisService!;
    expect(bot.environment?.KEYV_URL).toBe(`redis://${name}:6379`);
    expect(bot.depends_on?.[name]?.condition).toBe("service_healthy");
    expect(redis.healthcheck).toBeDefined();
  });
});
