// Facts the fix commands are filled with, and the log-level conditions rules may ask for.
// Each probe declares the keywords that make a line worth its look, so probes ride on the
// same single keyword scan as the rules.
import type { Condition } from "../rules/schema.js";
import type { Facts } from "./types.js";
import { IMAGE_TOKEN, displayImage, registryOf } from "./image-ref.js";
import { PLATFORM_LIST, normalizePlatform, samePlatform } from "./platform.js";
import { StepTracker } from "./context.js";
import { DOCKER_PROBES } from "./docker-structure.js";
import { ORIGIN_PROBES } from "./log-origin.js";
import { promptRunsDocker } from "./prompt.js";

/** Facts a docker command line (and the builder lines right after it) pins down. */
const SCOPED = ["image", "platforms", "builder", "driver", "dockerfile", "context"] as const;
type ScopedFact = (typeof SCOPED)[number];

interface Scope {
  offset: number;
  facts: Partial<Record<ScopedFact, string>>;
}

/** What the probes gather while the scan walks the log. */
export class FactState {
  readonly conditions = new Set<Condition>();
  /** Any sign that this is Docker output at all. */
  dockerLog = false;
  /** The line being visited showed Docker's own words or shapes (reset by the engine per line). */
  lineDocker = false;
  /** Step headers and the current command, for the context of each hit. */
  readonly steps = new StepTracker();
  /** Offset of the line being visited (set by the engine before each probe). */
  offset = 0;
  /** One scope per docker command seen, so a paste of several runs fills each fix from its own command. */
  private readonly scopes: Scope[] = [];
  image?: string;
  /** Images seen in error messages (pull/push targets); used when no command names one. */
  errorImage?: string;
  /** The last image a pull was started for and not seen finished: a fallback when no error names one. */
  pulledImage?: string;
  platforms?: string;
  hostPlatform?: string;
  imagePlatform?: string;
  builder?: string;
  driver?: string;
  baseImage?: string;
  command?: string;
  exitCode?: string;
  dockerfile?: string;
  context?: string;
  armRunner = false;
  /** Where the log was printed (log-origin.ts): a CI service or a terminal; first wins. */
  origin?: string;
  private base?: Facts;

  /** This line is Docker output: so is the log. */
  markDocker(): void {
    this.dockerLog = true;
    this.lineDocker = true;
  }

  /** A shell prompt ran another program after the last docker command (prompt.ts). */
  private commandEnded = false;

  /** A docker command was seen above the current line, and no prompt has run another program since. */
  get inCommand(): boolean {
    return this.scopes.length > 0 && !this.commandEnded;
  }

  /** Starts the facts of a new docker command at the current line. */
  openScope(): void {
    this.scopes.push({ offset: this.offset, facts: {} });
    this.commandEnded = false;
  }

  /** A prompt ran a program that is not Docker's: its output is the host's, not the docker command's. */
  endCommand(): void {
    this.commandEnded = true;
  }

  /** Records a command-bound fact: for the whole log (first wins) and for the current command. */
  put(key: ScopedFact, value: string | undefined): void {
    if (!value) return;
    this[key] ??= value;
    const scope = this.scopes.at(-1);
    if (scope) scope.facts[key] ??= value;
  }

  /** The run holding `offset`: from the docker command above it to the next one. */
  runBounds(offset: number, textLength: number): [number, number] {
    let start = 0;
    let end = textLength;
    for (const s of this.scopes) {
      if (s.offset <= offset) start = s.offset;
      else {
        end = s.offset;
        break;
      }
    }
    return [start, end];
  }

  /** Log-wide facts, and the conditions that follow from them. Call once, after the scan. */
  finish(): Facts {
    if (!this.hostPlatform && this.conditions.has("github-actions")) {
      // GitHub's hosted runners are amd64 unless an arm64 runner label shows up.
      this.hostPlatform = this.armRunner ? "linux/arm64" : "linux/amd64";
    }
    const raw: Partial<Record<ScopedFact, string>> = {};
    for (const k of SCOPED) if (this[k]) raw[k] = this[k];
    this.base = this.derive(raw, true);
    return this.base;
  }

