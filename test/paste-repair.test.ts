// Pastes repaired before matching: hard-wrapped lines joined back (a local rule on one break),
// placeholders and redactions read as tokens.
import { describe, expect, it } from "vitest";
import { isIndentedWordWrap, isWrapBreak, rejoinWrapped, tokenizePlaceholders, unpadRows } from "../src/engine/repair.js";
import { redact } from "../src/redact/secrets.js";
import { builtinEngine } from "./helpers/engine.js";

const wrapAt = (line: string, width: number) => line.match(new RegExp(`.{1,${width}}`, "g"))!.join("\n");

describe("rejoining terminal wraps", () => {
  const chain =
    'ERROR: failed to solve: golang:1.23-alpine: failed to resolve source metadata for docker.io/library/golang:1.23-alpine: failed to do request: Head "https://registry-1.docker.io/v2/library/golang/manifests/1.23-alpine": dial tcp: lookup registry-1.docker.io on 192.168.65.7:53: no such host';

  it("joins a line wrapped at 80 columns and keeps the paste's line numbers", () => {
    const log = `docker build -t app .\n${wrapAt(chain, 80)}\nsomething after`;
    const r = builtinEngine().diagnose(log);
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "network-failure", confidence: "high" });
    expect(r.diagnoses[0]!.evidence[0]!.line).toBe(2);
  });

  it("joins a line that reached a split pane's border, and drops the border", () => {
    // (sui#13034: a tmux pane cut BuildKit's verdict at its own width)
    const log =
      'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref f3ad6567-724e-4f│\ned-b479-3581ea79c75b::vvze4tc0sgfx4ik23qot9n8p8: "/narwhal/Docker/entry.sh": not found';
    expect(rejoinWrapped(log).text).toBe(log.replace("│\n", ""));
    expect(builtinEngine().diagnose(log).diagnoses[0]).toMatchObject({ ruleId: "copy-source-not-found", confidence: "high" });
    // a table's border has a blank before it, and a short line reached no edge
    const table = `│ ${"x".repeat(70)} │\nnext line of the table`;
    expect(rejoinWrapped(table).text).toBe(table);
    expect(isWrapBreak(undefined, "short line│", "continues")).toBe(false);
  });

  it("joins a paragraph wrapped at an unusual width (equal-length lines)", () => {
    expect(rejoinWrapped(wrapAt(chain, 97)).text).toBe(chain);
  });

  it("keeps one message printed twice apart, though its two lines are as long as each other", () => {
    const twice = "/otelcol: /lib64/libc.so.6: version `GLIBC_2.32' not found (required by /otelcol)\n/otelcol: /lib64/libc.so.6: version `GLIBC_2.34' not found (required by /otelcol)";
    expect(rejoinWrapped(twice).text).toBe(twice);
  });

  it("reads no width from two lines of one format that happen to be as long as each other", () => {
    // (a compiler's warnings of one shape above the classic builder's shell error: no line was wrapped)
    const log =
      "src/net/client.c:693:21: warning: unused variable 'rc' [-Wunused-variable]\nsrc/net/client.c:813:19: warning: unused variable 'rc' [-Wunused-variable]\n/bin/sh: 1: ./install.sh: not found";
    expect(rejoinWrapped(log).text).toBe(log);
    // (nor two warnings of other files, nor CMake's progress lines, that happen to be as long)
    const other =
      "src/net/client.c:693:21: warning: unused variable 'rc' [-Wunused-variable]\nlib/io/streams.c:813:19: warning: unused variable 'rc' [-Wunused-variable]\n/bin/sh: 1: ./install.sh: not found";
    expect(rejoinWrapped(other).text).toBe(other);
    const cmake = "[ 40%] Building C object src/CMakeFiles/app.dir/net/client.c.o here\n[ 60%] Building C object src/CMakeFiles/app.dir/io/streams.c.o here\n/bin/sh: 1: ./install.sh: not found";
    expect(rejoinWrapped(cmake).text).toBe(cmake);
  });

  it("keeps a line that opens with a Go source location its own, though it is as long as the line before", () => {
    // (conda-forge/docker-images#115: Docker's pull status over runc's refusal, both 72 characters long)
    const log =
      'Status: Downloaded newer image for condaforge/linux-anvil-ppc64le:latest\nstandard_init_linux.go:190: exec user process caused "exec format error"';
    expect(log.split("\n").map((l) => l.length)).toEqual([72, 72]);
    expect(rejoinWrapped(log).text).toBe(log);
  });

  it("still joins runc's chain a browser wrapped after its colon, though the next part opens with a Go source location", () => {
    // (nestybox/sysbox#384's line, wrapped at the blank before runc's location)
    const line1 = "error: Error response from daemon: OCI runtime create failed: ";
    const line2 = "container_linux.go:380: starting container process caused: process_linux.go:545: container init caused: write sysctl key net.ipv4.ping_group_range: invalid argument: unknown";
    expect(rejoinWrapped(`${line1}\n${line2}`).text).toBe(line1 + line2);
  });

  it("joins a PowerShell error message word-wrapped before its position line, with a blank", () => {
    const paste = [
      "Step 8/21 : RUN powershell -Command \"iex ((New-Object System.Net.WebClient).DownloadString('https://chocolatey.org/install.ps1'))\"",
      "    Exception calling \"DownloadString\" with \"1\" argument(s): \"The remote name",
      "    could not be resolved: 'chocolatey.org'\"",
      "    At line:1 char:1",
      "    + CategoryInfo          : NotSpecified: (:) [], MethodInvocationException",
    ].join("\n");
    const { text, joins } = rejoinWrapped(paste);
    expect(text.split("\n")[1]).toBe("    Exception calling \"DownloadString\" with \"1\" argument(s): \"The remote name could not be resolved: 'chocolatey.org'\"");
    expect(joins).toHaveLength(1);
    // (no position line below: two lines that only look alike stay apart)
    expect(rejoinWrapped(paste.split("\n").slice(0, 3).join("\n")).joins).toHaveLength(0);
    const d = builtinEngine().diagnose(paste).diagnoses[0];
    expect([d?.ruleId, d?.evidence[0]?.line]).toEqual(["network-failure", 2]);
  });

  it("joins no PowerShell message across a prompt, a one-line message or a header that is no cmdlet", () => {
    const prompts = [
      "Remove-Item : Cannot find path 'C:\\app\\out' because it does not exist.",
      "At line:1 char:1",
      "PS C:\\app> docker build -t app .",
      "ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory",
      "PS C:\\app> Get-Item .\\out",
      "Get-Item : Cannot find path",
      "At line:1 char:1",
    ].join("\n");
    expect(rejoinWrapped(prompts).joins).toHaveLength(0);
    expect(builtinEngine().diagnose(prompts).diagnoses[0]?.evidence[0]?.line).toBe(4);
    expect(rejoinWrapped("HTTP/1.1 429 Too Many Requests\nRetry-After : 120\nsomething else\nAt line:1 char:1").joins).toHaveLength(0);
  });

  it("joins a URL PowerShell cut at the console's width without a blank, so its password is still masked", () => {
    const first = `${"Invoke-WebRequest : Unable to connect to the remote server ".padEnd(120 - "https://deploy:s3cr3tPa".length, "x")}https://deploy:s3cr3tPa`;
    expect(first).toHaveLength(120);
    const text = [first, "ssw0rd@nexus.example.com/repository/app", "At line:1 char:1"].join("\n");
    const joined = rejoinWrapped(text).text.split("\n")[0]!;
    expect(joined).toContain("https://deploy:s3cr3tPassw0rd@nexus.example.com/");
    expect(redact(joined)).not.toContain("s3cr3tPa");
  });

  it("keeps the blank where a PowerShell message wrapped after a word's colon, not a URL's scheme", () => {
    const text = ["Invoke-WebRequest : The remote name could not be resolved:", "'github.com'", "At line:1 char:1"].join("\n");
    expect(rejoinWrapped(text).text.split("\n")[0]).toBe("Invoke-WebRequest : The remote name could not be resolved: 'github.com'");
  });

  it("joins a chunk that opens with the one blank the console cut before, only inside a known width", () => {
    // MSBuild's error wrapped at 101 columns by a console (https://github.com/dotnet/sdk-container-builds/issues/406)
    const a = "C:\\sdk\\Containers.targets(202,5): error MSB4018: CredentialRetrievalException: CONTAINER1008:".padEnd(101, "x");
    const b = "rror MSB4018: Microsoft.NET.Build.Containers.Credentials.CredentialRetrievalException: CONTAINER1008:";
    const c = ' Failed retrieving credentials for "docker.io": Failed to execute \'C:\\Program Files\\Docker'.padEnd(101, "r");
    expect(b.length).toBe(101);
    expect(c.length).toBe(101);
    expect(isWrapBreak(a, b, c)).toBe(true);
    // (no width known yet, a chunk shorter than the line, or an indented line: a line of its own)
    expect(isWrapBreak(undefined, b, c)).toBe(false);
    expect(isWrapBreak(a, b, " Failed retrieving credentials")).toBe(false);
    expect(isWrapBreak(a, b, "  " + c.slice(2))).toBe(false);
    // (and the chunk after the blank may still open a log line of its own)
    expect(isWrapBreak(a, b, " ERROR: " + "y".repeat(93))).toBe(false);
  });

  it("never joins a line that starts like a log line", () => {
    const eighty = "x".repeat(80);
    for (const next of ["#12 0.345 npm ERR!", "2024-05-01T10:00:00Z foo", "ERROR: failed", "=> [internal] load", "Step 2/9 : RUN x", "  indented", "", "npm WARN deprecated", "Caused by: java.net.SocketTimeoutException", "<--- Last few GCs --->"]) {
      expect(isWrapBreak(undefined, eighty, next)).toBe(false);
    }
    expect(isWrapBreak(undefined, eighty, "ost: no such host")).toBe(true);
    // Compose's own status line after a service's last line
    expect(isWrapBreak(undefined, eighty, "strapi_strapi_1 exited with code 0")).toBe(false);
    expect(isWrapBreak(undefined, eighty, "web-1 exited with code 137")).toBe(false);
    // a container's next line behind its service prefix (https://github.com/pgracio/dhis2-docker/issues/26: bash's
    // `set: -\r: invalid option` overwrote the prefix of an 80-column line)
    // (Compose v1's longest name keeps one blank before the bar: a new line when that prefix opens another line)
    expect(isWrapBreak(undefined, ": invalid option /docker-entrypoint-initdb.d/create-target-db.sh: line 2: set: -", "dhis2-database | set: usage: set [-abefhkmnptuvxBCHP]", new Set(["dhis2-database | "]))).toBe(false);
    const dhis2 = [
      "dhis2-database | /usr/local/bin/docker-entrypoint.sh: running /docker-entrypoint-initdb.d/create-target-db.sh",
      ": invalid option /docker-entrypoint-initdb.d/create-target-db.sh: line 2: set: -",
      "dhis2-database | set: usage: set [-abefhkmnptuvxBCHP] [-o option-name] [--] [arg ...]",
      "dhis2-web   | wait-for-it.sh: waiting for database:5432 without a timeout",
    ].join("\n");
    expect(rejoinWrapped(dhis2).text).toBe(dhis2);
    expect(isWrapBreak(undefined, eighty, "web-1  | ready")).toBe(false);
    // (a chunk that only holds a pipe further on is still a wrap's, and so is a pipeline cut inside the word
    // before its bar: one blank, and no line of the paste opens with it)
    expect(isWrapBreak(undefined, eighty, "at file.txt | grep x")).toBe(true);
    expect(isWrapBreak(undefined, eighty, "ments.txt | xargs -n 1 pip install --no-cache-dir")).toBe(true);
    const verdict = 'ERROR: failed to solve: process "/bin/sh -c apt-get update && apt-get install -y ca-certificates curl gnupg; curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg" did not complete successfully: exit code: 2';
    const wrapped = verdict.replace(/.{80}/g, "$&\n").replace(/\n$/, "");
    expect(wrapped.split("\n")[2]!.startsWith("urce-repo.gpg.key | gpg")).toBe(true);
    expect(rejoinWrapped(wrapped).text).toBe(verdict);
    expect(isWrapBreak(undefined, "x".repeat(79), "ost: no such host")).toBe(false);
    // a compiler's diagnostic after a long command line (Go's `file.go:9:2:`, gcc's `file.c:12:`)
    expect(isWrapBreak(undefined, "x".repeat(200), 'nat/upnp.go:9:2: cannot find package "github.com/x/y" in any of:')).toBe(false);
    expect(isWrapBreak(undefined, "x".repeat(120), "src/main.c:12: error: expected ';'")).toBe(false);
    // (but make's `[dir/build.make:158: target]` cut inside the path is a wrap)
    expect(isWrapBreak(undefined, "x".repeat(80), "ld.make:1234: third_party/grpc/src/server.cc.o] Killed")).toBe(true);
    // a message a carriage return overwrote opens with its last words (`'bash\r': No such file …`)
    expect(isWrapBreak(undefined, eighty, "': No such file or directorye 'bash")).toBe(false);
    expect(isWrapBreak(undefined, eighty, ": invalid option")).toBe(false);
    // a number that ends the line and a capitalised word that opens the next are two lines, whatever the width
    // (https://github.com/eclipse-zenoh/zenoh/issues/283: a verdict 132 characters long, then the runner's own line)
    const verdict137 = 'buildx failed with: error: failed to solve: process "/bin/sh -c cargo build --release" did not complete successfully: exit code: 137';
    expect(verdict137).toHaveLength(132);
    expect(isWrapBreak(undefined, verdict137, "The hosted runner: Hosted Agent lost communication with the server.")).toBe(false);
    // (a width-cut number, or a word cut after a digit, still joins)
    expect(isWrapBreak(undefined, "x".repeat(79) + "1", "37 more lines")).toBe(true);
    expect(isWrapBreak(undefined, "x".repeat(79) + "1", "abc")).toBe(true);
    // a quoted value that ends the line and a capitalised word that opens the next are two lines too (apt's
    // `E: Repository … changed its 'Suite' value from … to 'oldstable-updates'`, 140 characters, over the verdict)
    const suite = "E: Repository 'http://deb.debian.org/debian buster-updates InRelease' changed its 'Suite' value from 'stable-updates' to 'oldstable-updates'";
    expect(suite).toHaveLength(140);
    expect(isWrapBreak(undefined, suite, "The command '/bin/sh -c sudo apt-get update'")).toBe(false);
    // a BuildKit tty row padded to the terminal's width ends in its duration: whole, whatever opens the next line
    // (Compose v2's bare `failed to solve: …` under it, https://github.com/coder2j/airflow-docker/issues/3)
    const row = " => => transferring dockerfile: 2B".padEnd(176) + "0.0s";
    expect(row).toHaveLength(180);
    expect(isWrapBreak(undefined, row, "failed to solve: failed to read dockerfile")).toBe(false);
    // (a word cut right after an apostrophe, `doesn'` over `t …`, still joins)
    expect(isWrapBreak(undefined, "x".repeat(73) + " doesn'", "t exist in the registry")).toBe(true);
    // (an identifier cut after its digit is one word wrapped: `…model.S3` over `Exception: …`)
    expect(isWrapBreak(undefined, "#14 41.27 Caused by: software.amazon.awssdk.services.s3.model.S3".padStart(80, "x"), "Exception: The AWS Access Key Id you provided does not exist")).toBe(true);
  });
  it("reads a Go diagnostic as the step's error after a command line exactly 200 characters long", () => {
    const command = `GO111MODULE=on go build -v -o app -ldflags "-X main.Commit=${"0".repeat(200)}`.slice(0, 199) + '"';
    const log = `Step 5/12 : RUN make\n ---> Running in 8d04c3b0e864\n${command}\nnat/upnp.go:9:2: cannot find package "github.com/NebulousLabs/go-upnp" in any of:\n`;
    expect(command).toHaveLength(200);
    expect(builtinEngine().diagnose(log).diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
  });
});

