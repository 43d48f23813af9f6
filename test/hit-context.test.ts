// Context per hit: the same words in a RUN step's output, at a container's start, or after an
// explicit --platform mean different causes.
import { describe, expect, it } from "vitest";
import { StepTracker } from "../src/engine/context.js";
import { cleanLine } from "../src/engine/normalize.js";
import { builtinEngine } from "./helpers/engine.js";

const diagnose = (log: string) => builtinEngine().diagnose(log);

describe("exec format error split by context", () => {
  it("inside a RUN step's timed output: a missing emulator, never 'rebuild for the host arch'", () => {
    const r = diagnose(`#7 [linux/arm64 3/5] RUN apk add --no-cache curl
#7 0.215 exec /bin/sh: exec format error
#7 ERROR: process "/bin/sh -c apk add --no-cache curl" did not complete successfully: exit code: 1`);
    expect(r.diagnoses[0]?.ruleId).toBe("qemu-binfmt-missing");
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("exec-format-error");
  });

  it("after s6-overlay booted the container (its bracketed stages), a start script's words are the container's", () => {
    const boot = "[cont-init.d] done.\n[services.d] starting services\n[services.d] done.\n";
    const line = "./run: line 15: /usr/bin/rbfeeder: cannot execute binary file: Exec format error";
    expect(diagnose(boot + line).diagnoses[0]).toMatchObject({ ruleId: "exec-format-error", confidence: "medium" });
    // (the same words with no container around them are anyone's: low)
    expect(diagnose(line).diagnoses[0]?.confidence).toBe("low");
    // (and a RUN step's timed output stays the step's, s6 lines above or not)
    const step = `${boot}#7 [linux/arm64 3/5] RUN /usr/bin/rbfeeder --version\n#7 0.215 ${line}\n#7 ERROR: process "/bin/sh -c /usr/bin/rbfeeder --version" did not complete successfully: exit code: 126`;
    expect(diagnose(step).diagnoses[0]?.ruleId).toBe("qemu-binfmt-missing");
  });

  it("at container start: the image is for another architecture", () => {
    const r = diagnose(`$ docker run --rm ghcr.io/acme/tool:1.2
exec /usr/local/bin/tool: exec format error`);
    expect(r.diagnoses[0]?.ruleId).toBe("exec-format-error");
  });

  it("in BuildKit's tty view (timed lines without #N) it is still a RUN step", () => {
    const r = diagnose(`=> ERROR [linux/arm64 2/4] RUN npm ci
------
 > [linux/arm64 2/4] RUN npm ci:
0.181 exec /bin/sh: exec format error
------`);
    expect(r.diagnoses[0]?.ruleId).toBe("qemu-binfmt-missing");
  });
});

describe("whose words they are", () => {
  it("a shell's `cannot execute binary file` on a host is anyone's binary: never confident alone", () => {
    const r = diagnose(`$ sudo dpkg -i tool-linux-armv7.deb
-bash: /usr/bin/tool: cannot execute binary file: Exec format error`);
    expect(["low", undefined]).toContain(r.diagnoses[0]?.confidence);
  });

  it("the container runtime's words are Docker's own, even pasted alone", () => {
    const r = diagnose("standard_init_linux.go:211: exec user process caused \u201cexec format error\u201d");
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "exec-format-error", confidence: "medium" });
  });

  it("BuildKit names a step after its platform only when platforms were given: an explicit platform", () => {
    const r = diagnose(`#15 [linux/arm64 build 4/4] RUN npm ci
#15 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 132`);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "qemu-emulation-crash", confidence: "medium" });
    expect(r.diagnoses[0]?.facts.targetPlatform).toBe("linux/arm64");
  });

  it("the Engine API (`/v1.24/` on :2376) is the daemon, not a registry: its certificate error is not registry-tls", () => {
    const line = "An error occurred trying to connect: Post https://build-host:2376/v1.24/images/create?fromImage=app&tag=latest: x509: certificate has expired or is not yet valid";
    expect(diagnose(line).diagnoses.map((d) => d.ruleId)).not.toContain("registry-tls");
    // the same words on a registry's /v2/ request still are
    const registry = diagnose('Error response from daemon: Get "https://registry.example.com/v2/": x509: certificate has expired or is not yet valid');
    expect(registry.diagnoses[0]).toMatchObject({ ruleId: "registry-tls", confidence: "high" });
  });

  it("the v1 login endpoint marks a registry request, so its certificate error is confident", () => {
    const r = diagnose("HTTPS ERROR: Get https://registry.example.com/v1/users/: x509: certificate signed by unknown authority");
    expect(r.diagnoses[0]?.ruleId).toBe("registry-tls");
    expect(r.diagnoses[0]?.confidence).not.toBe("low");
  });
});