  /** The facts for evidence at `offset`: the nearest docker command above it wins. */
  factsAt(offset: number): Facts {
    const base = this.base ?? this.finish();
    let scope: Scope | undefined;
    for (const s of this.scopes) if (s.offset <= offset) scope = s;
    if (!scope || Object.keys(scope.facts).length === 0) return base;
    const raw: Partial<Record<ScopedFact, string>> = {};
    for (const k of SCOPED) {
      const v = scope.facts[k] ?? this[k];
      if (v) raw[k] = v;
    }
    return this.derive(raw, false);
  }

  private derive(raw: Partial<Record<ScopedFact, string>>, addConditions: boolean): Facts {
    const facts: Facts = {};
    const image = raw.image ?? this.errorImage ?? this.pulledImage;
    if (image) {
      facts.image = image;
      facts.registry = registryOf(image);
    }
    if (this.hostPlatform) facts.hostPlatform = normalizePlatform(this.hostPlatform);
    if (raw.platforms) {
      facts.platforms = raw.platforms;
      const list = raw.platforms.split(",");
      if (addConditions && list.length > 1) this.conditions.add("cross-platform");
      const foreign = facts.hostPlatform ? list.find((p) => !samePlatform(p, facts.hostPlatform!)) : undefined;
      if (foreign) {
        facts.targetPlatform = normalizePlatform(foreign);
        if (addConditions) this.conditions.add("cross-platform");
      } else if (list.length === 1 && list[0]) {
        facts.targetPlatform = normalizePlatform(list[0]);
      }
    }
    if (this.imagePlatform) {
      facts.imagePlatform = this.imagePlatform;
      if (addConditions && facts.hostPlatform && !samePlatform(this.imagePlatform, facts.hostPlatform)) this.conditions.add("cross-platform");
    }
    for (const key of ["builder", "driver", "dockerfile", "context"] as const) {
      const v = raw[key];
      if (v) facts[key] = v;
    }
    // GitHub Actions is known from its own marks (timestamps, `##[...]`), read as a condition. Other
    // services share some of them (Azure Pipelines writes `##[error]`, GitLab 17 ISO timestamps), so
    // a CI service's own banner wins; a terminal's shape does not (GitHub's log has none of them).
    const origin = this.origin && this.origin !== "terminal" ? this.origin : this.conditions.has("github-actions") ? "github-actions" : this.origin;
    if (origin) facts.origin = origin;
    for (const key of ["baseImage", "command", "exitCode"] as const) {
      const v = this[key];
      if (v) facts[key] = v;
    }
    return facts;
  }
}

export interface Probe {
  keywords: string[];
  visit(line: string, state: FactState): void;
  /**
   * Set on idempotent probes: a visit only adds these conditions and marks the log as Docker
   * output (and, with `known`, fills a first-wins fact). Once they hold, the byte path stops
   * reporting the probe's keywords.
   */
  sets?: Condition[];
  /**
   * For an idempotent probe that fills a first-wins fact: whether that fact is known, after which
   * its visits change nothing (the byte path's shadow runs it to find out).
   */
  known?: (state: FactState) => boolean;
}

// (The probes test `!s.baseImage`: an empty one, from a cut-off line, is not known yet.)
const baseImageKnown = (state: FactState): boolean => Boolean(state.baseImage);