describe("a console's padded rows copied as one line", () => {
  const verdict =
    'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref 878ca2e9-5652-49a2-a5d4-bdccb76801e5::y8wm91hil8u8tdw48rxcbf6az: "/index.html": not found';
  // every row the same text width and the same padding to the window's width (here 80 + 21)
  const padded = (width: number, pad: number) => verdict.match(new RegExp(`.{1,${width}}`, "g"))!.join(" ".repeat(pad));

  it("drops the padding between rows, so the verdict reads whole", () => {
    expect(unpadRows(padded(80, 21))).toBe(verdict);
    expect(unpadRows(padded(80, 21) + "   ")).toBe(verdict);
    expect(rejoinWrapped(`docker build .\n${padded(80, 21)}`).text).toBe(`docker build .\n${verdict}`);
    expect(builtinEngine().diagnose(padded(80, 21)).diagnoses[0]).toMatchObject({ ruleId: "copy-source-not-found", confidence: "high" });
  });

  it("leaves alone one padded row, rows of unequal widths or paddings, and aligned columns", () => {
    const one = `${verdict.slice(0, 80)}${" ".repeat(21)}${verdict.slice(80, 140)}`;
    expect(unpadRows(one)).toBe(one);
    const uneven = `${verdict.slice(0, 80)}${" ".repeat(21)}${verdict.slice(80, 150)}${" ".repeat(21)}${verdict.slice(150)}`;
    expect(unpadRows(uneven)).toBe(uneven);
    const pads = `${verdict.slice(0, 80)}${" ".repeat(21)}${verdict.slice(80, 160)}${" ".repeat(12)}${verdict.slice(160)}`;
    expect(unpadRows(pads)).toBe(pads);
    const table = `REPOSITORY${" ".repeat(10)}TAG${" ".repeat(9)}IMAGE ID${" ".repeat(9)}CREATED${" ".repeat(9)}SIZE`;
    expect(unpadRows(table)).toBe(table);
  });
});