describe("step headers give the failing step's context", () => {
  it("buildah numbers the stages before the step (`[1/3] STEP 2/2: RUN`): still a RUN step", () => {
    const log = ["[1/3] STEP 2/2: RUN apk --update add ca-certificates", "exec container process `/bin/sh`: Exec format error", 'Error: error building at STEP "RUN apk --update add ca-certificates": while running runtime: exit status 1'].join("\n");
    expect(builtinEngine().diagnose(log).diagnoses[0]?.ruleId).toBe("qemu-binfmt-missing");
  });

  it("a 404 while loading metadata is a missing image; inside a RUN step it is not", () => {
    const pull = diagnose(`#3 [internal] load metadata for registry.acme.io/base/jdk:21
#3 ERROR: unexpected status from HEAD request to https://registry.acme.io/v2/base/jdk/manifests/21: 404 Not Found`);
    expect(pull.diagnoses[0]).toMatchObject({ ruleId: "image-not-found", confidence: "medium" });
    const step = diagnose(`#9 [4/7] RUN curl -fsSLO https://example.org/tool-1.2.tar.gz
#9 0.512 curl: (22) The requested URL returned error: 404 Not Found
#9 ERROR: process "/bin/sh -c curl -fsSLO https://example.org/tool-1.2.tar.gz" did not complete successfully: exit code: 22`);
    expect(step.diagnoses.map((d) => d.ruleId)).not.toContain("image-not-found");
  });

  it("a header of another step does not leak into this step's lines", () => {
    const r = diagnose(`#5 [internal] load metadata for docker.io/library/node:20
#5 DONE 0.4s
#8 [2/4] RUN wget https://example.org/missing.tgz
#8 0.300 ERROR 404: Not Found.
#8 ERROR: process "/bin/sh -c wget https://example.org/missing.tgz" did not complete successfully: exit code: 8`);
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("image-not-found");
  });
});

describe("an explicit --platform at container start", () => {
  it("asks for emulation: a missing emulator, not a wrong-arch image", () => {
    const r = diagnose(`$ docker run --rm --platform linux/arm64 alpine:3.20 uname -m
exec /bin/uname: exec format error`);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "qemu-binfmt-missing", variant: "emulated-run" });
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("exec-format-error");
  });
});

