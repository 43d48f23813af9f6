// Where one hit stands in the log: inside a RUN step's output, at a container's start, after an
// explicit target platform, or in a step that pulls, pushes, exports or boots the builder. The
// same words mean different causes there (`exec format error` in a RUN step under emulation vs
// a wrong-arch image at `docker run`), so rules ask for it per hit (`context` / `notContext`).
//
// Everything here is fed by the keyword scan: step headers are lines holding one of
// HEADER_KEYWORDS, so working out a hit's context costs nothing on the lines in between.
import type { HitContext } from "../rules/schema.js";
import type { CleanLine } from "./normalize.js";

/** What a step does, read from its header. */
/** (`container`: a container's own init booting it, so what follows is the running container's output.) */
export type StepKind = "run-step" | "pull" | "push" | "export" | "builder-boot" | "container" | "other";

/** Lines that open a step: BuildKit `#N [stage 2/5] RUN ...`, the error box ` > [2/5] RUN ...:`, tty `=> [2/5] RUN`, classic `Step 2/5 : RUN`. */
export const HEADER_KEYWORDS = [
  "] run ",
  "] from ",
  "] copy ",
  "] add ",
  "] workdir ",
  "load metadata for",
  "booting buildkit",
  "exporting to ",
  "pushing layers",
  "pushing manifest",
  "resolve image config",
  "step ",
  "---> running in",
  // (the classic builder's layer id closes its step: `---> 4f1a2b3c4d5e`)
  "---> ",
  "the push refers to",
  "pulling from ",
  "trying to pull ",
  // docker-compose v1: `Pulling db (postgres:9.6)...`
  ")...",
  "unable to find image",
  "retrieving image manifest",
  "taking snapshot",
  // A finished build closes the last step: what follows is a run, a push or another build.
  "successfully built ",
  "successfully tagged ",
  "naming to ",
  // A finished pull closes its step: what follows is the container's output or the next step.
  "status: downloaded newer image for ",
  "status: image is up to date for ",
  // The classic builder's verdict on a RUN step closes it (engine.ts reads the output above it).
  "the command '/bin/",
  "the command [/bin/",
  "the command 'cmd /s /c ",
  "the command 'powershell ",
  // buildah's (podman build's) verdict on a RUN step does the same: `Error: building at STEP "RUN …": …`
  "building at step \"run ",
  // the classic builder running a parent image's ONBUILD triggers under FROM
  "build trigger",
  // s6-overlay booting a container (linuxserver.io's images and many others): its program's output follows
  "[s6-init] ",
  "[cont-init.d] ",
  "[services.d] ",
  "[cont-finish.d] ",
  "s6-rc: info: service ",
];

const HEADER: Array<[RegExp, StepKind]> = [
  [/^(?:=> )?(?:ERROR:? |CACHED )?\[[^\]\n]{1,80}\] RUN\b/i, "run-step"],
  [/^(?:=> )?(?:ERROR:? |CACHED )?\[[^\]\n]{1,80}\] FROM\b/i, "pull"],
  [/^(?:=> )?(?:ERROR:? |CACHED )?\[[^\]\n]{1,80}\] (?:COPY|ADD|WORKDIR)\b/i, "other"],
  // (Compose and bake put the service or target, a platform too, inside the brackets: `[web internal]`,
  // `[linux/arm64 internal]`)
  [/^(?:=> )?(?:ERROR:? )?\[(?:[\w./-]{1,60} ){0,2}internal\] load metadata for\b/i, "pull"],
  [/^(?:=> )?(?:ERROR:? )?(?:\[auth\] |resolve image config for\b)/i, "pull"],
  [/^(?:=> )?(?:ERROR:? )?\[(?:[\w./-]{1,60} ){0,2}internal\] booting buildkit\b/i, "builder-boot"],
  [/^(?:=> )?(?:ERROR:? )?exporting to (?:image|oci|docker|client)/i, "export"],
  [/^(?:=> )?(?:=> )?pushing (?:layers|manifest)\b|^the push refers to (?:a )?repository\b/i, "push"],
  // The classic builder writes `Step 2/5 : RUN`, buildah/podman `STEP 2/5: RUN`.
  // buildah numbers the stages of a multi-stage build before the step: `[1/3] STEP 2/2: RUN`.
  // (Case-sensitive: a CI tool's own `Step 2: Run unit tests` is not a Dockerfile RUN.)
  [/^(?:\[\d+\/\d+\] )?(?:Step|STEP) \d+(?:\/\d+)? ?: RUN\b|^---> Running in\b/, "run-step"],
  // (podman and buildah try each registry in turn: `Trying to pull docker.io/library/x:1...`)
  [/^(?:\[\d+\/\d+\] )?step \d+(?:\/\d+)? ?: FROM\b|^[\w.-]+: Pulling from\b|^Unable to find image\b|^Trying to pull (?:repository )?[\w.-]+\/\S/i, "pull"],
  // The classic builder runs the parent image's ONBUILD triggers inside its FROM step (`# Executing 5 build
  // triggers`, then `---> Running in <id>` and the trigger's output): mostly RUN commands, whose output follows.
  [/^# Executing \d+ build triggers?\b/, "run-step"],
  // docker-compose v1 names the service and the image it pulls (case-sensitive: its own words)
  [/^Pulling [\w.-]{1,100} \([^()\s]{1,300}\)\.\.\.$/, "pull"],
  [/^(?:\[\d+\/\d+\] )?step \d+(?:\/\d+)? ?: [A-Z]+\b/i, "other"],
  // kaniko logs its steps with logrus: `INFO[0012] RUN npm ci`, then the command's own output.
  [/^INFO\[\d+\] RUN\b/, "run-step"],
  [/^INFO\[\d+\] Retrieving image manifest\b/, "pull"],
  [/^INFO\[\d+\] (?:Taking snapshot|COPY|ADD|WORKDIR)\b/, "other"],
  // s6-overlay's stages (v2's bracketed ones, v3's s6-rc services): only a container runs this init, so the
  // lines after it are the container's program, started (`[services.d] starting services`) or starting.
  [/^(?:\[(?:s6-init|cont-init\.d|services\.d|cont-finish\.d)\] |s6-rc: info: service )/i, "container"],
];