describe("rejoining a message word-wrapped inside an indented column", () => {
  // (https://github.com/oblador/loki/issues/329: a Node CLI's task list wrapped the docker call's error at its column,
  // keeping the blank it broke at)
  const loki = [
    "       Command failed with exit code 1: docker ",
    "       images -q yukinying/chrome-headless-browse",
    "       Got permission denied while trying to ",
    "       connect to the Docker daemon socket at ",
    "       unix:///var/run/docker.sock: Get ",
    "       http://%2Fvar%2Frun%2Fdocker.sock/v1.24/im",
    "       ages/json: dial unix ",
    "       /var/run/docker.sock: connect: permission ",
    "       denied",
  ].join("\n");
  it("joins the lines that end in the blank the wrap broke at, dropping the column's indentation", () => {
    const lines = rejoinWrapped(loki).text.split("\n");
    expect(lines[1]).toBe("       Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get http://%2Fvar%2Frun%2Fdocker.sock/v1.24/im");
    expect(lines[2]).toBe("       ages/json: dial unix /var/run/docker.sock: connect: permission denied");
    expect(builtinEngine().diagnose(loki).diagnoses[0]).toMatchObject({ ruleId: "docker-socket-permission" });
  });
  it("leaves alone indented lines without that blank, deeper lines and capitalised new lines", () => {
    expect(isIndentedWordWrap("    at Object.<anonymous> (/app/index.js:1:1)", "    at Module._compile (node:internal)")).toBe(false);
    expect(isIndentedWordWrap("    Caused by: something went wrong here ", "      nested detail line")).toBe(false);
    expect(isIndentedWordWrap("    the first message of the list ends ", "    Second message starts here")).toBe(false);
    expect(isIndentedWordWrap("no indentation on this line at all here ", "no indentation either")).toBe(false);
    // Docker's layer progress (each line ends in a blank) and a record under it
    expect(isIndentedWordWrap("    b2a90e359469: Preparing ", "    05a203ee051c: Preparing ")).toBe(false);
    expect(isIndentedWordWrap("    ef763da74d91: Waiting ", "    denied: requested access to the resource is denied")).toBe(false);
    // a CI runner's echo of a script whose lines kept their trailing blanks (GitHub Actions' `Run` block)
    expect(isIndentedWordWrap("  docker build -t acme/app:1.0 . ", "  docker push acme/app:1.0")).toBe(false);
    expect(isIndentedWordWrap("  docker login -u \"$USER\" --password-stdin ", "  echo logged in")).toBe(false);
  });
});