/** Splits a shell command line into words, honouring simple quotes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) words.push(m[1] ?? m[2] ?? m[3] ?? "");
  return words;
}

// Options of `docker build` / `docker run` that take a value, so their value is not taken
// for the context or the image.
const BUILD_VALUE_FLAGS = new Set(
  "--build-arg --cache-from --cache-to --target --secret --ssh --label --network --progress --iidfile --metadata-file --provenance --sbom --attest --annotation --add-host --build-context --shm-size --ulimit -o --output --allow --call --cgroup-parent --isolation --memory -m --cpu-shares --cpuset-cpus".split(" "),
);
const RUN_VALUE_FLAGS = new Set(
  "-p --publish -e --env -v --volume --name --network --entrypoint -w --workdir -u --user --env-file --mount -l --label --restart --memory -m --cpus --device --add-host --hostname -h --log-driver --log-opt --pull --cap-add --cap-drop --security-opt --tmpfs --ulimit --gpus --dns --platform --expose --link --ipc --pid --shm-size --stop-signal --stop-timeout --health-cmd --cidfile".split(" "),
);

function flagValue(words: string[], i: number, name: string): [string | undefined, number] {
  const w = words[i] ?? "";
  if (w.startsWith(`${name}=`)) return [w.slice(name.length + 1), i];
  return [words[i + 1], i + 1];
}

// `export DOCKER_DEFAULT_PLATFORM=linux/arm64` (after a prompt, a shell trace's `+ `, cmd's `C:\app>`), `set …`,
// PowerShell's `$env:DOCKER_DEFAULT_PLATFORM = "…"`, `unset …`, or a prefix before a docker command. (Not an
// Actions step's `env:` block, which holds for that step only, nor a Compose `environment:` entry, the container's.)
const DEFAULT_PLATFORM =
  /^(?:(?:\[[^\]\n]{1,80}\]|PS [^>\n]{1,80}|\S{0,80})[$#>] ?|\+ )?(?:(export |set )|\$env:|(unset )|(?:sudo |env )+)?DOCKER_DEFAULT_PLATFORM(?:\s*=\s*["']?([\w/,.-]*)["']?(\s*(?:$|&&|;|#)| (?:sudo )?docker(?:-compose)?\b))?/;

function setPlatforms(state: FactState, value: string | undefined): void {
  const v = value?.replace(/[",]+$/, "").replace(/^"/, "");
  if (!v || !PLATFORM_LIST.test(v)) return;
  state.put("platforms", v.split(",").map((p) => p.trim()).join(","));
  state.steps.platformSeen = true;
}

function parseBuild(words: string[], from: number, state: FactState): void {
  state.conditions.add("build");
  let context: string | undefined;
  for (let i = from; i < words.length; i++) {
    const w = words[i] ?? "";
    if (/^[;&|]+$/.test(w) || w === "\\") break;
    const name = w.split("=")[0] ?? w;
    if (name === "--platform") {
      const [v, j] = flagValue(words, i, name);
      setPlatforms(state, v);
      i = j;
    } else if (name === "-t" || name === "--tag") {
      const [v, j] = flagValue(words, i, name);
      if (v && IMAGE_TOKEN.test(v)) state.put("image", v);
      i = j;
    } else if (name === "-f" || name === "--file" || name === "--builder") {
      const [v, j] = flagValue(words, i, name);
      state.put(name === "--builder" ? "builder" : "dockerfile", v);
      i = j;
    }
    else if (name === "--push") state.conditions.add("push");
    else if (BUILD_VALUE_FLAGS.has(name)) {
      const [v, j] = flagValue(words, i, name);
      if ((name === "-o" || name === "--output") && v?.includes("registry")) state.conditions.add("push");
      i = j;
    } else if (!w.startsWith("-")) context ??= w;
  }
  state.put("context", context);
}

function parseRun(words: string[], from: number, state: FactState, sub: string): void {
  if (sub === "run" || sub === "create") state.conditions.add("run");
  if (sub === "push") state.conditions.add("push");
  for (let i = from; i < words.length; i++) {
    const w = words[i] ?? "";
    const name = w.split("=")[0] ?? w;
    if (RUN_VALUE_FLAGS.has(name)) {
      i = flagValue(words, i, name)[1];
      continue;
    }
    if (w.startsWith("-")) continue;
    if (IMAGE_TOKEN.test(w) && w.length > 1) state.put("image", w);
    return;
  }
}

/** Words that put a following `docker` in a sentence rather than at a command's start. */
const PROSE_BEFORE = new Set(["into", "to", "in", "the", "a", "an", "from", "for", "of", "on", "with", "by", "and", "or", "use", "using", "your", "our", "is", "not", "no"]);