// The classic builder's `Successfully built <id>` / `Successfully tagged <ref>`, BuildKit's
// `naming to <ref>` (plain `#12 naming to …`, tty `=> => naming to …`): the build is over.
const BUILD_DONE = /^(?:Successfully (?:built [0-9a-f]{12}\b|tagged \S)|(?:=> )*naming to \S)/;
const RUNNING_IN = /^---> Running in\b/;
// `docker pull` / `docker run`'s last line of a pull (also under the classic builder's FROM).
const PULL_DONE = /^Status: (?:Downloaded newer image|Image is up to date) for \S/;
// The classic builder's layer id under a step (` ---> 4f1a2b3c4d5e`): the step committed, so what
// follows before the next `Step N/M :` is not its output (a shell the user opened afterwards, say).
const LAYER_DONE = /^---> [0-9a-f]{12}$/;

// kaniko's last word on a build it pushed: `INFO[0044] Pushed registry/app@sha256:…`.
// (also behind a pipeline's task prefix: Tekton's `[build-image : build-and-push] INFO[0044] Pushed …`)
const KANIKO_PUSHED = /\bINFO\[\d+\] Pushed \S+@sha256:[0-9a-f]{64}\b/;

/** The image build above this line is over: what follows is another program's (the container it started, a later task). */
export function buildFinished(text: string): boolean {
  return BUILD_DONE.test(text) || KANIKO_PUSHED.test(text);
}

/** The line ends the step shown so far without opening another: a finished build, pull or classic step. */
export function closesStep(text: string): boolean {
  return BUILD_DONE.test(text) || PULL_DONE.test(text) || LAYER_DONE.test(text);
}

/** The classic builder's `---> Running in <id>`: a RUN step only when no `Step N/M :` came before. */
export function runningIn(text: string): boolean {
  return RUNNING_IN.test(text);
}

/** The kind of step a header line opens, if it is one. */
export function headerKind(text: string): StepKind | undefined {
  for (const [re, kind] of HEADER) if (re.test(text)) return kind;
  return undefined;
}