describe("placeholders and redactions", () => {
  it("turns {your_registry}, <image>, *** and [MASKED] into tokens", () => {
    expect(tokenizePlaceholders("docker push {your_registry}/<image>:latest")).toBe("docker push your-registry/image:latest");
    expect(tokenizePlaceholders('Get "https://***:6000/v2/": http: server gave HTTP response')).toBe('Get "https://xxx:6000/v2/": http: server gave HTTP response');
    expect(tokenizePlaceholders("login to [MASKED].dkr.ecr.us-east-1.amazonaws.com")).toBe("login to xxx.dkr.ecr.us-east-1.amazonaws.com");
    // An ellipsis cutting a path component; not one that ends a sentence or a path.
    expect(tokenizePlaceholders("ADD failed: stat /var/lib/docker/tmp/docker-builder.../foo.php: no such file")).toBe("ADD failed: stat /var/lib/docker/tmp/docker-builderxxx/foo.php: no such file");
    expect(tokenizePlaceholders("Sending build context... /src done...")).toBe("Sending build context... /src done...");
    // `<...>` for a part left out (a path's head), and not an HTML-ish `<...>` inside words
    expect(tokenizePlaceholders("COPY failed: stat <...>/docker-entrypoint.sh: no such file or directory")).toBe("COPY failed: stat xxx/docker-entrypoint.sh: no such file or directory");
    // Not placeholders: a shell variable, Markdown emphasis, a digest mask.
    expect(tokenizePlaceholders("echo ${HOME} **bold** sha256:***")).toBe("echo ${HOME} **bold** sha256:***");
    // Nor GNU make's own marker in front of a failed target.
    expect(tokenizePlaceholders("make: *** [Makefile:53: ui] Error 127")).toBe("make: *** [Makefile:53: ui] Error 127");
    expect(tokenizePlaceholders("make[2]: *** Waiting for unfinished jobs....")).toBe("make[2]: *** Waiting for unfinished jobs....");
  });

  it("matches a redacted log as the unredacted one, and shows what was pasted", () => {
    const r = builtinEngine().diagnose(`docker buildx build -t {your_registry}/app:1 --push .
ERROR: failed to solve: failed to do request: Head "https://***/v2/app/manifests/1": dial tcp: lookup *** on 127.0.0.53:53: no such host`);
    const d = r.diagnoses[0]!;
    expect(d).toMatchObject({ ruleId: "network-failure", confidence: "high" });
    expect(d.facts.host).toBe("***");
  });
});

