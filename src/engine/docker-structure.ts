// Is this Docker output at all? Decided from the shape of lines anywhere in the log, not only on
// lines that hold an error: BuildKit's step lines, the classic builder's, layer progress, the
// registry API, containerd's and distribution's error wording. Each shape is a keyword the scan
// already looks for plus a check of that line, so the detection stays inside the single pass.
import type { Probe } from "./facts.js";

/** [keywords, line shape]: a line holding one of the keywords and matching the shape is Docker output. */
const SHAPES: Array<[string[], RegExp]> = [
  // BuildKit tty progress: `=> [internal] load ...`, `=> => transferring context`, `=> CACHED [2/5] ...`.
  [["=> [", "=> =>", "=> cached", "=> error"], /^=> (?:=> |ERROR |CACHED |\[)/i],
  [["transferring context", "transferring dockerfile", "naming to ", "writing image sha256", "exporting layers", "exporting manifest", "exporting config"], /^(?:#\d+ |=> (?:=> )?)?(?:transferring (?:context|dockerfile)|naming to |writing image sha256|exporting (?:layers|manifest|config))/i],
  // The classic builder.
  [["---> ", "successfully built", "successfully tagged"], /^(?:---> (?:[0-9a-f]{12}\b|Running in|Using cache)|Successfully (?:built [0-9a-f]{12}|tagged \S+))/i],
  // Layer progress of a pull or push: `5f70bf18a086: Preparing`.
  // Only the words no other tool prints after a colon (`go: downloading ...` is everywhere).
  [[": preparing", ": pushed", ": pull complete", ": pulling fs layer", ": already exists", ": download complete", ": layer already exists", ": mounted from", ": verifying checksum"], /^[0-9a-f]{12}: (?:Preparing|Waiting|Pushed|Pushing|Pull complete|Pulling fs layer|Already exists|Download complete|Layer already exists|Mounted from|Verifying Checksum|Extracting|Downloading)\b/i],
  // The registry HTTP API: the ping `/v2/` or a repository's manifests, blobs or tags.
  [["/v2/"], /https?:\/\/[^\s/"]+\/v2\/(?:["\s:)]|$|(?:[\w.-]+\/){1,6}(?:manifests|blobs|tags)\/)/i],
  // Cloud Native Buildpacks' lifecycle building an image in its builder container (pack, Spring Boot's
  // build-image, Paketo): each phase tags its lines `[creator]`, `[builder]`, `[exporter]` ….
  [["[creator] ", "[builder] ", "[detector] ", "[analyzer] ", "[restorer] ", "[exporter] "], /^(?:\[INFO\] +)?\[(?:creator|builder|detector|analyzer|restorer|exporter)\] {2,}/i],
  // s6-overlay, the init of linuxserver.io's and many other images, booting a container: v2's bracketed
  // stages and v3's s6-rc services. Nothing but a container runs it, so its lines are a container's output.
  [["[s6-init] ", "[cont-init.d] ", "[services.d] ", "[cont-finish.d] ", "s6-rc: info: service "], /^(?:\[(?:s6-init|cont-init\.d|services\.d|cont-finish\.d)\] |s6-rc: info: service )/i],
  // The v1 registry API that `docker login` still tried first in older CLIs.
  [["/v1/users/"], /https?:\/\/[^\s/"]+\/v1\/users\/(?:["\s:]|$)/i],
];

/** containerd's resolver, distribution's error codes, BuildKit's and kaniko's wording: nobody else prints these. */
const VOCABULARY = [
  "failed to do request",
  "failed to receive status: rpc error",
  "failed to dial grpc",
  "failed to resolve reference",
  "failed to resolve source metadata",
  "failed to authorize",
  "failed to fetch anonymous token",
  "failed to fetch oauth token",
  "httpreadseeker",
  "failed commit on ref",
  "unexpected status from",
  "failed to compute cache key",
  "failed to calculate checksum of ref",
  // BuildKit's file copy (fsutil) when a write fails, as Dagger's engine relays it too
  "userspace copy failed",
  "failed to create llb definition",
  "requested access to the resource is denied",
  "insufficient_scope",
  "name_unknown",
  "manifest_unknown",
  "blob_unknown",
  "error pulling image configuration",
  "error parsing http 403 response body",
  "dockerfile parse error",
  "failed to read dockerfile",
  "executor failed running",
  "did not complete successfully: exit code",
  "returned a non-zero code",
  // the kubelet's event for a pod's image pull (`Failed to pull image "x": rpc error: …`, older kubelets
  // without the rpc part): a container image's pull, whatever the runtime under it
  "failed to pull image \"",
  // Amazon ECS's own events for a task's image pull (its agent, or Fargate's `unable to pull secrets or
  // registry auth`): a container image's pull too
  "cannotpullcontainererror:",
  "unable to pull secrets or registry auth",
  // the image stores' own words when a layer is written: the daemon's unpacking helper (`Untar re-exec
  // error`, pkg/chrootarchive) and containers/storage under podman, buildah and skopeo (`writing blob:
  // adding layer with blob`)
  "untar re-exec error",
  "writing blob: adding layer with blob",
  // kaniko's own verdicts on its push (its check before the build, and the push itself)
  "error checking push permissions -- make sure you entered the correct tag name",
  "failed to push to destination ",
  // Singularity and Apptainer pulling an image (their `FATAL:` verdicts, cmd/internal/cli/pull.go and
  // build), and Nextflow's report of such a pull: a container image's pull, over HTTPS or a registry
  "while pulling from image from http(s):",
  "while pulling image from oci registry:",
  "while pulling library image:",
  "while making image from oci registry:",
  "failed to pull singularity image",
  // Jib, which builds and pushes images itself (its Maven and Gradle plugins' classes name it)
  "com.google.cloud.tools.jib",
];

// Each only marks the log as Docker output: idempotent (`sets: []`), so once the log is known as
// Docker output the byte path stops reporting their keywords (`exporting layers` is on every
// export step of a long build).
export const DOCKER_PROBES: Probe[] = [
  ...SHAPES.map(
    ([keywords, shape]): Probe => ({
      keywords,
      sets: [],
      visit(line, state) {
        if (shape.test(line)) state.markDocker();
      },
    }),
  ),
  {
    keywords: VOCABULARY,
    sets: [],
    visit(_line, state) {
      state.markDocker();
    },
  },
];