// The hit's own words: summary lines (`ERROR: failed to solve: failed to push ...`) name their step.
// A bare `unexpected status: 403 Forbidden` right under `failed to solve` is containerd's push
// writer (its commit returns the status unwrapped); pulls are always wrapped with the image and
// the step (`<ref>: failed to resolve source metadata`, `failed to copy`, `failed to authorize`).
const LINE_WORDS: Array<[RegExp, HitContext]> = [
  [/\bfailed to push\b|\bpushing (?:layers|manifest)|the push refers to|\bunexpected status from (?:PUT|POST|PATCH) request|\bfailed commit on ref "(?:manifest|index|layer)-|\bfailed to solve: unexpected status: [1-5]\d\d\b/i, "push"],
  // (`failed to fetch` but not apt's or yum's `Failed to fetch http://…`, nor apt's `E: Failed to fetch` with its
  // URL redacted (`.../x.deb`): a package, not an image)
  [/failed to resolve source metadata|load metadata for|pull access denied|error pulling image|Error (?:reading manifest|initializing source docker:)|(?<!^[EW]: )failed to fetch\b(?! https?:\/\/)|failed to (?:pull|resolve|copy)\b|unexpected status from (?:HEAD|GET) request|\b(?:HEAD|GET) "?https?:\/\/[^\s"/]+\/v2\//i, "pull"],
  [/booting buildkit|error for bootstrap|failed to (?:initialize|bootstrap) builder|listing workers|failed to dial gRPC/i, "builder-boot"],
  [/\bexporting to (?:image|oci|docker)|failed to export\b/i, "export"],
  // The Docker Engine's own API (`https://host:2376/v1.24/images/create`, versioned `/v1.NN/`; a
  // registry's is `/v2/`): a TLS or connect error there, unless the line also names a registry
  // request the daemon was relaying, is between the CLI and its daemon.
  // (and docker-machine checking its daemon's certificate: `Error checking TLS connection: … There was an error
  // validating certificates for host "192.168.99.100:2376": x509: …`)
  // (and the CLI's own stream of the daemon's events while `docker run` waits: `error getting events from daemon: …`)
  [/\bhttps?:\/\/[^\s/"]+\/v1\.\d{1,2}\/|\berror during connect\b|\bAn error occurred trying to connect\b|\bError checking TLS connection: |\berror validating certificates for host "|\berror getting events from daemon: /i, "daemon-api"],
  // kubectl, Helm and anything on client-go talking to its cluster's API server (`Unable to connect to
  // the server: x509: …`, `The connection to the server host:6443 was refused`, Helm's `Kubernetes
  // cluster unreachable: `, kubectl's `unable to recognize "x.yaml": Get …` and `failed to download
  // openapi: `, `from server for: "x.yaml": …` and an admission webhook's `failed calling webhook "…"`,
  // client-go's discovery `couldn't get resource list for …`): a TLS or connect error there
  // is the kubeconfig's or the cluster's, never a registry's or a build's.
  [/\bUnable to connect to the server: |\bThe connection to the server \S+ was refused\b|\bserver API group list\b|\bKubernetes cluster unreachable: |\bunable to recognize "[^"\n]{1,300}": |\bfailed to download openapi: |\bcouldn't get resource list for \S|\bfrom server for: "[^"\n]{1,300}": |\bfailed calling webhook "/i, "kube-api"],
  [/OCI runtime (?:create|exec|start) failed|starting container process|exec user process caused|standard_init_linux|failed to create (?:shim )?task/i, "container-start"],
  // Compose's report that a running container stopped (`app_1 exited with code 137`, `es01-1 … (restarting)`):
  // never a build step's (its container names end in the replica's number)
  [/^[\w.-]{1,128}[-_]\d{1,3} exited with code \d+(?: \(restarting\))?$/, "container-start"],
];

const CANNOT_START = /\bCannot start container\b/i;
// Compose v2 also names a stopped container by its service alone (`broker exited with code 137`):
// a running container's end too, when no step is open.
// (a `container_name:` may have capitals: `ES01 exited with code 137`)
const SERVICE_EXITED = /^(?!Process )[A-Za-z0-9][\w.-]{0,127} exited with code \d+(?: \(restarting\))?$/;
// The shell of an image's start script reporting an error at one of its lines (dash's
// `/usr/local/bin/docker-entrypoint.sh: 11: exec: /app/start.sh: not found`, busybox's `…: exec: line 11: …`):
// official images name it docker-entrypoint.sh and run it when a container starts. A Dockerfile may run
// it in a RUN step too: a classic builder's verdict below then makes the line the step's (engine.ts).
export const ENTRYPOINT_ERROR = /^(?:\.?\/(?:[\w.-]{1,100}\/){0,4})?docker-entrypoint\.sh: (?:exec: )?(?:line )?\d{1,5}: /;

/** Per-log state the context needs: step kinds by BuildKit step number, the step being shown, the command. */
export class StepTracker {
  private readonly steps = new Map<number, StepKind>();
  /** The last header seen without a BuildKit number (error box, tty view, classic builder). */
  private current?: StepKind;
  /** How many docker commands were seen: each one ends what the one before printed. */
  commands = 0;
  /** The verb of the last docker command seen (`run`, `build`, `push`, ...). */
  command?: string;
  /** The current command (or the log, before any command) gave a target platform (`--platform`, `platforms:`). */
  platformSeen = false;
  /** DOCKER_DEFAULT_PLATFORM was set: every later command asks for a platform. */
  defaultPlatform = false;
  /** A `DOCKER_DEFAULT_PLATFORM=…` prefix on the line of the command about to start. */
  prefixPlatform = false;

  /** A build finished (BUILD_DONE) and no step header came after it. */
  private built = false;

  /** Records a header line; called by the header probe. */
  visit(clean: CleanLine): void {
    if (BUILD_DONE.test(clean.text)) {
      this.built = true;
      this.current = undefined;
      return;
    }
    // A finished pull: its image is there, and what follows is no longer the pull.
    if (PULL_DONE.test(clean.text) || LAYER_DONE.test(clean.text)) {
      if (clean.step === undefined) this.current = undefined;
      return;
    }
    const kind = headerKind(clean.text);
    if (!kind) return;
    // (s6-overlay's stages printed inside a build step, `#7 0.21 [s6-init] …` or under an open RUN, are that
    // step's output: a RUN that runs an image's init keeps its kind)
    if (kind === "container" && (clean.step !== undefined || clean.timed || this.current === "run-step")) return;
    // (A numbered header speaks only for its own step's lines, as for `current`.)
    if (clean.step === undefined) this.built = false;
    // The classic builder starts a container for CMD, ENV, LABEL ... too: `---> Running in` is a
    // RUN step only when no `Step N/M :` header already said what the step is.
    if (clean.step === undefined && this.current !== undefined && RUNNING_IN.test(clean.text)) return;
    // A numbered header speaks for its own step's lines only; unnumbered lines (error box, tty
    // view, classic builder) belong to the last unnumbered header.
    if (clean.step !== undefined) this.steps.set(clean.step, kind);
    else this.current = kind;
  }

  /** A new docker command: the step shown so far belongs to the previous run. */
  newCommand(verb: string): void {
    this.commands++;
    this.command = verb;
    this.current = undefined;
    this.built = false;
    // A platform belongs to the command that asked for it (set again by its own --platform), unless
    // DOCKER_DEFAULT_PLATFORM asks for one for every command.
    this.platformSeen = this.defaultPlatform || this.prefixPlatform;
    this.prefixPlatform = false;
  }

  /** An unnumbered step header (error box, tty view, classic builder) is open. */
  // (not s6-overlay's stages: what follows is a running container's own output, as behind Compose's
  // service prefix; container-start names it, the app's words stay anyone's: a Java app's heap, a
  // container's DNS are no build's)
  get inStep(): boolean {
    return this.current !== undefined && this.current !== "container";
  }

  /** The contexts of a hit on this (already visited) line. */
  contextsOf(clean: CleanLine): Set<HitContext> {
    const out = new Set<HitContext>();
    for (const [re, ctx] of LINE_WORDS) if (re.test(clean.text)) out.add(ctx);
    let kind: StepKind | undefined;
    if (clean.step !== undefined) {
      kind = this.steps.get(clean.step);
      // BuildKit prints `#N 1.234 ...` (a timestamp after the number) only for a command's own output.
      if (!kind && clean.timed) kind = "run-step";
      // `#N ERROR: ...` without a time is BuildKit's verdict on the step, not the command's output.
      if (!clean.timed && clean.text.startsWith("ERROR:")) out.add("step-verdict");
    } else kind = clean.timed || clean.stepStderr ? "run-step" : clean.service ? undefined : this.current;
    if (kind === "container") out.add("container-start");
    else if (kind && kind !== "other") out.add(kind);
    // After the build's own success line, outside any later step: not the build's output.
    if (!kind && this.built) out.add("after-build");
    // A line that names its own registry request (`Get "https://host/v2/"`, `pull access denied`)
    // is the image fetch that comes before a container starts, not the start itself.
    const fetching = out.has("pull") || out.has("push");
    // The daemon relaying a registry's answer (`500 … ("Get "https://host/v2/": x509 …")`) is the registry's.
    if (fetching) out.delete("daemon-api");
    // (`docker exec` runs its command in a running container: its output is that container's, no build step's)
    if (!kind && !fetching && (this.command === "run" || this.command === "start" || this.command === "create" || this.command === "up" || this.command === "exec")) out.add("container-start");
    // Docker 1.x named the container it could not start (`Cannot start container licode: failed to
    // create endpoint …`); the classic builder said the same of a RUN step's container, so only
    // outside a step.
    if (!kind && CANNOT_START.test(clean.text)) out.add("container-start");
    if (!kind && SERVICE_EXITED.test(clean.text)) out.add("container-start");
    if (!kind && ENTRYPOINT_ERROR.test(clean.text)) out.add("container-start");
    // Compose's service prefix (`web-1  | `) is only put on a running container's output, never a step's.
    if (clean.service && !clean.timed && clean.step === undefined) out.add("container-start");
    if (this.platformSeen) out.add("explicit-platform");
    if (clean.errorLevel) out.add("error-level");
    if (clean.warnLevel) out.add("warning-level");
    return out;
  }
}