describe("registry requests and other builders' step headers", () => {
  it("under `docker compose up`, a line naming its registry request is the pull, not the container's start", () => {
    const r = diagnose(`$ docker compose up --build
Error response from daemon: Get "https://registry-1.docker.io/v2/": context deadline exceeded`);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "network-failure", confidence: "medium" });
  });

  it("docker-compose v1's `Pulling db (image)...` opens a pull: the registry's bare `name unknown` is a missing image", () => {
    const r = diagnose(`$ docker-compose up
Pulling db_migrate (ghcr.io/samvera/dassie:)...
ERROR: name unknown`);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "image-not-found", confidence: "medium" });
    // a service's own output that happens to say `Pulling x (y)...` mid-run is no header when cased otherwise
    expect(diagnose("pulling db_migrate (ghcr.io/samvera/dassie:)...\nERROR: name unknown").diagnoses[0]?.ruleId).not.toBe("image-not-found");
  });

  it("a host command's failure at its own prompt is not read as the Docker command's below it", () => {
    const host = diagnose(`C:\\Users\\me\\bot>curl https://raw.githubusercontent.com/acme/bot/main/docker-compose.yml -o docker-compose.yml
curl: (35) schannel: next InitializeSecurityContext failed: Unknown error (0x80092012) - The revocation function was unable to check revocation for the certificate.

C:\\Users\\me\\bot>docker-compose pull
ERROR: Can't find a suitable configuration file in this directory or any parent.`);
    expect(host.diagnoses[0]?.confidence ?? "low").toBe("low");
    // the same error under the docker command's own prompt is Docker's
    const docker = diagnose(`me@box:~/bot$ docker compose pull
Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout`);
    expect(docker.diagnoses[0]).toMatchObject({ ruleId: "network-failure" });
    expect(docker.diagnoses[0]?.confidence).not.toBe("low");
  });

  it("ends the docker command at a prompt that runs another program: its output is the host's", () => {
    const host = diagnose(`me@box:~/app$ docker compose up -d
[+] Running 2/2
 ✔ Container app-db-1   Started
me@box:~/app$ curl -fsSLO https://example.com/seed.sql
curl: (6) Could not resolve host: example.com`);
    expect(host.diagnoses[0]?.confidence ?? "low").toBe("low");
    // the next docker command opens a new one
    const again = diagnose(`me@box:~/app$ curl -fsSLO https://example.com/seed.sql
me@box:~/app$ docker pull registry.example.com/app:1.2
Error response from daemon: Get "https://registry.example.com/v2/": dial tcp: lookup registry.example.com on 127.0.0.53:53: no such host`);
    expect(again.diagnoses[0]).toMatchObject({ ruleId: "network-failure" });
    expect(again.diagnoses[0]?.confidence).not.toBe("low");
  });

  it("reads yarn's `$ <script>`, zsh's git segment and a container's own prompt as no host command", () => {
    const yarn = diagnose(`Status: Downloaded newer image for myorg/web:latest
yarn run v1.22.19
$ node scripts/fetch-data.js
Error: getaddrinfo EAI_AGAIN api.github.com`);
    expect(yarn.diagnoses[0]?.confidence).not.toBe("low");
    const zsh = diagnose(`➜  shop git:(main) ✗ docker-compose exec php composer install
Installing dependencies from lock file (including require-dev)
    Failed to download symfony/console from dist: curl error 6 while downloading https://api.github.com/repos/symfony/console/zipball/abc: Could not resolve host: api.github.com`);
    expect(zsh.diagnoses[0]?.confidence).not.toBe("low");
    const container = diagnose(`PS C:\\Users\\me> docker.exe run -it --rm ubuntu:22.04 bash
root@4f3c2b1a0e9d:/# apt-get update
Err:1 http://archive.ubuntu.com/ubuntu jammy InRelease
  Temporary failure resolving 'archive.ubuntu.com'`);
    expect(container.diagnoses[0]?.confidence).not.toBe("low");
  });

  it("kaniko's `INFO[0009] RUN ...` opens a RUN step: a download timeout in it is the network", () => {
    const r = diagnose(`INFO[0001] Retrieving image manifest python:3.12-slim
INFO[0009] RUN pip install -r requirements.txt
  WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ConnectTimeoutError(<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>, 'Connection to pypi.org timed out. (connect timeout=15)')': /simple/fastapi/
error building image: error building stage: failed to execute command: waiting for process to exit: exit status 1`);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "network-failure", confidence: "high" });
  });

  it("a builder's step lines near generic words make them the build's: buildah's `STEP 8: RUN`, kaniko's clocked lines", () => {
    const timeout = "error: dial tcp 151.101.0.223:443: i/o timeout\n...\nSTEP 8: RUN go mod download";
    expect(diagnose(timeout).diagnoses[0]?.ruleId).toBe("network-failure");
    expect(diagnose(timeout).diagnoses[0]?.confidence).not.toBe("low");
    // (alone, and under a CI tool's own `Step 8: Run tests`, the same generic words stay unconfident; a package
    // manager's own failed download, gpg's keyserver lookup, names its cause alone: `names-cause`)
    expect(diagnose("error: dial tcp 151.101.0.223:443: i/o timeout").diagnoses[0]?.confidence).toBe("low");
    expect(diagnose("error: dial tcp 151.101.0.223:443: i/o timeout\nStep 8: Run tests").diagnoses[0]?.confidence).toBe("low");
    expect(diagnose("gpg: keyserver receive failed: No name").diagnoses[0]?.confidence).toBe("medium");
    const kaniko = "Build Error: Out of Memory\nYour build job failed because it was out of memory.\n\napp | 18:47:21 INFO[1231] COPY . .\napp | 18:47:21 INFO[1231] Taking snapshot of files...";
    expect(diagnose(kaniko).diagnoses[0]?.ruleId).toBe("build-out-of-memory");
    expect(diagnose(kaniko).diagnoses[0]?.confidence).not.toBe("low");
  });

  it("a build that finished above a hit owns nothing below it: the container it started, a later task", () => {
    const podman = "STEP 6/6: CMD [\"node\", \"server.js\"]\nCOMMIT myapp_web\n--> 0c1d2e3f4a5b\nSuccessfully tagged localhost/myapp_web:latest\nServer listening on port 3000\nError: getaddrinfo ENOTFOUND db";
    expect(diagnose(podman).diagnoses[0]?.confidence).toBe("low");
    const tekton = [
      "[build-image : build-and-push] INFO[0019] Taking snapshot of full filesystem...",
      "[build-image : build-and-push] INFO[0041] Pushing image to registry.example.com/orders/api:latest",
      `[build-image : build-and-push] INFO[0044] Pushed registry.example.com/orders/api@sha256:${"9a1f".repeat(16)}`,
      "[integration-test : run] go test ./integration/...",
      "[integration-test : run]     orders_test.go:31: dial tcp: lookup orders-db on 172.30.0.10:53: no such host",
    ].join("\n");
    expect(diagnose(tekton).diagnoses[0]?.confidence).toBe("low");
    // (kaniko's mid-build cache push is no end of the build)
    const cached = [
      "[build : kaniko] INFO[0024] Pushing layer registry.example.com/web/cache:9b1e44c3a0d2 to cache now",
      "[build : kaniko] INFO[0024] Pushing image to registry.example.com/web/cache:9b1e44c3a0d2",
      `[build : kaniko] INFO[0026] Pushed registry.example.com/web/cache@sha256:${"7777".repeat(16)}`,
      "[build : kaniko] INFO[0026] RUN curl -fsSLo /tmp/tool.tgz https://dl.example.com/tool.tgz",
      "[build : kaniko] curl: (6) Could not resolve host: dl.example.com",
    ].join("\n");
    expect(diagnose(cached).diagnoses[0]?.confidence).not.toBe("low");
    // (the same error before the push, inside the build, is the build's)
    const during = "INFO[0019] Taking snapshot of full filesystem...\ngo: example.com/x@v1.2.0: dial tcp: lookup proxy.golang.org: no such host";
    expect(diagnose(during).diagnoses[0]?.confidence).not.toBe("low");
  });

  it("an image's docker-entrypoint.sh reporting a line's error is a container starting, not a build step", () => {
    const line = "/usr/local/bin/docker-entrypoint.sh: 11: exec: /app/start.sh: not found";
    const start = diagnose(line).diagnoses[0];
    expect([start?.ruleId, start?.variant]).toEqual(["crlf-line-endings", "start-script-not-found"]);
    // (nginx's own progress lines name no line number: no error, no start context)
    expect(diagnose("/docker-entrypoint.sh: Configuration complete; ready for start up\nexec: /app/start.sh: not found").diagnoses[0]?.variant).not.toBe("start-script-not-found");
    // (the same words in a RUN step's output are the step's)
    const step = diagnose(`#7 [4/5] RUN /usr/local/bin/docker-entrypoint.sh /app/start.sh\n#7 0.301 ${line}`).diagnoses[0];
    expect(step?.variant).not.toBe("start-script-not-found");
    // (nor above a classic builder's verdict: a RUN ran the script, so its error is the step's, not a start's)
    const classic = "/docker-entrypoint.sh: 29: exec: su-exec: Exec format error\nThe command '/bin/sh -c /docker-entrypoint.sh su-exec true' returned a non-zero code: 2";
    expect(diagnose(classic).diagnoses[0]?.ruleId).not.toBe("exec-format-error");
    // (busybox words it `exec: line N:`)
    expect(diagnose("$ docker run --rm myapp\n/usr/local/bin/docker-entrypoint.sh: exec: line 11: /app/start.sh: not found").diagnoses[0]?.variant).toBe("start-script-not-found");
  });

  it("a Kubernetes pod's runtime container ID is no Docker word: an OOMKilled pod is not a build", () => {
    const pod = [
      "$ kubectl get pod ray-head -o yaml | yq '.status.containerStatuses[0].lastState.terminated'",
      "containerID: containerd://0f30d47b321c9d9482bc6b78f2292196f7156194f5d2ea02b12eaeb2b395a1b3",
      "exitCode: 137",
      "reason: OOMKilled",
    ].join("\n");
    expect(diagnose(pod).diagnoses[0]?.confidence).toBe("low");
    // (containerd's own words still are Docker's: a build killed under it)
    expect(diagnose("containerd: task exited: OOMKilled").diagnoses[0]?.confidence).not.toBe("low");
    // the id glued by a wrap repair to the next field is still only an id
    expect(diagnose(pod.replace("\nexitCode", "exitCode")).diagnoses[0]?.confidence).toBe("low");
    // a kaniko executor's pod is the build: its image says so
    const kaniko = pod.replace("exitCode: 137", "image: gcr.io/kaniko-project/executor:v1.23.2\nexitCode: 137");
    expect(diagnose(kaniko).diagnoses[0]?.confidence).not.toBe("low");
    // (not as a CI runner's job image: GitLab's Kubernetes executor names it for a job that may fail before it builds)
    const gitlab = "Using Kubernetes executor with image gcr.io/kaniko-project/executor:v1.9.0-debug ...\nGetting source from Git repository\nfatal: unable to access 'https://gitlab.example.com/grp/app.git/': Could not resolve host: gitlab.example.com";
    expect(diagnose(gitlab).diagnoses[0]?.confidence).toBe("low");
  });

  it("buildah/podman's `STEP N/M: RUN` opens a RUN step", () => {
    const r = diagnose(`STEP 4/8: RUN mkdir -p /opt/app
exec container process \`/bin/sh\`: Exec format error
Error: building at STEP "RUN mkdir -p /opt/app": while running runtime: exit status 1`);
    expect(r.diagnoses[0]?.ruleId).toBe("qemu-binfmt-missing");
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("exec-format-error");
  });
});

