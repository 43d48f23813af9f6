// The fresh sets of public logs collected by people who never saw the rules (test/fixtures/fresh/,
// file names `<expected-rule-id>--slug.log`, INDEX.tsv with each source). Each was first measured
// before any rule was changed for it; that first-look figure is the one the README publishes.
// Here they are kept as floors: a later change may raise a set's score, never lower it, and no
// set may get confident answers on more than 2 % of its logs with no known cause.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinEngine } from "./helpers/engine.js";
import { buryInNoise } from "./helpers/noise.js";

const root = join(import.meta.dirname, "fixtures", "fresh");
// Strict scores (high/medium first answers) when each set was last measured, rounded down.
// Sets 22, 67 and 113 were lowered one log each with set 137: ghcr.io's bare `denied` with no login in view became
// image-not-found, as the collectors' brief reads it since set 120; their three were labelled a stale login by the thread.
const FLOORS: Record<string, number> = { "set-5": 0.98, "set-6": 0.94, "set-7": 0.92, "set-8": 0.87, "set-9": 0.9, "set-10": 0.89, "set-11": 0.89, "set-12": 0.94, "set-13": 0.93, "set-14": 0.9, "set-15": 0.93, "set-16": 0.89, "set-17": 0.91, "set-18": 0.94, "set-19": 0.92, "set-20": 0.89, "set-21": 0.91, "set-22": 0.92, "set-23": 0.94, "set-24": 0.93, "set-25": 0.85, "set-26": 0.94, "set-27": 0.91, "set-28": 0.92, "set-29": 0.83, "set-30": 0.95, "set-31": 0.89, "set-32": 0.83, "set-33": 0.83, "set-34": 0.87, "set-35": 0.79, "set-36": 0.92, "set-37": 0.82, "set-38": 0.86, "set-39": 0.81, "set-40": 0.87, "set-41": 0.87, "set-42": 0.81, "set-43": 0.86, "set-44": 0.87, "set-45": 0.81, "set-46": 0.81, "set-47": 0.84, "set-48": 0.82, "set-49": 0.86, "set-50": 0.81, "set-51": 0.88, "set-52": 0.83, "set-53": 0.85, "set-54": 0.86, "set-55": 0.79, "set-56": 0.85, "set-57": 0.79, "set-58": 0.86, "set-59": 0.77, "set-60": 0.71, "set-61": 0.84, "set-62": 0.84, "set-63": 0.8, "set-64": 0.85, "set-65": 0.85, "set-66": 0.86, "set-67": 0.79, "set-68": 0.86, "set-69": 0.85, "set-70": 0.9, "set-71": 0.65, "set-72": 0.79, "set-73": 0.75, "set-74": 0.73, "set-75": 0.8, "set-76": 0.82, "set-77": 0.88, "set-78": 0.82, "set-79": 0.95, "set-80": 0.91, "set-81": 0.93, "set-82": 0.91, "set-83": 0.86, "set-84": 0.89, "set-85": 0.8, "set-86": 0.78, "set-87": 0.83, "set-88": 0.87, "set-89": 0.8, "set-90": 0.9, "set-91": 0.8, "set-92": 0.85, "set-93": 0.83, "set-94": 0.81, "set-95": 0.82, "set-96": 0.86, "set-97": 0.95, "set-98": 0.91, "set-99": 0.81, "set-100": 0.7, "set-101": 0.86, "set-102": 0.94, "set-103": 0.79, "set-104": 0.82, "set-105": 0.7, "set-106": 0.92, "set-107": 0.92, "set-108": 0.85, "set-109": 0.88, "set-110": 0.8, "set-111": 0.79, "set-112": 0.76, "set-113": 0.85, "set-114": 0.86, "set-115": 0.68, "set-116": 0.82, "set-117": 0.91, "set-118": 0.78, "set-119": 0.72, "set-120": 0.82, "set-121": 0.84, "set-122": 0.84, "set-123": 0.84, "set-124": 0.88, "set-125": 0.76, "set-126": 0.72, "set-127": 0.81, "set-128": 0.87, "set-129": 0.9, "set-130": 0.87, "set-131": 0.92, "set-132": 0.88, "set-133": 0.9, "set-134": 0.88, "set-135": 1, "set-136": 0.7, "set-137": 0.82, "set-138": 0.8, "set-139": 0.77, "set-140": 0.87 };
// Set 48 went from 0.83 to 0.82 on purpose: quay.io's anonymous `unauthorized` is read as a missing
// or private repository (six image-not-found logs of sets 17-74), which costs set 48's Overleaf
// `bin/up`, labelled registry-auth-missing for the same proprietary image set 72's collector labelled
// image-not-found.
// Set 20 went from 0.87 to 0.86 on purpose: its vcmi log is a retyped paste (`/usr/bin/evn: 'sh\r' :`),
// and the pattern loosened to fit that typo was narrowed again after review (machine output only).
// Set 20 went from 0.90 to 0.89 on purpose: Compose's `<container> exited with code 137` is a running
// container's exit (set 49's first look had two runtime kills answered as a build's): its webpack
// container killed under compose is now unanswered, its Elasticsearch alarm gone.
// Set 13 went from 0.91 to 0.90 on purpose: a shell's `cannot execute binary file: Exec format
// error` no longer counts as Docker output by itself, which cost set 13's one-line paste from a
// container's run script and removed two confident alarms (host binaries) from set 16.
// Confident answers on `none` logs that were measured, judged and left alone, by name: any other
// alarm fails. Set 13's is Docker's platform warning followed by the ID `docker run -d` prints;
// the collector read it as harmless (it ran under emulation), while sets 12 and the rule examples
// hold the same two lines labelled platform-mismatch. The README counts it as a false alarm.
// Set 16's is Docker 17.03 refusing `FROM node AS builder`: the engine's answer (invalid-reference,
// variant old-docker-multistage: upgrade to Docker 17.05 or later) is the cause, but the collector
// found no rule id for it. Set 18's are the same platform warning after `docker run -d` (again
// judged harmless by its collector), and skaffold (before its fix, skaffold#2355) pulling a
// Dockerfile stage named `base` as the image `library/base`: the log shows only Docker Hub's
// `UNAUTHORIZED: authentication required` for that pull, which the engine answers as a missing login.
// Set 19's is an Unraid syslog: the kernel's memory-cgroup OOM kill in a container's cgroup
// (`oom_memcg=/docker/<id>`), which the classic builder's RUN containers share with running ones; the
// collector's container was a running app (ffprobe in Jellyfin), the engine answers build-out-of-memory.
// Set 21's is grype 0.47 asking the daemon to pull a local image by its ID: the daemon's `pull
// access denied for 5428983d1a2b, repository does not exist` is what the engine answers
// (image-not-found); the collector traced it to the scanner's regression.
// Set 23's was `apt-get update` failing in a RUN step (`E: Problem executing scripts
// APT::Update::Post-Invoke`) under Docker < 20.10.9, whose seccomp profile refuses newer glibc's
// syscalls: labelled none for want of a rule, it now has one (engine-seccomp-outdated) and that label.
// Set 24's are two Windows builds whose RUN steps failed for the host's sake: msbuild in a .NET
// Framework image on a host missing a Windows update, and every RUN returning 4294967295 under the
// experimental Linux-containers-on-Windows; the logs show only the failed step, which the engine answers.
// Set 22's V8 `Fatal error in , line 0 / unreachable code` on Raspbian buster (zwave-js-ui) was labelled
// none for want of a rule; its thread settles the host's old libseccomp, and set 38 brought the rule
// (engine-seccomp-outdated, v8-unreachable-arm32): it now has that label.
// Set 39's is set 13's again: Docker's platform warning on an M1, then bundler's own lockfile error in
// the container that ran under emulation; the collector judged the warning harmless (deleting
// Gemfile.lock fixed it), the engine answers platform-mismatch from the warning.
// Set 29's is a single line of a RUN step, emsdk's `Error: Downloading URL '…': HTTP Error 404`, that
// emsdk survives by falling back to another archive: pasted alone, nothing says the step went on.
// Set 47's two are its first look's: Docker's platform warning over a program that then ran (as set
// 13's and 18's), and runc's bare `exec user process caused "no such file or directory"` for an
// entrypoint whose interpreter (dumb-init) the base image lacks, which 12 of the 13 fresh logs holding
// those words owe to CRLF line endings: the answer names the missing interpreter as its other cause.
// Set 49's two: a report generator killed inside a running pod, shown by `kubectl logs` (whose output
// may as well be a kaniko build's, so a logs command does not mark run time), and containerlab's own
// `failed to create node c2: context deadline exceeded` after a pull that finished (a bare Go deadline
// is the network often enough: BuildKit's `DeadlineExceeded` on a slow registry says the same).
// Set 50's two are the same words at container start, for a script whose interpreter is missing: runc's
// bare `exec user process caused "no such file or directory"` (bash not in the image) and `exec
// <script>.sh: no such file or directory` (a `#!/bin/env` shebang). Across the fresh sets CRLF is the
// cause in 14 of 16 logs with the first wording and 18 of 19 with the second.
// Set 53's: the same runc wording for a Go binary linked against a libc the image lacks (CRLF in 14 of
// the 17 fresh logs with it).
// Set 56's: an ONBUILD RUN of cypress/factory that exits 127 inside a build: every line says a RUN step
// failed, and it did; the thread traced it to Dockerfile frontend 1.12 re-running the parent's triggers.
// Set 59's: Helm 3.18's push answered `401: Unauthorized` by quay.io after `helm registry login`: read as
// a missing login; the reporter traced it to Helm asking for a token without the push scope (a client bug).
// Set 60's: runc's bare `exec user process caused "no such file or directory"` again, for a published
// image built wrong (the maintainer pushed a fixed one).
// Set 62's: Docker's platform warning over an arm32v7 Fluent Bit image that then ran under emulation
// (set 47's first alarm again: nothing failed).
const KNOWN_ALARMS: Record<string, string[]> = {
  // (git and apt on a host, no Docker involved, failing to resolve a public host: the resolver's words name
  // their cause, `names-cause`, and the same words inside a container are labelled the network by later sets)
  "set-7": ["none--git-clone-dns-stormbreaker.log", "none--git-clone-offline-ghost.log"],
  "set-10": ["none--rpanion-apt-dns-host.log"],
  // (a native `make -j` on a Pi 3, no Docker involved: the compiler's own OOM words name the cause, `names-cause`)
  "set-13": ["none--openplayground-amd64-warning-runs.log", "none--box64-pi3-cc1-killed.log"],
  "set-16": ["none--docker1703-multistage-unsupported.log"],
  "set-18": ["none--open-webui-platform-warning-container-runs.log", "none--skaffold-stage-name-pulled-as-image.log"],
  "set-19": ["none--unraid-jellyfin-runtime-memcg-oom-ffprobe.log"],
  "set-21": ["none--grype-0470-local-image-id-pull-denied.log"],
  "set-24": ["none--framework-sdk-msbuild-fails-host-not-patched-kb4542617.log", "none--lcow-run-exit-4294967295-mattermost.log"],
  "set-29": ["none--emsdk-arm64-xz-404-fallback.log"],
  "set-39": ["none--jekyll-docker-bundler-lockfile-on-m1.log"],
  "set-47": ["none--memgraph-m1-platform-warning-works.log", "none--fluentd-daemonset-dumb-init-missing.log"],
  "set-49": ["none--allure-docker-service-allure-generate-killed.log", "none--containerlab-create-node-deadline.log"],
  "set-50": ["none--docker-ckan-no-bash-standard-init.log", "none--doris-be-init-script-bin-env-shebang.log"],
  "set-53": ["none--hydra-dynamic-binary-no-such-file.log"],
  "set-56": ["none--cypress-factory-onbuild-multistage-frontend-bug.log"],
  "set-59": ["none--helm-318-push-quay-missing-scope-401.log"],
  "set-60": ["none--fake-gcs-server-broken-hub-image.log"],
  "set-62": ["none--fluent-bit-arm32v7-emulated-run-works.log"],
  // runc's bare `exec /opt/entrypoint.sh: no such file or directory` for a script the image never had
  // (the project's compose file mounts it): words most fresh logs holding them owe to CRLF
  "set-66": ["none--jmeter-starterkit-entrypoint-mounted-by-compose.log"],
  // the same bare words once more, for a binary built without the static flags (its loader missing)
  "set-68": ["none--cortex-dynamic-binary-alpine-no-such-file.log"],
  // Docker's platform warning alone, over an amd64 image that then did its work on an M1 (set 47's
  // first alarm again: 75 fresh logs holding only that warning are the mismatch the user asked about)
  "set-69": ["none--p4a-image-amd64-on-m1-warning-only.log"],
  // a Node app in a container asking for a Docker socket nobody mounted (`connect ENOENT
  // /var/run/docker.sock`): the engine answers that no daemon is reachable, the collector an app setting
  "set-72": ["none--uptime-kuma-docker-host-monitor-sock-enoent.log"],
  // a hosted ML platform's CLI (NSML) relaying its server's `Docker daemon error` / `Internal server
  // error`: a 5xx near Docker's name, read as a registry's; nothing in the paste says whose server it was
  "set-77": ["none--nsml-run-session-docker-daemon-internal-server-error.log"],
  // runc's bare `exec user process caused: no such file or directory` once more, for a generated
  // Dockerfile that left the runtime's files out of the image (words most fresh logs owe to CRLF)
  "set-78": ["none--dartfn-container-missing-runtime.log"],
  // Docker's platform warning alone on an M1, over an amd64 image the maintainer says runs fine (set 47's
  // first alarm again)
  // The second: Docker 29's containerd snapshotter losing a blob of its own store on every pull, even
  // on a wiped store (a Docker bug, labelled none); the answer (the image store lists a blob it no
  // longer has; on a clean store, a Docker bug: turn the containerd image store off) is the reporter's fix.
  "set-79": ["none--prairielearn-m1-platform-warning-only.log", "none--containerd-snapshotter-pull-content-digest-not-found.log"],
  // Set 80's three: Docker's platform warning over an amd64 tool whose own REST call then got a 401 (the
  // warning read, set 47's first alarm again); BuildKit 0.11.0's push bug, `failed to copy: io:
  // read/write on closed pipe`, which the answer names (a connection closed mid-layer; BuildKit before
  // 0.11.2 neither retried nor reported why: upgrade) under the network's rule; and Helm 3.13.0's push
  // regression answered by ECR with `401 Unauthorized`, read as a missing login.
  "set-80": ["none--artifactory-cleanup-container-401-with-platform-warning.log", "none--ghcr-push-read-write-closed-pipe-buildkit-0.11.0.log", "none--helm-3.13-push-public-ecr-head-401-debug.log"],
  // Set 81's two: runc's bare `exec user process caused: no such file or directory` for Go binaries built
  // with CGO into scratch-like images (no dynamic loader), words the set's own CRLF log holds too.
  "set-81": ["none--aws-asg-roller-cgo-scratch.log", "none--scratch-cgo-binary-no-such-file.log"],
  // Set 82's: Kamal building Rails 7.1's Dockerfile, `unknown flag: link` from a registry mirror's stale
  // docker/dockerfile:1, answered by buildkit-required's old-frontend-image (the right fix; no label
  // in the collectors' list names an old frontend image).
  "set-82": ["none--rails-kamal-copy-link-stale-mirror-frontend.log"],
  // Set 83's: an ECR push refused with `403 Forbidden`, which the maintainers traced to the repository's
  // image limit (a quota the words do not name), answered as the denied push they say.
  "set-83": ["none--ecr-push-403-image-limit.log"],
  // Set 85's two: every RUN on a Windows Server 2019 prerelease's LCOW failing with `returned a non-zero
  // code: 4294967295` (an engine bug, in a failed step's words), and pack's builder image "does not exist on
  // the daemon" under Docker Desktop's containerd image store (pulled, but pack cannot see it there).
  "set-85": ["none--lcow-winserver2019-every-run-fails.log", "none--pack-build-containerd-store-builder-not-on-daemon.log"],
  // (runc's bare `exec user process caused "no such file or directory"`, read as CRLF as most such logs
  // are; here the published image itself was broken)
  "set-88": ["none--terraform-light-image-exec-no-such-file.log"],
  // (Rosetta unable to load an x86-64 tool in an arm64 image, `rosetta error: failed to open elf at
  // /lib64/ld-linux-x86-64.so.2`: read as the emulator's missing loader, labelled the SDK's own gap)
  // (and Deno in an old Alpine package asking a registry host that never existed: its `error sending request for
  // url (…): dns error` reads as the network, the cause was Deno's bug)
  "set-89": ["none--cirrus-android-sdk-aapt2-rosetta-kmp.log", "none--singlefile-deno-staging-registry.log"],
  // (runc's `exec user process caused: no such file or directory` for a CGO binary in a scratch image:
  // read as CRLF, as 12 of the 13 fresh logs holding those words are)
  "set-90": ["none--scratch-cgo-binary-no-such-file.log"],
  // the classic builder's verdict on a RUN step whose command succeeded, the LCOW engine failing to shut
  // the step's utility VM down after it (`returned a non-zero code: 4294967295: failed to shutdown container`)
  "set-91": ["none--lcow-run-hcsshim-waitbackground.log"],
  // (Docker 1.13 reading `FROM ubuntu:bionic as openbmc-base` as one image name: the engine-too-old answer of
  // invalid-reference, which the collector labelled none since no label names an old engine)
  "set-94": ["none--multistage-as-on-docker-1.13-jenkins.log"],
  // (runc's `exec user process caused: exec format error` in the Amazon Genomics CLI's engine log: the job
  // definition ran the workflow's zip file, which the words cannot tell from a wrong-architecture binary)
  "set-95": ["none--agc-nextflow-engine-job-runs-zip-exec-format.log"],
  // (runc's `exec user process caused "no such file or directory"` alone, or over busybox's `sh: /eliotd: not
  // found`, for cgo-linked Go binaries: read as CRLF, whose answer now names the missing loader too; and
  // kaniko's `copy failed: no source files specified` for a wildcard `COPY --from`, which the maintainers
  // called kaniko's bug: the words are a missing source's)
  "set-97": ["none--eliot-cgo-binary-linuxkit.log", "none--mittens-scratch-image-cgo.log", "none--kaniko-gitlab-copy-from-wildcard-bug.log"],
  // (Docker's platform warning alone, which the reporter said the container runs past; COPY's `When using COPY with
  // more than one source file, the destination must be a directory and end with a /`, read as the Dockerfile's
  // mistake, which the collector labelled the Gradle build's two jars; podman's RUN step whose container runc could
  // not set up on a cgroup v2 host, read as the step's failure; a native JVM's SIGILL in a RUN step on an M4 Mac,
  // fixed by a Docker Desktop upgrade, read as the step's failure)
  "set-98": ["none--kafdrop-platform-warning-still-runs.log", "none--log4shell-copy-two-jars-to-file.log", "none--podman-build-runc-cgroupv2-mountpoint.log", "none--support-diagnostics-m4-jvm-sigill.log"],
  // (x11docker's `invalid reference format: repository name must be lowercase` where openSUSE's Docker package
  // lacked docker-init: the words are an invalid reference's, the cause a missing binary; testcontainers-python
  // 4.11 looking for the daemon's socket where there is none, under pytest: the words are a missing socket's, the
  // cause the library's regression, which the answer's first check, the socket path, finds)
  "set-100": ["none--x11docker-docker-init-missing.log", "none--tc-python-4-11-socket-regression.log"],
  // (buildx 0.9.0's bake regression that printed `failed to read dockerfile: open …: no such file or directory`
  // for a Compose file's build: the words are a missing Dockerfile's, the cause the release's bug; runc's bare
  // `exec user process caused "no such file or directory"` for a dynamically linked Go binary in a scratch
  // image, read as CRLF: the ambiguity set 53's note describes)
  "set-104": ["none--buildx-090-bake-compose-read-dockerfile.log", "none--go-micro-scratch-dynamic-binary.log"],
  // (PetaLinux's installer answering `ERROR: Invalid options` in a classic RUN step, then run again with `-d`
  // and going on with its own INFO lines, which no builder marker shows: read as the step's last word)
  "set-105": ["none--petalinux-docker-invalid-options-then-ok.log"],
  // (Docker's platform warning pasted alone where nothing failed, which most fresh sets label platform-mismatch;
  // runc's bare `exec /entrypoint.py: no such file or directory` for a script whose shebang names a missing python)
  "set-106": ["none--did-webs-resolver-m1-warning-rosetta-question.log", "none--fastapi-mongodb-m1-platform-warning-only.log", "none--doorman-esphome-build-action-entrypoint-shebang.log"],
  // (a compose "file" that was a saved HTML page with CRLF line endings: bash's `$'\r': command not found` is true)
  "set-107": ["none--nightscout-rpi-docker-compose-is-html.log"],
  // (the platform warning alone once more; Node's ECONNREFUSED to Chrome's DevTools port from a CI job, its address
  // broken by a pasted link, read as the network)
  "set-108": ["none--llocalsearch-platform-warning-only.log", "none--jest-puppeteer-docker-chromium-refused.log"],
  // (a Deno app in a running container that cannot resolve host.docker.internal, labelled none as the app's
  // configuration; the answer, map the name to the host gateway, is that configuration's fix)
  "set-117": ["none--fount-deno-host-docker-internal.log"],
  // (a classic RUN step's `apt-get install` whose mariadb-server postinst failed under Docker 1.6, fixed by
  // Docker 1.7: the words are the step's failure, the cause an engine too old, which has no label of its own)
  "set-120": ["none--ispconfig-mariadb-old-docker-1-6.log"],
  // (a Windows RUN step whose powershell.exe could not load on that host after an image update, exit 3221225781,
  // read as the step's failure; runc's bare `exec user process caused "no such file or directory"` for a musl
  // binary still linked dynamically in a scratch image, read as CRLF: the ambiguity set 53's note describes)
  "set-121": ["none--iis-docker-powershell-dll-not-found.log", "none--musl-scratch-dynamic-openssl.log"],
  // (COPY's `When using COPY with more than one source file, the destination must be a directory and end with a
  // /` for a wildcard that matched Spring Boot's two jars: read as the Dockerfile's mistake, as set 98's)
  "set-122": ["none--stratospheric-copy-two-jars.log"],
  // a kaniko 1.7.0 regression refusing GCR's push check in Cloud Build: the words are a missing login's
  "set-123": ["none--kaniko-170-gcr-push-unauthorized.log"],
  // (Docker 1.13's `invalid reference format` for a multi-stage `FROM … AS` it predates: the brief labels an
  // engine too old for the Dockerfile none, the words are a reference's)
  "set-125": ["none--reaction-platform-old-engine-multistage-as.log"],
  // (make's `Error 137` for a `docker exec` of Django's migrate, fixed by opening the Mongo volume's permissions: a
  // SIGKILL reported by make is the OOM killer's in most builds, and nothing in the paste says otherwise)
  "set-127": ["none--newsblur-migrate-error-137-mongo-perms.log"],
  // (a classic RUN step whose container had no /bin/sh to start, in a base image the reporter built himself: the
  // answer, the image has no shell, is the maintainer's suspicion; the collector labelled a broken base image none)
  "set-129": ["none--civicrm-buildkit-base-image-no-bin-sh.log"],
  // (Docker's platform warning for an image whose config says amd64 while its files are armv7: the container
  // ran, but only the commenter's look into the image's metadata shows the warning was wrong)
  "set-132": ["none--balenalib-rpi3-cosmetic-platform-warning.log"],
  // (Nomad's podman driver pulling a locally built `localhost/app` image it should have found in its store: the
  // refused `localhost:80` reads as a registry the builder cannot reach; the maintainers call it the driver's bug)
  "set-133": ["none--nomad-podman-driver-pulls-local-image.log"],
  // (runc's one-line `exec user process caused "no such file or directory"` for a dynamically linked Go binary in
  // Alpine or scratch, twice: the same words as a CRLF shebang's, and the engine's medium CRLF answer names both;
  // and a Docker older than 17.05 reading `FROM … AS dev` as one image name, the old-engine answer the brief files as none)
  "set-138": ["none--gin-alpine-dynamic-binary.log", "none--reva-scratch-dynamic-binary.log", "none--old-engine-multistage-as-flask.log"],
  // (dockle after the engine's upgrade to 25 reading a local image through the daemon and getting `requested access to
  // the resource is denied`: the image was there, the tool's own bug; the words are a missing image's)
  "set-140": ["none--dockle-cannot-read-local-image-after-docker-25.log"],
};
// Sets that came back short of the size above, kept as floors all the same (they are real logs),
// never as the README's headline. Set 22's four collectors stopped at 74 logs (56 with a known cause,
// 18 without): the search excerpts they worked from held no long CI logs to cut more from. Set 32's
// five stopped one known-cause log short (59 with a known cause, 26 without). Sets 35 and 40 came back
// short when the search budget ran out during their collection, set 49 because three of its six niches
// (nonprofit CRMs, design tools, bug trackers) held few settled logs in the stored issues. Sets 67,
// 71, 76, 90, 100, 105, 110, 115 and 119 came back short when the search budget ran out during their collection,
// set 129 when its nine collectors found few settled logs left in niches earlier sets had mined, set 131 (three
// collectors on the session's last twenty look-ups each) when its niches were mined too, set 135 (a Kamal
// collector on twenty-two look-ups, and one that read only the locally mirrored Rinha de Backend repositories,
// none of whose remaining failures had a label not yet taken from them) for the same reason, and set 136 (two
// collectors, self-hosted registries and rootless or hardened daemons, on twenty-four look-ups each) too, and set 140
// (six collectors on the session's last twenty look-ups each, in niches earlier sets had mined) as well.
const SHORT_SETS: Record<string, string> = { "set-140": "39 known / 21 none", "set-136": "10 known / 8 none", "set-135": "7 known / 1 none", "set-131": "14 known / 9 none", "set-129": "44 known / 30 none", "set-119": "25 known / 26 none", "set-115": "38 known / 23 none", "set-110": "55 known / 27 none", "set-105": "41 known / 27 none", "set-100": "44 known / 28 none", "set-90": "41 known / 30 none", "set-22": "57 known / 17 none", "set-32": "59 known / 26 none", "set-35": "54 known / 28 none", "set-40": "49 known / 32 none", "set-49": "46 known / 38 none", "set-67": "54 known / 35 none", "set-71": "43 known / 34 none", "set-76": "34 known / 32 none" };
const HEADER = /^(?:# (?:source|why):[^\n]*\n)+/;
// Logs whose answer ~3 000 lines of benign chatter around them changes, each for a reason of the
// paste itself: a step's last word that the chatter after it seems to continue (a classic builder's
// cut paste has no boundary but its end), and a one-line paste exactly a terminal's width long, which
// the wrap repair joins to the chatter's next line.
const NOISE_SENSITIVE = new Set([
  "set-10/copy-source-not-found--spliit-next-config.log",
  "set-23/image-not-found--clickhouse-server-tag-not-found.log",
  "set-47/run-step-failed--raintank-influxdb-setup-script.log",
  "set-63/run-step-failed--rocketchat-official-image-gpg-bad-signature.log",
  "set-64/run-step-failed--casbin-server-protoc-proto-missing.log",
  // (make's `cc: No such file or directory` as a classic step's last word)
  "set-75/run-step-failed--libbpf-bootstrap-make-no-cc.log",
  // (a Compose v1 classic verdict exactly 140 columns long, which the wrap repair joins to the next line)
  "set-83/build-out-of-memory--mirror-leech-bot-pip-137.log",
  // (a classic `COPY failed: stat …` cut by the paste at exactly 80 columns: the wrap repair joins the
  // chatter's next line onto the path, as it would the path's real rest)
  "set-97/copy-source-not-found--draft-centos-copy-json-comma.log",
]);

describe.each(Object.keys(FLOORS))("fresh set %s", (set) => {
  const dir = join(root, set);
  const rows = readdirSync(dir)
    .filter((f) => f.endsWith(".log"))
    .sort()
    .map((file) => {
      const log = readFileSync(join(dir, file), "utf8").replace(HEADER, "");
      const top = builtinEngine().diagnose(log).diagnoses[0];
      const confident = top?.confidence === "high" || top?.confidence === "medium";
      return { file, log, expected: file.split("--")[0]!, got: top?.ruleId ?? "none", confident };
    });
  const positives = rows.filter((r) => r.expected !== "none");
  const negatives = rows.filter((r) => r.expected === "none");

  it.skipIf(set in SHORT_SETS)("holds at least 60 logs with a known cause and 20 without", () => {
    expect(positives.length).toBeGreaterThanOrEqual(60);
    expect(negatives.length).toBeGreaterThanOrEqual(20);
  });

  it("keeps its strict score at or above its floor", () => {
    const right = positives.filter((r) => r.confident && r.got === r.expected).length;
    expect(right / positives.length).toBeGreaterThanOrEqual(FLOORS[set]!);
  });

  it("gives the same first answers when each log is buried in ~3 000 benign lines", () => {
    const changed = rows.flatMap((r, i) => {
      if (NOISE_SENSITIVE.has(`${set}/${r.file}`)) return [];
      const top = builtinEngine().diagnose(buryInNoise(r.log, i)).diagnoses[0];
      const confident = top?.confidence === "high" || top?.confidence === "medium";
      // (the rule must stay; a confident answer must stay confident: chatter with BuildKit progress
      // may make a bare paste recognisably Docker's, and so more confident)
      return (top?.ruleId ?? "none") !== r.got || (r.confident && !confident) ? [`${r.file}: ${r.got} -> ${top?.ruleId ?? "none"}`] : [];
    });
    expect(changed).toEqual([]);
  });

  it("is confident on at most 2 % of the logs with no known cause", () => {
    const known = new Set(KNOWN_ALARMS[set] ?? []);
    const alarms = negatives.filter((r) => r.confident && !known.has(r.file)).map((r) => `${r.file}: ${r.got}`);
    expect(alarms.length / negatives.length, alarms.join("\n")).toBeLessThanOrEqual(0.02);
  });
});