describe("rejoining error chains and sentences a browser or chat client wrapped at `: ` or `, `", () => {
  const wrapped = [
    "error pulling image configuration: download failed after attempts=1: ",
    "denied: User: arn:aws:sts::123456789012:assumed-role/ci/session is not authorized to perform: ",
    "ecr:GetDownloadUrlForLayer on resource: arn:aws:ecr:eu-west-1:123456789012:repository/app",
  ].join("\n");

  it("joins the chain back, so a keyword split at the break is found", () => {
    expect(rejoinWrapped(wrapped).text.split("\n")).toHaveLength(1);
    expect(builtinEngine().diagnose(wrapped).diagnoses[0]).toMatchObject({ ruleId: "wrong-credentials" });
  });

  it("leaves short lines, prompts, repeated heads and new log lines alone", () => {
    expect(isWrapBreak(undefined, "Step 1/5 : ", "FROM alpine")).toBe(false);
    expect(isWrapBreak(undefined, "Enter passphrase for key '/root/.ssh/id_rsa': ", "Permission denied (publickey).")).toBe(false);
    expect(isWrapBreak(undefined, "web-1  | Connecting to the broker at amqp://rabbit: ", "web-1  | Error: connect ECONNREFUSED")).toBe(false);
    expect(isWrapBreak(undefined, "Something went wrong while reading the config file: ", "Traceback (most recent call last):")).toBe(false);
    expect(isWrapBreak(undefined, "Something went wrong while reading the config file: ", "panic: runtime error")).toBe(false);
    expect(isWrapBreak(undefined, "Pulling fs layer for the services api, worker, ", "web-1  | ready")).toBe(false);
    expect(isWrapBreak(undefined, "retrying, ", "again")).toBe(false);
    // a program's own line after a comma-ended one is a new line (`gpg: …`, `curl: …`)
    expect(isWrapBreak(undefined, "fetching release keys: importing node, importing yarn, ", "gpg: keyserver receive failed: No keyserver available")).toBe(false);
  });

  // A browser copy of the daemon's pull refusal, broken after `koku_base, ` (the blank stays at the
  // end of the line): joined, it is the missing image's wording, not a login question.
  it("joins a sentence broken after a comma, so the pull refusal reads as a missing image", () => {
    const log = [
      "Error response from daemon: pull access denied for acme_base, ",
      "repository does not exist or may require 'docker login': denied: ",
      "requested access to the resource is denied",
    ].join("\n");
    expect(rejoinWrapped(log).text.split("\n")).toHaveLength(1);
    expect(builtinEngine().diagnose(log).diagnoses[0]).toMatchObject({ ruleId: "image-not-found", confidence: "high" });
  });
});