describe("a RUN step whose shell is missing", () => {
  it("no /bin/sh is a shell-less image; no /bin/bash under SHELL is an image without bash, not shell-less", () => {
    const run = (shell: string) =>
      diagnose(`Step 3/3 : RUN wget -qO- https://example.com/install.sh | sh\n ---> Running in 7d3a5b9c1e20\nfailed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${shell}": stat ${shell}: no such file or directory: unknown`).diagnoses[0];
    expect(run("/bin/sh")).toMatchObject({ ruleId: "run-step-failed", facts: { variant: "step-no-shell" } });
    expect(run("/bin/bash")?.facts.variant).not.toBe("step-no-shell");
  });
});

describe("an engine older than the image", () => {
  it("curl's resolver thread that cannot start is the engine's seccomp in a RUN step, not on a host", () => {
    const step = diagnose(`#7 [2/4] RUN dnf -y install git
#7 3.412 Curl error (6): Couldn't resolve host name for https://mirrors.fedoraproject.org/metalink?repo=fedora-40&arch=x86_64 [getaddrinfo() thread failed to start]`);
    expect(step.diagnoses[0]).toMatchObject({ ruleId: "engine-seccomp-outdated", confidence: "medium" });
    const host = diagnose("PHP Warning: curl_exec(): CURL error: getaddrinfo() thread failed to start");
    expect(host.diagnoses[0]?.confidence ?? "low").toBe("low");
  });
});

describe("error lines a RUN step survived", () => {
  it("are not the failure when BuildKit's verdict names another one, or the classic builder went on", () => {
    const elsewhere = diagnose(`#6 [2/4] RUN ./fetch.sh
#6 2.3 error: mirror one timed out, trying the next
#6 DONE 4.1s
#8 exporting to image
#8 ERROR: failed to write image layer: zstd: frame checksum mismatch
ERROR: failed to solve: failed to write image layer: zstd: frame checksum mismatch`);
    expect(elsewhere.diagnoses.find((d) => d.ruleId === "run-step-failed" && d.confidence !== "low")).toBeUndefined();
    const wentOn = diagnose(`Step 4/9 : RUN Rscript install.R || true
 ---> Running in 37044e3dc44b
Error in install.package(x) : could not find function "install.package"
Execution halted
Removing intermediate container 37044e3dc44b
 ---> 5f705ddfae63`);
    expect(wentOn.diagnoses.find((d) => d.ruleId === "run-step-failed" && d.confidence !== "low")).toBeUndefined();
  });

  it("a step that ends the excerpt with its program's error line failed there", () => {
    const r = diagnose(`Step 4/7 : RUN pip install -r requirements.txt
 ---> Running in a692c0566ff4
ERROR: Package 'gunicorn' requires a different Python: 2.7.17 not in '>=3.4'`);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
  });
});