// (`docker.exe` as Windows users type it at a PowerShell prompt; case matters: prose says `Docker build`)
const DOCKER_BIN = /^(?:sudo)?(?:\S*[\\/])?(?:docker|pg-docker|podman|nerdctl)(?:-compose)?(?:\.exe)?$/;
const COMPOSE_VERBS = new Set(["up", "build", "run", "start", "restart", "create", "pull", "push"]);
/** The docker CLI's global options that take a value as the next word (`docker --context prod run …`). */
const GLOBAL_VALUE_FLAGS = new Set(["--config", "-c", "--context", "-H", "--host", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"]);

/** `docker [buildx] build ...`, `docker run ...`, `docker push/pull ...`, `docker buildx create ...`. */
const commandProbe: Probe = {
  keywords: ["docker ", "podman ", "nerdctl ", "docker-compose ", "podman-compose "],
  visit(line, state) {
    // Shell prompts and Markdown emphasis around a pasted command.
    const words = shellWords(line.replace(/^\S*[$#%>] /, "").replace(/^[*`_\s]+|[*`_\s]+$/g, ""));
    const at = words.findIndex((w) => DOCKER_BIN.test(w));
    if (at === -1) return;
    // Prose that names docker ("... to load image into docker use --load") is no command line.
    if (PROSE_BEFORE.has((words[at - 1] ?? "").toLowerCase())) return;
    // docker-compose v1 / podman-compose: the first of compose's own verbs (global options such
    // as `-f file` come before it) says what runs; its arguments are service names, not an image
    // or a build context. A line with no verb (`docker-compose version 1.29.2`) is no command.
    if (words[at]!.endsWith("-compose")) {
      const verb = words.slice(at + 1).find((w) => COMPOSE_VERBS.has(w));
      if (!verb) return;
      state.markDocker();
      state.openScope();
      state.steps.newCommand(verb === "start" || verb === "restart" ? "up" : verb);
      if (verb === "build") state.conditions.add("build");
      return;
    }
    state.markDocker();
    state.openScope();
    if (words[at] === "pg-docker") state.conditions.add("lazycat");
    let i = at + 1;
    // global options such as `--context prod` (and their values)
    while ((words[i] ?? "").startsWith("-")) i += GLOBAL_VALUE_FLAGS.has(words[i]!) ? 2 : 1;
    let sub = words[i] ?? "";
    if (sub === "buildx") {
      state.conditions.add("buildx");
      // buildx's own options before its subcommand (`docker buildx --builder b history ls`): the builder is a fact
      for (i++; (words[i] ?? "").startsWith("-"); i++) {
        const name = words[i]!.split("=")[0];
        if (name === "--builder") {
          const [v, k] = flagValue(words, i, name);
          state.put("builder", v);
          i = k;
        }
      }
      sub = words[i] ?? "";
      if (sub === "b") sub = "build";
      if (sub === "create") {
        for (let j = i + 1; j < words.length; j++) {
          const name = (words[j] ?? "").split("=")[0];
          if (name === "--name" || name === "--driver") {
            const [v, k] = flagValue(words, j, name);
            state.put(name === "--name" ? "builder" : "driver", v);
            j = k;
          }
        }
        return;
      }
    } else if (sub === "image" || sub === "container") sub = words[++i] ?? "";
    else if (sub === "compose" && words.includes("up")) sub = "up";
    state.steps.newCommand(sub);
    if (sub === "build") parseBuild(words, i + 1, state);
    else if (sub === "run" || sub === "create" || sub === "push" || sub === "pull") parseRun(words, i + 1, state, sub);
  },
};

const probe = (keywords: string[], re: RegExp, visit: (m: RegExpExecArray, state: FactState) => void): Probe => ({
  keywords,
  visit(line, state) {
    const m = re.exec(line);
    if (m) visit(m, state);
  },
});

const flag = (keywords: string[], condition: Condition | "docker"): Probe => ({
  keywords,
  sets: condition === "docker" ? [] : [condition],
  visit(_line, state) {
    if (condition === "docker") state.markDocker();
    else {
      state.conditions.add(condition);
      state.markDocker();
    }
  },
});

/** A shell prompt that runs another program ends the docker command above it (a host's `curl` after `docker compose up`). */
const hostPromptProbe: Probe = {
  keywords: ["$ ", "# ", "% ", ":\\", "➜ "],
  visit(line, state) {
    if (promptRunsDocker(line) === false) state.endCommand();
  },
};

export const PROBES: Probe[] = [
  hostPromptProbe,
  commandProbe,
  ...DOCKER_PROBES,
  ...ORIGIN_PROBES,
  flag(["[+] building", "[internal] load build definition", "load build definition from", "failed to solve", "sending build context", "error: failed to build", "#0 building with"], "build"),
  // The classic builder's "Step 3/9 : RUN ..." (any step, not only the first).
  // "step " alone is a common word; the pattern wants a digit after it.
  {
    ...probe([..."0123456789"].map((d) => `step ${d}`), /^step \d+(?:\/\d+)? : [a-z]+\s/i, (_m, s) => {
      s.conditions.add("build");
      s.markDocker();
    }),
    sets: ["build"],
  },
  flag(["did not complete successfully", "returned a non-zero code", "executor failed running"], "step-failed"),
  // BuildKit's verdict (`ERROR: failed to solve: <chain>`, also relayed as `buildx failed with: ...`)
  // names what failed; when that is not a command's exit, error lines a RUN step printed were
  // survived, whatever they say. Case and the chain's colon matter: pip's `ERROR: Failed to build
  // installable wheels` and rustc's `error: failed to build archive` are a command's own words.
  {
    ...probe(["error: failed to solve: ", "error: failed to build: "], /(?:^|: )(?:ERROR|error): failed to (?:solve|build): (?!(?:failed to (?:solve|build): )*(?:process "|executor failed running)|.*(?:did not complete successfully|returned a non-zero code|executor failed running))/, (_m, s) => {
      s.conditions.add("failed-elsewhere");
      s.markDocker();
    }),
    sets: ["failed-elsewhere"],
  },
  // The runtime's own failure around a RUN step's process, in the words only BuildKit's runc executor
  // prints: runc could not set the step's container up (`runc run failed: unable to start container
  // process: error during container init: …`, or `waiting for init preliminary setup: …` when its child died
  // before init, old runc's `container init caused` in the step's output)
  // or tear it down (`runc did not terminate successfully: exit status 1: unable to destroy container`).
  // The command never ran or had finished: what it printed is not the cause. Not a container start's
  // (`OCI runtime create failed: runc create failed: …`, Docker 17's `oci runtime error: …`, a GPU hook
  // at `docker run`), and not an exec error, a missing shell or a foreign binary, which come after init
  // and say `exec …`.
  {
    ...probe(["runc run failed: unable to start container process", "container init caused", "unable to destroy container"], /\brunc run failed: unable to start container process: (?:error during container init: (?!exec\b)|waiting for init preliminary setup: )|(?<!(?:OCI runtime (?:create|start) failed|oci runtime error): (?:runc (?:create|start) failed: )?)\bcontainer_linux\.go:\d+: starting container process caused:? \\?"?process_linux\.go:\d+: container init caused:? \\?"?(?!exec\b)|\brunc did not terminate successfully: exit status \d+: unable to destroy container\b/, (_m, s) => {
      s.conditions.add("runtime-failed");
    }),
    sets: ["runtime-failed"],
  },
  // Only a build whose every step passed exports: a step's own error lines above were survived.
  // (the classic builder names the image's 12-digit ID; pip's `Successfully built wheel-a wheel-b` is a
  // RUN step's own progress, and the step may still fail after it. An untagged BuildKit build ends at
  // `writing image sha256:…`, podman/buildah at `Successfully tagged`, kaniko at `Pushed …@sha256:`.)
  {
    ...probe(["successfully built ", "naming to ", "writing image sha256:", "successfully tagged ", "] pushed "], /(?<![\w-])Successfully built [0-9a-f]{12}\b|\bnaming to |^(?:=> )*writing image sha256:[0-9a-f]{64}\b|^Successfully tagged \S|\bINFO\[\d+\] Pushed \S+@sha256:[0-9a-f]{64}\b/i, (_m, s) => {
      s.conditions.add("build-succeeded");
      s.markDocker();
    }),
    sets: ["build-succeeded"],
  },
  flag(["buildx", "docker-container:", "buildkitd", "moby/buildkit"], "buildx"),
  flag(["setup-qemu-action", "tonistiigi/binfmt", "qemu-", "binfmt_misc"], "cross-platform"),
  flag(["lzc-cli", "registry.lazycat.cloud", "pg-docker", "heiyu.space", "lazycat"], "lazycat"),
  flag(["pushing layers", "pushing manifest", "exporting manifest list", "push: true", "docker push"], "push"),
  flag(["docker-compose up", "docker compose up", "unable to find image", "exited with code", "docker start", "container exited"], "run"),
  // (kaniko's own lines too: engine.ts reads them as an image build's words)
  flag(["taking snapshot of ", "unpacking rootfs as cmd ", "retrieving image manifest ", "build triggers", "built cross stage deps", "pushing image to ", "storing source image from ", "] pushed "], "docker"),
  flag(["docker", "dockerfile", "containerd", "moby", "podman", "ghcr.io", "quay.io", "lzc-cli", "[internal] load", "detected host platform", "manifest list entries", "rosetta error", "qemu", "the push refers to", "no basic auth credentials", "failed to build", "=> error [", "] run ", "failed to register layer", "sending build context to docker daemon", "---> running in", "removing intermediate container", "error response from daemon", "pull access denied", "manifest unknown", "toomanyrequests"], "docker"),
  // Buildkite (a CI service) holds the letters of BuildKit: only BuildKit itself is Docker's word.
  { ...probe(["buildkit"], /buildkit(?!e)/i, (_m, st) => st.markDocker()), sets: [] },
  {
    keywords: ["##[group]", "##[error]", "##[endgroup]", "/home/runner/work/", "github_workspace", "runner.os", "github actions", "run docker/build-push-action", "run docker/setup-", "run docker/login-action", "run docker/bake-action"],
    visit(line, state) {
      state.conditions.add("github-actions");
      if (/ubuntu-[\d.]+-arm|runs-on:\s*\S*arm/i.test(line)) state.armRunner = true;
    },
  },
  // (also retyped `detectd`, or wrapped after `detected`: the next line opens with `host platform (linux/arm/v7) and …`)
  probe(["detected host platform", "detectd host platform", "host platform ("], /\bdetecte?d host platform \(([^)\s]+)\)|^host platform \(([^)\s]+)\)(?= and no specific platform| ?$)/i, (m, s) => {
    s.hostPlatform = m[1] ?? m[2];
  }),
  probe(["requested image's platform"], /requested image's platform \(([^)\s]+)\)/i, (m, s) => {
    s.imagePlatform = m[1];
    s.conditions.add("run");
  }),
  probe(["#0 building with"], /building with "([^"]+)" instance using ([\w-]+) driver/i, (m, s) => {
    s.put("builder", m[1]);
    s.put("driver", m[2]);
  }),
  probe(["[+] building"], /\[\+\] building [\d.]+s \(\d+\/\d+\)(?: (?:finished|canceled))?\s+([\w-]+):([\w.-]+)/i, (m, s) => {
    s.put("driver", m[1]);
    s.put("builder", m[2]);
  }),
  probe(["platforms:"], /^\s*platforms:\s*([\w/,. -]+)$/i, (m, s) => setPlatforms(s, m[1]?.replace(/\s+/g, ""))),
  probe(["--platform"], /--platform[= ]([\w/,.-]+)/i, (m, s) => setPlatforms(s, m[1])),
  // Docker's own variable for the platform a command asks for: exported (or set in cmd or PowerShell) on a line
  // of its own, it holds for every later command until unset or emptied; as a prefix
  // (`DOCKER_DEFAULT_PLATFORM=linux/amd64 docker compose up`, after `sudo` or `env`), for that command only.
  // (Not an env dump's line, nor prose that mentions it.)
  probe(["docker_default_platform"], DEFAULT_PLATFORM, (m, s) => {
    const [, exported, unset, value, after] = m;
    if (unset || ((exported || m[0].includes("$env:")) && value === "")) {
      s.steps.defaultPlatform = false;
      return;
    }
    if (!value || after === undefined) return;
    if (/docker/.test(after)) {
      // the command on this line starts after its prefix: newCommand picks the platform up
      s.steps.prefixPlatform = true;
      setPlatforms(s, value);
      return;
    }
    // (a bare assignment with nothing after it is an env dump's line unless exported or set)
    if (!exported && !m[0].includes("$env:")) return;
    setPlatforms(s, value);
    if (s.steps.platformSeen) s.steps.defaultPlatform = true;
  }),
  // BuildKit names each step after its platform only when the build was given platforms
  // (`#15 [linux/arm64 build 4/4] RUN ...`): a pasted step is then an explicit-platform one too.
  // Idempotent once seen (a build names every step this way): the byte path then stops keeping
  // each step header of a long multi-platform log, which kept peak RSS growing with the log.
  {
    ...probe(["[linux/"], /^(?:=> |> )?(?:ERROR:? |CACHED )?\[(linux\/[a-z0-9_]+(?:\/v\d)?) [^\]\n]*\]/i, (m, s) => setPlatforms(s, m[1])),
    sets: [],
    known: (s) => s.steps.platformSeen && Boolean(s.platforms),
  },
  probe(["tags:"], /^\s*tags:\s*([^\s,]+)/i, (m, s) => {
    if (m[1] && IMAGE_TOKEN.test(m[1]) && m[1].includes("/")) s.put("image", m[1]);
  }),
  // The base image: the first one named wins, so once it is known these lines add nothing.
  {
    ...probe(["load metadata for"], /load metadata for ([^\s]+)/i, (m, s) => {
      if (m[1] && !s.baseImage) s.baseImage = displayImage(m[1]);
    }),
    sets: [],
    known: baseImageKnown,
  },
  {
    ...probe(["] from "], /\] FROM ([^\s]+)/i, (m, s) => {
      if (m[1] && !s.baseImage && IMAGE_TOKEN.test(m[1])) s.baseImage = displayImage(m[1]);
    }),
    sets: [],
    known: baseImageKnown,
  },
  // The classic builder's FROM with a platform the Dockerfile asks for, literally or as a variable's
  // default (`FROM --platform=${TARGETPLATFORM:-linux/amd64} node`): the build asked for it, as with the
  // flag (`--platform=$BUILDPLATFORM` alone names no platform: the builder's own, nothing foreign).
  probe([" : from --platform="], /^step \d+(?:\/\d+)? : from\s+--platform=(?:\$\{\w+:-([^}\s]+)\}|([^\s$]+))\s/i, (m, s) => setPlatforms(s, m[1] ?? m[2])),
  {
    ...probe(["step 1/"], /^step 1\/\d+ : from\s+(?:--platform=\S+\s+)?(\S+)/i, (m, s) => {
      if (m[1] && !s.baseImage) s.baseImage = m[1];
    }),
    sets: [],
    known: baseImageKnown,
  },
  probe(["did not complete successfully"], /process "(?:\/bin\/(?:ba)?sh -c )?((?:[^"\\]|\\.)*)\\?" did not complete successfully: exit code: (\d+)/i, (m, s) => {
    s.command = (m[1] ?? "").replace(/\\"/g, '"');
    s.exitCode = m[2];
  }),
  probe(["returned a non-zero code"], /command '(?:\/bin\/(?:ba)?sh -c )?([^']*)' returned a non-zero code: (\d+)/i, (m, s) => {
    s.command = m[1];
    s.exitCode = m[2];
  }),
  probe(["executor failed running"], /executor failed running \[(?:\/bin\/(?:ba)?sh -c )?([^\]]*)\]: (?:exit code: )?(\d+)/i, (m, s) => {
    s.command = m[1];
    s.exitCode = m[2];
  }),
  probe(["pull access denied for"], /pull access denied for ([^\s,]+)/i, (m, s) => {
    s.errorImage ??= m[1];
  }),
  // The image a pull was started for, when no error names one: `docker run`'s notice, Compose v1
  // (`Pulling web (nginx:1.25)...`) and the pull's own first line (`1.25: Pulling from library/nginx`).
  // The last one started wins; one seen finished (`Status: Downloaded newer image for x`) is dropped.
  probe(["unable to find image"], /Unable to find image '([^'\s]+)' locally/i, (m, s) => {
    if (m[1] && IMAGE_TOKEN.test(m[1])) s.pulledImage = displayImage(m[1]);
  }),
  probe([")..."], /^Pulling [\w.-]+ \(([^)\s]+)\)\.\.\./, (m, s) => {
    if (m[1] && IMAGE_TOKEN.test(m[1])) s.pulledImage = displayImage(m[1]);
  }),
  probe([": pulling from "], /^([\w][\w.-]{0,127}): Pulling from (\S+)$/i, (m, s) => {
    const ref = `${m[2]!.replace(/^library\//, "")}:${m[1]}`;
    if (IMAGE_TOKEN.test(ref)) s.pulledImage = displayImage(ref);
  }),
  probe(["status: downloaded newer image for ", "status: image is up to date for "], /^Status: (?:Downloaded newer image|Image is up to date) for (\S+)$/i, (m, s) => {
    if (m[1] && s.pulledImage === displayImage(m[1])) s.pulledImage = undefined;
  }),
  // BuildKit names the image a pull or push failed for at the head of its chain
  // (`failed to solve: node:20: failed to resolve …`, `failed to push ghcr.io/acme/api:1.0: unexpected status …`)
  probe(["failed to solve: ", "failed to push "], /(?:failed to solve: |failed to push )((?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9._\/-]*[a-z0-9](?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?): /i, (m, s) => {
    if (m[1] && (m[1].includes(":") || m[1].includes("/"))) s.errorImage ??= displayImage(m[1]);
  }),
  probe(["/manifests/"], /https?:\/\/([^/\s"]+)\/v2\/([^\s"]+)\/manifests\/([^\s"/]+)/i, (m, s) => {
    const host = m[1] === "registry-1.docker.io" ? "" : `${m[1]}/`;
    s.errorImage ??= `${host}${m[2]}${m[3]?.startsWith("sha256:") ? "" : `:${m[3]}`}`;
  }),
];