describe("a build tool's [ERROR] level and Cloud Build's step containers", () => {
  it("a classic RUN step cut off on a tool's `[ERROR]` line failed there; the same line outside a step stays unconfident", () => {
    const step = diagnose(`Step 5/5 : RUN opam init -y
 ---> Running in 6b922bb95c92
[ERROR] Could not update repository "opam": rsync failed`);
    expect(step.diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium", variant: "step-error-level" });
    const bare = diagnose('[ERROR] Could not update repository "opam": rsync failed');
    expect(bare.diagnoses.filter((d) => d.confidence !== "low")).toEqual([]);
  });

  it("a Cloud Build step is no Docker build: generic words behind its prefix stay unconfident", () => {
    // (most steps run tests or deploys; and its closing `TIMEOUT` / `ERROR: …` lines are Cloud Build's)
    const test = diagnose('Step #2 - "test": Error: connect ECONNREFUSED 127.0.0.1:5432\nFinished Step #2 - "test"');
    expect(test.diagnoses.filter((d) => d.confidence !== "low")).toEqual([]);
    const timeout = diagnose("Starting Step #0\nStep #0: Step 7/9 : RUN npm run build\nStep #0:  ---> Running in 1a2b3c4d5e6f\nStep #0: > next build\nTIMEOUT\nERROR: context deadline exceeded");
    expect(timeout.diagnoses.filter((d) => d.confidence !== "low")).toEqual([]);
    // Docker's own words behind the prefix answer as they would alone
    const pull = diagnose("Step #0: Error response from daemon: manifest for gcr.io/acme/app:v9 not found: manifest unknown: manifest unknown");
    expect(pull.diagnoses[0]).toMatchObject({ ruleId: "image-not-found" });
  });

  it("a Maven `[ERROR]` that the build then went past is not the step's failure", () => {
    const r = diagnose(`Step 4/7 : RUN mvn -B package
 ---> Running in 1f2e3d4c5b6a
[ERROR] npm WARN deprecated core-js@2.6.12: core-js@<3.23.3 is no longer maintained
[INFO] BUILD SUCCESS`);
    expect(r.diagnoses.find((d) => d.ruleId === "run-step-failed" && d.confidence !== "low")).toBeUndefined();
  });
});

describe("review cases of sets 46-47: running steps, carried-on scripts, missing programs", () => {
  const confidentIds = (log: string) => diagnose(log).diagnoses.filter((d) => d.confidence !== "low").map((d) => d.ruleId);

  it("a tty frame's live window is a running step's output, not its failure", () => {
    expect(confidentIds(` => [3/5] RUN ./install.sh   600.2s
 => => # /usr/local/bin/entry.sh: line 12: nvidia-smi: command not found`)).toEqual([]);
  });

  it("Compose's exit line is a running container's, with or without its restart policy", () => {
    expect(confidentIds("reportportal_elasticsearch_1 exited with code 137")).toEqual([]);
    expect(confidentIds("es01-1 exited with code 137 (restarting)")).toEqual([]);
  });

  it("bash's missing program counts only as the step's last word", () => {
    const lines = ["#8 [4/6] RUN /tmp/setup.sh", "#8 0.212 /tmp/setup.sh: line 3: lsb_release: command not found"];
    for (let i = 1; i <= 65; i++) lines.push(`#8 1.${100 + i} Setting up package-${i} (1.0-1) ...`);
    lines.push("#8 DONE 12.3s");
    expect(confidentIds(lines.join("\n"))).toEqual([]);
    const last = diagnose(`Step 10 : RUN /tmp/setupInfluxdb.sh
 ---> Running in d887c61ba3df
/tmp/setupInfluxdb.sh: line 3: /usr/bin/influxdb: No such file or directory`);
    expect(last.diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
  });

  it("a program missing at a relative path is not a CRLF script", () => {
    expect(confidentIds(`#11 [7/8] RUN npm run build
#11 0.415 sh: 1: node_modules/.bin/webpack: not found
#11 ERROR: process "/bin/sh -c npm run build" did not complete successfully: exit code: 127`)).toEqual(["run-step-failed"]);
  });

  it("curl's failure to resolve a bare name: a running container's service name, but a build step's DNS", () => {
    expect(confidentIds(`$ docker run ghcr.io/acme/addon:latest
curl: (6) Could not resolve host: supervisor`)).not.toContain("network-failure");
    expect(confidentIds(`#9 [5/6] RUN curl -L http://nexus:8081/raw/app.jar -o app.jar
#9 0.512 curl: (6) Could not resolve host: nexus`)).toContain("network-failure");
    expect(confidentIds(`#9 [5/6] RUN ./fetch.sh
#9 0.512 curl: (6) Could not resolve host: deb.nodesource.com`)).toContain("network-failure");
  });
});

describe("review cases: verdicts, relays and look-alikes", () => {
  it("a tool's own `ERROR: Failed to build …` in a step is its failure, not BuildKit's verdict elsewhere", () => {
    const r = diagnose(`#8 [3/4] RUN pip install -r requirements.txt
#8 12.40 ERROR: Failed to build installable wheels for some pyproject.toml based projects (numpy)`);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
  });

  it("BuildKit's untimed `#N ERROR:` on a RUN step keeps the step's context (no wrong-arch image answer)", () => {
    const r = diagnose(`#7 [app 3/5] RUN apk add --no-cache curl
#7 ERROR: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": exec format error`);
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("exec-format-error");
  });

  it("the daemon relaying a registry's TLS error through the Engine API is the registry's", () => {
    const r = diagnose(
      'docker.errors.APIError: 500 Server Error for https://build-host:2376/v1.41/images/create?fromImage=myreg.example.com%2Fapp: Internal Server Error ("Get "https://myreg.example.com/v2/": x509: certificate signed by unknown authority")',
    );
    expect(r.diagnoses[0]?.ruleId).toBe("registry-tls");
  });
});

describe("a BuildKit step that finished", () => {
  it("its own `#N DONE` after an error line means the step survived it; another step's does not", () => {
    const own = diagnose(`#10 [3/4] RUN node check.js
#10 9.8 TypeError: cannot read properties of undefined -- handled, retrying
#10 DONE 10.1s`);
    expect(own.diagnoses.find((d) => d.ruleId === "run-step-failed" && d.confidence !== "low")).toBeUndefined();
    const other = diagnose(`#10 [3/4] RUN node check.js
#10 9.8 TypeError: cannot read properties of undefined
#11 DONE 10.1s`);
    expect(other.diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
  });
});

describe("where a build ends", () => {
  it("after the classic builder's `Successfully built`, exec format error is the container's start, not a RUN step", () => {
    const r = diagnose(`Step 2/2 : CMD cd /app && node app.js
 ---> Running in ede1a47f24c0
Removing intermediate container ede1a47f24c0
 ---> 86d4fc5b2f41
Successfully built 86d4fc5b2f41
Successfully tagged node_puppeteer:latest
standard_init_linux.go:211: exec user process caused "exec format error"`);
    expect(r.diagnoses[0]?.ruleId).toBe("exec-format-error");
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("qemu-binfmt-missing");
  });

  it("`---> Running in` under a CMD step is not a RUN step; alone or under a RUN step it is", () => {
    const contextOf = (lines: string[]) => {
      const steps = new StepTracker();
      for (const l of lines) steps.visit(cleanLine(l));
      return [...steps.contextsOf(cleanLine("exec /bin/sh: exec format error"))];
    };
    expect(contextOf(["Step 2/2 : CMD [\"/app/start\"]", " ---> Running in ede1a47f24c0"])).not.toContain("run-step");
    expect(contextOf(["Step 3/9 : RUN apt-get update", " ---> Running in 359afcd09f9c"])).toContain("run-step");
    expect(contextOf([" ---> Running in 359afcd09f9c"])).toContain("run-step");
    expect(contextOf(["Step 3/9 : RUN make", "Successfully built 86d4fc5b2f41"])).toEqual(["after-build"]);
  });

  it("a line behind Compose's service prefix is a running container's, even after a build step", () => {
    const r = diagnose(`Step 4/4 : RUN npm run build
 ---> Running in 1a2b3c4d5e6f
strapi_1    | qemu: uncaught target signal 4 (Illegal instruction) - core dumped
strapi_strapi_1 exited with code 0`);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "platform-mismatch" });
  });
});

describe("where a pull ends", () => {
  it("after `Status: Downloaded newer image`, the container's own `not found` is no missing image", () => {
    const pulled = `docker run --rm ghcr.io/acme/collector:v1.2.0
Unable to find image 'ghcr.io/acme/collector:v1.2.0' locally
v1.2.0: Pulling from acme/collector
c2650fe947f6: Pull complete
Digest: sha256:59b39e6cd4f00bc41547ac81f72970c8839ace1c2b2ac22b39940beac003d1d1
Status: Downloaded newer image for ghcr.io/acme/collector:v1.2.0
/collector: /lib64/libc.so.6: version \`GLIBC_2.34' not found (required by /collector)`;
    expect(diagnose(pulled).diagnoses.filter((d) => d.confidence !== "low").map((d) => d.ruleId)).not.toContain("image-not-found");
    // The pull's own failure, before any such line, is still the pull.
    const steps = new StepTracker();
    steps.visit(cleanLine("Unable to find image 'acme/app:2' locally"));
    expect([...steps.contextsOf(cleanLine("docker: Error response from daemon: manifest for acme/app:2 not found"))]).toContain("pull");
    steps.visit(cleanLine("Status: Image is up to date for acme/app:2"));
    expect([...steps.contextsOf(cleanLine("app: config.yaml not found"))]).not.toContain("pull");
  });

  it("podman's `Trying to pull <ref>...` opens the pull: its `denied` is the image's, never a push's", () => {
    const r = diagnose(`Trying to pull docker.io/acme/private-tool:latest...
  denied: requested access to the resource is denied
Trying to pull quay.io/acme/private-tool:latest...
  unauthorized: access to the requested resource is not authorized
Error: error pulling image "acme/private-tool:latest": unable to pull acme/private-tool:latest: 2 errors occurred:
        * Error initializing source docker://acme/private-tool:latest: Error reading manifest latest in docker.io/acme/private-tool: errors:
denied: requested access to the resource is denied
unauthorized: authentication required`);
    expect(["image-not-found", "registry-auth-missing"]).toContain(r.diagnoses[0]?.ruleId);
    expect(r.diagnoses.map((d) => d.ruleId)).not.toContain("push-access-denied");
  });
});

describe("a container's start in Docker 1.x words", () => {
  it("`Cannot start container x:` is the daemon starting a container: its fork's ENOMEM is no build step out of memory", () => {
    const r = diagnose(`Error response from daemon: Cannot start container licode: failed to create endpoint licode on network bridge: iptables failed: iptables --wait -t nat -A POSTROUTING -p udp -s 172.17.0.2 -d 172.17.0.2 --dport 30499 -j MASQUERADE:  (fork/exec /sbin/iptables: cannot allocate memory)`);
    expect(r.diagnoses.find((d) => d.ruleId === "build-out-of-memory")).toBeUndefined();
    const build = diagnose(`#9 [4/6] RUN make -j8
#9 41.02 fork/exec /usr/bin/cc: cannot allocate memory`);
    expect(build.diagnoses[0]?.ruleId).toBe("build-out-of-memory");
  });
});

describe("Docker 1.x's `Cannot start container` inside a build", () => {
  it("is the RUN step's container: its fork's ENOMEM is the build out of memory", () => {
    const r = diagnose(`Step 5 : RUN apt-get update
 ---> Running in 3f2a9c1d7b6e
Cannot start container 3f2a9c1d7b6e: [8] System error: fork/exec /proc/self/exe: cannot allocate memory`);
    expect(r.diagnoses[0]?.ruleId).toBe("build-out-of-memory");
  });
});

describe("make's EPERM: the Alpine answer only with an Alpine image in sight", () => {
  it("names musl next to musl or an Alpine image, not next to a host merely named alpine", () => {
    const top = (log: string) => diagnose(log).diagnoses[0];
    expect(top("+ make all 'TARGET=linux-musl'\nmake: /bin/sh: Operation not permitted")).toMatchObject({ ruleId: "engine-seccomp-outdated", variant: "musl-faccessat2-alpine", confidence: "medium" });
    // (the words alone name the refused call: every public log of them in the fresh sets was this engine, so a bare
    // paste is medium, in the wording that names no C library)
    expect(top("make: /bin/sh: Operation not permitted\nmake: *** [Makefile:208: php_imap.lo] Error 127")).toMatchObject({ ruleId: "engine-seccomp-outdated", variant: "musl-faccessat2", confidence: "medium" });
    // (but a user's prompt that ran make on a host, here or over ssh, is no container: other refusals say EPERM there)
    expect(top("$ ssh build@alpine-builder.example.com make\nmake: /bin/sh: Operation not permitted")).toMatchObject({ ruleId: "engine-seccomp-outdated", variant: "musl-faccessat2-generic", confidence: "low" });
    expect(top("jane@MacBook-Pro myproj % make tools\nmake: ./bin/golangci-lint: Operation not permitted\nmake: *** [tools] Error 127")?.confidence).toBe("low");
  });
});

describe("sameStep in the classic builder's output: up to the nearest step header", () => {
  it("a compiler error in an earlier step that passed does not speak for the failing step", () => {
    const log = [
      "Step 3/6 : RUN go vet ./... || true",
      " ---> Running in 1a2b3c4d5e6f",
      "./main.go:10:2: declared and not used: x",
      " ---> 0f1e2d3c4b5a",
      "Step 4/6 : RUN curl -fsSL https://example.org/tool-${TARGETARCH}.tgz -o /t.tgz",
      " ---> Running in 6f5e4d3c2b1a",
      "The command '/bin/sh -c curl -fsSL https://example.org/tool-${TARGETARCH}.tgz -o /t.tgz' returned a non-zero code: 22",
    ].join("\n");
    expect(diagnose(log).diagnoses[0]).toMatchObject({ ruleId: "buildkit-required", confidence: "medium" });
  });
});

describe("the classic builder's layer id closes its step", () => {
  // (Jenkins' Timestamper puts its clock and two blanks before each line and keeps the line's own indent)
  const plain = [
    "Step 7/14 : RUN npm install --save-dev shadow-cljs && shadow-cljs release client",
    " ---> Running in 2718b0f65743",
    'shadow-cljs - starting via "clojure"',
    "Removing intermediate container 2718b0f65743",
    " ---> e1034d53eece",
    "bash-4.3# clojure",
    "bash: clojure: command not found",
  ];
  it.each([
    ["pasted as is", plain],
    ["behind Jenkins' Timestamper", plain.map((l) => `09:32:30  ${l}`)],
  ])("a shell the user opened after the build is not the RUN step's output (%s)", (_how, lines) => {
    expect(diagnose(lines.join("\n")).diagnoses.filter((d) => d.confidence !== "low")).toEqual([]);
  });

  it("while the step runs, its output is still the step's", () => {
    const log = ["Step 7/14 : RUN shadow-cljs release client", " ---> Running in 2718b0f65743", "bash: clojure: command not found"].join("\n");
    expect(diagnose(log).diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
  });
});

describe("sameStep in BuildKit's tty view: only the timed lines are the step's", () => {
  const report = [
    "81.09 2024-02-10T05:07:26.773563Z ERROR error",
    "81.09 error from build pipeline",
    "81.09 ",
    "81.09 Caused by:",
    "81.09     0: HTML build pipeline failed (1 errors), showing first",
    "81.09     1: wasm-bindgen not found",
  ];
  it("a CI job's own line after the step's last word does not continue the step", () => {
    const log = [...report, "Requirement already satisfied: idna<4,>=2.5 in /usr/local/lib/python3.11/site-packages"].join("\n");
    expect(builtinEngine().diagnose(log).diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
  });
  it("a later timed line of the step does", () => {
    const log = [...report, "81.20    Compiling serde v1.0.210"].join("\n");
    expect(builtinEngine().diagnose(log).diagnoses.filter((d) => d.ruleId === "run-step-failed" && d.confidence !== "low")).toEqual([]);
  });
});

describe("DOCKER_DEFAULT_PLATFORM as the platform a command asks for", () => {
  const run = "$ docker run --rm myorg/tool:latest\nexec /usr/local/bin/tool: exec format error";
  const top = (log: string) => builtinEngine().diagnose(log).diagnoses[0];
  it("exported on a line of its own: every later command asks for it", () => {
    expect(top(`$ export DOCKER_DEFAULT_PLATFORM=linux/arm64\n${run}`)?.ruleId).toBe("qemu-binfmt-missing");
    expect(top(`+ export DOCKER_DEFAULT_PLATFORM=linux/arm64 # M1\n${run}`)?.ruleId).toBe("qemu-binfmt-missing");
  });
  it("as a prefix: only the command on its line, whichever command that is", () => {
    expect(top("$ DOCKER_DEFAULT_PLATFORM=linux/arm64 docker run --rm myorg/tool:latest\nexec /usr/local/bin/tool: exec format error")?.ruleId).toBe("qemu-binfmt-missing");
    expect(top(`$ DOCKER_DEFAULT_PLATFORM=linux/amd64 docker pull myorg/tool:latest\n${run}`)?.ruleId).toBe("exec-format-error");
    expect(top(`$ DOCKER_DEFAULT_PLATFORM=linux/amd64 docker buildx create --use\n${run}`)?.ruleId).toBe("exec-format-error");
  });
  it("not when unset or emptied, nor from an env dump, prose or a Compose environment entry", () => {
    expect(top(`$ export DOCKER_DEFAULT_PLATFORM=linux/arm64\n$ unset DOCKER_DEFAULT_PLATFORM\n${run}`)?.ruleId).toBe("exec-format-error");
    expect(top(`$ export DOCKER_DEFAULT_PLATFORM=linux/arm64\n$ export DOCKER_DEFAULT_PLATFORM=\n${run}`)?.ruleId).toBe("exec-format-error");
    expect(top(`DOCKER_DEFAULT_PLATFORM=linux/arm64\n${run}`)?.ruleId).toBe("exec-format-error");
    expect(top(`Tip: set DOCKER_DEFAULT_PLATFORM=linux/arm64 if you are on an M1 mac.\n${run}`)?.ruleId).toBe("exec-format-error");
    expect(top(`    environment:\n      DOCKER_DEFAULT_PLATFORM: linux/arm64\n${run}`)?.ruleId).toBe("exec-format-error");
  });
});

describe("a build tool's warning level", () => {
  it("is dropped from the line and remembered, so a failure the tool went on past is not the answer", () => {
    expect(cleanLine("[WARNING] Cannot run program \"docker-credential-desktop\": error=2").warnLevel).toBe(true);
    const log = [
      "[WARNING] The system does not have docker-credential-desktop CLI",
      '[WARNING]   Caused by: Cannot run program "docker-credential-desktop": error=2, No such file or directory',
      "[ERROR] Failed to execute goal com.google.cloud.tools:jib-maven-plugin:3.4.0:build: Build image failed",
    ].join("\n");
    expect(builtinEngine().diagnose(log).diagnoses.map((d) => d.ruleId)).not.toContain("credential-helper-failed");
    expect(builtinEngine().diagnose(log.replace(/\[WARNING\]/g, "[ERROR]")).diagnoses[0]?.ruleId).toBe("credential-helper-failed");
  });
});

describe("the docker CLI's global options before the subcommand", () => {
  it("skip their values (`--context prod`) and read buildx's own `--builder` as the builder", () => {
    const stopped = builtinEngine().diagnose(
      "$ docker buildx --builder mybuilder history ls\nERROR: Error response from daemon: container 82f708fa6dfc1935f56ea3f97c57872f47b24774d182928c3560a21187a2d869 is not running",
    ).diagnoses[0];
    expect(stopped?.ruleId).toBe("builder-instance-error");
    expect(stopped?.fix.map((f) => f.command).join("\n")).toContain("docker buildx inspect --bootstrap mybuilder");
    const run = builtinEngine().diagnose("$ docker --context prod run --rm acme/app:1.0\nexec /usr/local/bin/app: exec format error").diagnoses[0];
    expect(run?.fix.map((f) => f.command).join("\n")).toContain("acme/app:1.0");
  });
});
