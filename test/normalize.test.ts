import { describe, expect, it } from "vitest";
import { InputError, assertLogText, cleanLine, prepareText } from "../src/engine/normalize.js";
import { builtinEngine } from "./helpers/engine.js";

describe("prepareText", () => {
  it("strips ANSI colours and cursor codes", () => {
    expect(prepareText("\x1b[31mERROR\x1b[0m: failed \x1b[2K\x1b[1Gto solve")).toBe("ERROR: failed to solve");
  });
  it("turns CRLF and lone CR into one line break each, keeping line numbers", () => {
    expect(prepareText("a\r\nb\rc\n")).toBe("a\nb\nc\n");
  });
  it("undoes Slack's escaping and link wrapping", () => {
    expect(prepareText("&lt;none&gt; &amp; <https://registry.lazycat.cloud/v2/|registry.lazycat.cloud/v2/> <https://x.io/a>")).toBe(
      "<none> & registry.lazycat.cloud/v2/ https://x.io/a",
    );
  });
  it("drops a byte-order mark", () => {
    expect(prepareText("\ufeffStep 1/2 : FROM alpine")).toBe("Step 1/2 : FROM alpine");
  });
});

describe("cleanLine", () => {
  it("drops a log viewer's lone gutter bar (OpenShift's console), not a table's cells", () => {
    // (the RabbitMQ image build of https://github.com/redhat-cop/containers-quickstarts/issues/262, as pasted)
    expect(cleanLine("  | gpg: keyserver timed out").text).toBe("gpg: keyserver timed out");
    // (Buildkite's bar before a step's output: the BuildKit line behind it is read as one)
    expect(cleanLine("| #1 [internal] load .dockerignore")).toMatchObject({ text: "[internal] load .dockerignore", step: 1 });
    expect(cleanLine("| wolfi/chainguard-base | private_source_authentication_failure |").text).toBe("| wolfi/chainguard-base | private_source_authentication_failure |");
    expect(cleanLine("| image | tag").text).toBe("| image | tag");
    expect(cleanLine("|    indented table cell").text).toBe("|    indented table cell");
  });
  it("drops a relaying tool's bracketed tag before the classic builder's lines, not a log level or other lines", () => {
    // (Eclipse Che's recipe build of https://github.com/codenvy/codenvy/issues/2078, as pasted)
    expect(cleanLine("[DOCKER] Step 7 : RUN apt-get install -y curl").text).toBe("Step 7 : RUN apt-get install -y curl");
    expect(cleanLine("[DOCKER] ---> Running in 49af4a16930a").text).toBe("---> Running in 49af4a16930a");
    expect(cleanLine("[DOCKER] [ERROR] The command '/bin/sh -c false' returned a non-zero code: 1")).toMatchObject({
      text: "The command '/bin/sh -c false' returned a non-zero code: 1",
      errorLevel: true,
    });
    // the tool's other lines, and a level before a step's words, keep their bracket
    expect(cleanLine("[DOCKER] creating default environment...").text).toBe("[DOCKER] creating default environment...");
    expect(cleanLine("[INFO] Step 3/9 : RUN make")).toMatchObject({ text: "Step 3/9 : RUN make" });
    expect(cleanLine("[1/3] Step 2/5 : COPY . .").text).toBe("[1/3] Step 2/5 : COPY . .");
    // a BuildKit line after a tag must look like one: an issue number is no step
    expect(cleanLine("[amd64] #5 12.34 npm ERR! code 1")).toMatchObject({ text: "npm ERR! code 1", step: 5, timed: true });
    expect(cleanLine("[fix] #1234 handle x509 errors").text).toBe("[fix] #1234 handle x509 errors");
  });
  it("drops colour codes whose ESC was lost or shown as a character in the copy", () => {
    expect(cleanLine("\ufffd[91mKilled").text).toBe("Killed");
    expect(cleanLine("\u2190[1m[Help 1]\u2190[m").text).toBe("[Help 1]");
    expect(cleanLine("^[[31mERROR: failed to solve^[[0m").text).toBe("ERROR: failed to solve");
    expect(cleanLine("[91mnpm ERR! code ETIMEDOUT[0m").text).toBe("npm ERR! code ETIMEDOUT");
    // Not colour codes: a section name, a build step counter
    expect(cleanLine("[mysqld] started").text).toBe("[mysqld] started");
    expect(cleanLine("Timeout after [10m] waiting").text).toBe("Timeout after [10m] waiting");
    expect(cleanLine("[1m0s elapsed]").text).toBe("[1m0s elapsed]");
    expect(cleanLine("[32m200[0m OK").text).toBe("200 OK");
    expect(cleanLine("\ufffd[INFO] BUILD FAILURE").text).toBe("\ufffd[INFO] BUILD FAILURE");
    // A Windows console's cursor codes before BuildKit's progress line
    expect(cleanLine("\u2190[1A\u2190[2K=> ERROR [2/5] RUN make").text).toBe("=> ERROR [2/5] RUN make");
  });
  it("marks a line behind Compose's service prefix as a running container's output", () => {
    expect(cleanLine("web-1  | qemu: uncaught target signal 4 (Illegal instruction) - core dumped").service).toBe(true);
    expect(cleanLine("qemu: uncaught target signal 4 (Illegal instruction) - core dumped").service).toBeUndefined();
  });
  it("strips GitHub Actions timestamps and ##[error] markers", () => {
    expect(cleanLine("2024-05-01T10:11:12.1234567Z ##[error]buildx failed with: ERROR: x").text).toBe("buildx failed with: ERROR: x");
    expect(cleanLine("2024-05-01T10:11:12.1234567Z ##[error]x").github).toBe(true);
  });
  it("strips the Dev Containers CLI's time (as Codespaces shows it) before BuildKit's step and other lines", () => {
    expect(cleanLine("2022-10-23 11:51:22.000Z: #11 0.869 Err:6 http://archive.ubuntu.com/ubuntu hirsute Release").text).toBe("Err:6 http://archive.ubuntu.com/ubuntu hirsute Release");
    expect(cleanLine("2022-10-23 11:51:03.983Z: $ docker buildx version").text).toBe("$ docker buildx version");
    // (a date and time in a sentence, or without the CLI's milliseconds and `Z:`, stays)
    expect(cleanLine("2022-10-23 11:51:03 started").text).toBe("2022-10-23 11:51:03 started");
  });
  it("marks the classic builder's red stderr tint as a RUN step's own output, with or without its escape", () => {
    expect(cleanLine("\ufffd[91mKilled").stepStderr).toBe(true);
    expect(cleanLine(" [0m [91mmake[5]: *** [all] Error 1").stepStderr).toBe(true);
    expect(prepareText("Step 4/9 : RUN make\n\x1b[91mKilled\n\x1b[0m")).toBe("Step 4/9 : RUN make\n[91mKilled\n");
    expect(cleanLine(prepareText("\x1b[91mKilled")).stepStderr).toBe(true);
    // (a tool that colours each line closes the tint on that line; Docker's reset opens the next one)
    expect(cleanLine("^[[91mnpm ERR! code ETIMEDOUT^[[0m").stepStderr).toBeUndefined();
    expect(cleanLine(prepareText("\x1b[91mnpm ERR! code ETIMEDOUT\x1b[0m")).stepStderr).toBeUndefined();
    // (nor a Compose v1 service prefix in the same bright red: a running container's output)
    expect(cleanLine("[91mweb_1  | Killed").stepStderr).toBeUndefined();
    // (another colour, or red in the middle of a line, is somebody else's)
    expect(cleanLine("[31mKilled").stepStderr).toBeUndefined();
    expect(cleanLine("npm ERR! [91mKilled").stepStderr).toBeUndefined();
  });
  it("reads past Bazel's time before its own level, not any parenthesised time", () => {
    expect(cleanLine("#16 1497.0 (21:51:08) ERROR: An error occurred during the fetch of repository 'tf_runtime':").text).toBe("ERROR: An error occurred during the fetch of repository 'tf_runtime':");
    expect(cleanLine("(21:51:08) took 3s").text).toBe("(21:51:08) took 3s");
  });
  it("strips Compose's service prefix (v2 `web-1  | `, v1 `web_1  | `) so anchored wordings match", () => {
    expect(cleanLine("build-images-1  | g++: fatal error: Killed signal terminated program cc1plus").text).toBe("g++: fatal error: Killed signal terminated program cc1plus");
    expect(cleanLine("db_1   | FATAL:  password authentication failed").text).toBe("FATAL:  password authentication failed");
    // A table cell or a shell pipe is not a service prefix.
    expect(cleanLine("| step-1 | ok |").text).toBe("| step-1 | ok |");
    expect(cleanLine("cat log-1 | grep error").text).toBe("cat log-1 | grep error");
    // A service's `container_name:` carries no replica number (FlareSolverr#258); a Dockerfile excerpt's
    // line number in BuildKit's error box is no name.
    expect(cleanLine("flaresolverr    | # Fatal error in , line 0")).toMatchObject({ text: "# Fatal error in , line 0", service: true });
    expect(cleanLine("128 | >>> RUN set -eux; \\").service).toBeUndefined();
    expect(cleanLine("$ dmesg | tail").text).toBe("$ dmesg | tail");
  });
  it("strips pipenv's relay of pip's lines (`[pipenv.exceptions.InstallError]: `), and pip's `Successfully built` is no build's end", () => {
    expect(cleanLine("#12 24.51 [pipenv.exceptions.InstallError]: error: subprocess-exited-with-error").text).toBe("error: subprocess-exited-with-error");
    const log = [
      "#12 [4/6] RUN pipenv install --system --deploy",
      "#12 24.51 [pipenv.exceptions.InstallError]: Successfully built kappa placebo",
      "#12 24.51 [pipenv.exceptions.InstallError]: Failed to build ta-lib",
      "#12 24.51 [pipenv.exceptions.InstallError]: error: subprocess-exited-with-error",
    ].join("\n");
    const r = builtinEngine().diagnose(log);
    expect(r.conditions).not.toContain("build-succeeded");
    expect(r.diagnoses[0]).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
    // the classic builder's own end still is one, and so are an untagged BuildKit build's, podman's and kaniko's
    expect(builtinEngine().diagnose("Step 3/3 : RUN make\n ---> 1a2b3c4d5e6f\nSuccessfully built 1a2b3c4d5e6f").conditions).toContain("build-succeeded");
    expect(builtinEngine().diagnose(`#9 exporting to image\n#9 writing image sha256:${"4c6b".repeat(16)} done`).conditions).toContain("build-succeeded");
    expect(builtinEngine().diagnose("COMMIT localhost/fonts:latest\n--> 9c8d7e6f5a4b\nSuccessfully tagged localhost/fonts:latest").conditions).toContain("build-succeeded");
    expect(builtinEngine().diagnose(`INFO[0042] Pushed registry.example.com/app@sha256:${"ab".repeat(32)}`).conditions).toContain("build-succeeded");
  });
  it("reads no builder line shape behind a service prefix as Docker's (Meteor's `=> awaited here:`)", () => {
    const log = [
      "rocketchat          | MongoServerSelectionError: getaddrinfo ENOTFOUND mongodb",
      "rocketchat          |     at Timeout._onTimeout (/app/bundle/programs/server/npm/node_modules/mongodb/lib/sdam/topology.js:292:38)",
      "rocketchat          |  => awaited here:",
    ].join("\n");
    expect(builtinEngine().diagnose(log).diagnoses[0]?.confidence ?? "none").not.toMatch(/high|medium/);
  });
  it("strips Vagrant's machine prefix (`==> default: `) from its provisioners' output", () => {
    expect(cleanLine("==> default: Forbidden path outside the build context: ../.. ()").text).toBe("Forbidden path outside the build context: ../.. ()");
    expect(cleanLine("==> web-1: Step 9 : ADD ../.. /src").text).toBe("Step 9 : ADD ../.. /src");
    // (a Markdown-ish arrow with no machine name stays)
    expect(cleanLine("==> see below").text).toBe("==> see below");
    // makepkg's and Spack's own levels are no machine name
    expect(cleanLine("==> ERROR: A failure occurred in build().").text).toBe("==> ERROR: A failure occurred in build().");
    expect(cleanLine("==> Error: Failed to install zlib").text).toBe("==> Error: Failed to install zlib");
  });
  it("strips BuildKit step prefixes and keeps the step number", () => {
    expect(cleanLine("#12 0.345 exec /bin/sh: exec format error")).toEqual({ text: "exec /bin/sh: exec format error", step: 12, timed: true, github: false });
    expect(cleanLine("#8 ERROR: process did not complete")).toMatchObject({ step: 8, timed: false });
    // BuildKit's tty view: a command's output timed with four significant digits, no `#N`.
    expect(cleanLine("79.94 E: Unable to locate package foo")).toEqual({ text: "E: Unable to locate package foo", timed: true, github: false });
    expect(cleanLine("3.14 is pi")).toEqual({ text: "3.14 is pi", github: false });
    expect(cleanLine("#8 ERROR: process did not complete").text).toBe("ERROR: process did not complete");
  });
  it("drops a bracketed ISO timestamp (Jenkins timestamper, VS Code Dev Containers)", () => {
    expect(cleanLine("[2025-03-07T21:03:53.179Z] #5 ERROR: failed to solve").text).toBe("ERROR: failed to solve");
    expect(cleanLine("[2024-01-02T10:11:12+01:00] denied: requested access to the resource is denied").text).toBe("denied: requested access to the resource is denied");
  });

  it("drops a Maven or Gradle plugin's log level in front of the output it relays", () => {
    expect(cleanLine("[ERROR] denied: requested access to the resource is denied").text).toBe("denied: requested access to the resource is denied");
    expect(cleanLine("[INFO] BUILD FAILURE").text).toBe("BUILD FAILURE");
    expect(cleanLine("[builder 2/5] RUN make").text).toBe("[builder 2/5] RUN make");
  });

  it("reads curly quotes read back as Windows-1252 (`â€˜…â€™`) as quotes", () => {
    expect(cleanLine("/usr/bin/env: â€˜bash\\râ€™: No such file or directory").text).toBe("/usr/bin/env: 'bash\\r': No such file or directory");
    expect(cleanLine("failed to read â€œDockerfileâ€\u009d").text).toBe('failed to read "Dockerfile"');
  });

  it("drops fabric8 docker-maven-plugin's own prefix after the level, so the relayed BuildKit step is read", () => {
    expect(cleanLine("[INFO] DOCKER> unknown flag: --driver").text).toBe("unknown flag: --driver");
    expect(cleanLine("[INFO] DOCKER> #4 ERROR: failed to do request")).toMatchObject({ text: "ERROR: failed to do request", step: 4 });
    // (only as a prefix: the words elsewhere on a line are the line's own)
    expect(cleanLine("echo DOCKER> out.txt").text).toBe("echo DOCKER> out.txt");
  });

  it("ignores Markdown fences and quote marks", () => {
    expect(cleanLine("```bash").text).toBe("");
    expect(cleanLine("> > ERROR: x").text).toBe("ERROR: x");
  });
  it("caps very long lines but keeps their head and tail", () => {
    const line = `${"a".repeat(10_000)} exit code: 1`;
    const out = cleanLine(line).text;
    expect(out.length).toBeLessThan(4200);
    expect(out.endsWith("exit code: 1")).toBe(true);
  });
});

describe("assertLogText", () => {
  it("rejects empty input with a clear message", () => {
    expect(() => assertLogText("  \n\t")).toThrowError(InputError);
    expect(() => assertLogText("")).toThrow(/empty/);
  });
  it("rejects binary input", () => {
    expect(() => assertLogText("PK\u0003\u0004\u0000\u0000binary")).toThrow(/binary/);
    expect(() => assertLogText("\ufffd".repeat(100))).toThrow(/text/);
    expect(() => assertLogText("\ufffd".repeat(40) + "\n" + "x".repeat(100))).toThrow(/text/);
  });
  it("accepts a paste that shows a binary's bytes among its lines", () => {
    // (Crystal's interpreter reading /bin/sh as source, https://github.com/84codes/crystal-packages/issues/4)
    const paste = "$ docker run --rm -it 84codes/crystal:latest-alpine /bin/sh\nIn bin/sh:1:1\n\n 1 | \ufffdELF>\ufffd\ufffd\ufffd@\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd@8\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\n     ^\nError: unknown token: '\\u007F'\n";
    expect(() => assertLogText(paste)).not.toThrow();
  });
  it("rejects a binary whose NUL bytes were lost, by its control characters", () => {
    const bytes = "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u000b\u000e\u000f";
    const chunk = ("\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd" + bytes + "libc.so.6 __cxa_finalize GLIBC_2.2.5 ").repeat(20);
    expect(() => assertLogText(chunk)).toThrow(/text/);
  });
  it("accepts Chinese text", () => {
    expect(() => assertLogText("构建失败：打包目录不能出现中文")).not.toThrow();
  });
});

describe("spaced platforms", () => {
  it("reads `linux / arm64 / v8`, as issue editors write it, as a platform", () => {
    expect(cleanLine("WARNING: The requested image's platform (linux / amd64) does not match the detected host platform (Linux / ARM64 / v8)").text).toBe(
      "WARNING: The requested image's platform (linux/amd64) does not match the detected host platform (Linux/ARM64/v8)",
    );
  });
});

describe("typographic quotes", () => {
  it("reads a UTF-8 locale's ‘…’ and “…” as the C locale's plain quotes", () => {
    expect(cleanLine("0.173 wget: unable to resolve host address \u2018snapshot.debian.org\u2019").text).toBe("wget: unable to resolve host address 'snapshot.debian.org'");
    expect(cleanLine("error: \u201cfoo\u201d").text).toBe('error: "foo"');
  });
});

describe("relaying loggers", () => {
  it("drops Python logging's default `LEVEL:logger:` prefix, not BuildKit's `ERROR: ` verdict", () => {
    expect(cleanLine("INFO:Docker Client:ERROR: cannot download default sources list from:").text).toBe("ERROR: cannot download default sources list from:");
    expect(cleanLine("ERROR: failed to solve: process did not complete").text).toBe("ERROR: failed to solve: process did not complete");
  });
});

describe("Engine API JSON messages", () => {
  it("reads the json-file logging driver's lines as the container's own, and only those", () => {
    const text = prepareText(
      [
        '{"log":"standard_init_linux.go:207: exec user process caused \\"exec format error\\"\\n","stream":"stderr","time":"2019-02-22T08:03:43.382185872Z"}',
        '{"log":"ready","level":"info","caller":"main.go:12"}',
      ].join("\n"),
    );
    expect(text.split("\n")).toEqual([
      'standard_init_linux.go:207: exec user process caused "exec format error"',
      '{"log":"ready","level":"info","caller":"main.go:12"}',
    ]);
  });
  it("reads each message as the line it carries, one line per message", () => {
    const text = prepareText(
      [
        '{"stream":"Step 5/18 : RUN npm install pnpm -g \\u0026\\u0026 pnpm install"}',
        '{"stream":" ---\\u003e Running in f5a282eeeff7\\n"}',
        '{"stream":"\\u001b[91mnpm ERR! code ETIMEDOUT\\n\\u001b[0m"}',
        '{"status":"Pulling fs layer","progressDetail":{},"id":"5f70bf18a086"}',
        '{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}',
        '{"stream":"two\\nlines"}',
        '{"not":"a docker message"}',
      ].join("\n"),
    );
    expect(cleanLine(text.split("\n")[2]!)).toMatchObject({ text: "npm ERR! code ETIMEDOUT", stepStderr: true });
    expect(text.split("\n")).toEqual([
      "Step 5/18 : RUN npm install pnpm -g && pnpm install",
      " ---> Running in f5a282eeeff7",
      // (the step's stderr tint stays as a bare `[91m` for cleanLine, which reads and drops it)
      "[91mnpm ERR! code ETIMEDOUT",
      "5f70bf18a086: Pulling fs layer",
      "manifest unknown",
      "two lines",
      '{"not":"a docker message"}',
    ]);
  });

  it("leaves a line that only looks like one alone", () => {
    expect(prepareText('{"stream": broken')).toBe('{"stream": broken');
  });
});

describe("relayed prefixes and escapes", () => {
  it("drops pnpm's `<dir> <lifecycle>: ` prefix, after BuildKit's own", () => {
    expect(cleanLine("964.2 packages/backend postinstall: Error: Cannot find module 'x'").text).toBe("Error: Cannot find module 'x'");
    expect(cleanLine("packages/web build: error during build:").text).toBe("error during build:");
  });

  it("drops logrus's error levels (Docker 1.x) but keeps kaniko's INFO steps", () => {
    expect(cleanLine("FATA[0006] Tag latest not found in repository noonien/openwrt-buildroot").text).toBe("Tag latest not found in repository noonien/openwrt-buildroot");
    expect(cleanLine("ERRO[0103] Error from V2 registry: x").text).toBe("Error from V2 registry: x");
    expect(cleanLine("INFO[0012] RUN npm ci").text).toBe("INFO[0012] RUN npm ci");
  });

  it("reads past turbo's task prefix, not a log level's", () => {
    expect(cleanLine("292.1 @formbricks/web:build: Error: Export encountered an error on /500").text).toBe("Error: Export encountered an error on /500");
    expect(cleanLine("#5 3.2 web:build: Error: x").text).toBe("Error: x");
    expect(cleanLine("#7 1.2 ERROR:test: tests failed").text).toBe("ERROR:test: tests failed");
    expect(cleanLine("#5 3.2 go: downloading x").text).toBe("go: downloading x");
  });

  it("remembers a build tool's `[ERROR]` level it drops", () => {
    expect(cleanLine('[ERROR] Could not update repository "opam": rsync failed')).toMatchObject({ text: 'Could not update repository "opam": rsync failed', errorLevel: true });
    expect(cleanLine("[WARNING] Running as root is not recommended").errorLevel).toBeUndefined();
  });

  it("drops a chat's bold at a pasted line's edges only, not inside it nor Mix's `** (`", () => {
    expect(cleanLine("**ERROR: unsatisfiable constraints:**").text).toBe("ERROR: unsatisfiable constraints:");
    // (the closing `**` of a bold word mid-line stays: only the line's own edges are the editor's)
    expect(cleanLine("**bold** text").text).toBe("bold** text");
    expect(cleanLine("** (Mix) Could not compile").text).toBe("** (Mix) Could not compile");
  });

  it("drops a chat's inline-code backticks on a pasted line that opens with one, not a program's own backticks", () => {
    const cases: Array<[string, string]> = [
      // (https://github.com/ihuaylupo/manning-smia/issues/4: the level and the exit code marked up as code)
      ["`[ERROR]` The command '/bin/sh -c apk update' returned a non-zero code: `127`", "The command '/bin/sh -c apk update' returned a non-zero code: 127"],
      ["`ERROR: Service 'build-bundle' failed to build : Build failed`", "ERROR: Service 'build-bundle' failed to build : Build failed"],
      // (a program quoting with backticks mid-line keeps them: nerdctl's FATA line, cargo's `failed to fetch`)
      ["FATA[0000] `buildctl` needs to be installed", "`buildctl` needs to be installed"],
      ["error: failed to fetch `https://github.com/rust-lang/crates.io-index`", "error: failed to fetch `https://github.com/rust-lang/crates.io-index`"],
      ["```", ""],
      // (a line the paster wrapped whole, with the program's own span inside: that span is the program's)
      ["`#5 0.3 /bin/sh: 1: `foo`: not found`", "`#5 0.3 /bin/sh: 1: `foo`: not found`"],
    ];
    for (const [raw, want] of cases) expect(cleanLine(raw).text, raw).toBe(want);
  });

  it("drops an issue editor's italics around a pasted block, only as a pair", () => {
    const pasted = "_ERROR [internal] load metadata for docker.io/library/ubuntu:focal-\nfailed to create LLB definition: docker.io/library/ubuntu:focal-: not found_";
    expect(prepareText(pasted)).toBe("ERROR [internal] load metadata for docker.io/library/ubuntu:focal-\nfailed to create LLB definition: docker.io/library/ubuntu:focal-: not found");
    // (a lone edge underscore is a name's: an empty ARG's `python:3.11_`, `_JAVA_OPTIONS`)
    expect(prepareText("#3 [internal] load metadata for docker.io/library/python:3.11_")).toBe("#3 [internal] load metadata for docker.io/library/python:3.11_");
    expect(prepareText("_JAVA_OPTIONS=-Xmx2g\nPicked up _JAVA_OPTIONS")).toBe("_JAVA_OPTIONS=-Xmx2g\nPicked up _JAVA_OPTIONS");
    expect(prepareText("  File \"/app/__init__")).toBe('  File "/app/__init__');
    // (an env dump's `_CE_M=` is no opening: the editor's underscore stands before a word and a blank or colon)
    const dump = "_CE_M=\n\n#3 [internal] load metadata for docker.io/library/python:3.11_";
    expect(prepareText(dump)).toBe(dump);
  });

  it("reads past cargo's relay of a build script's line", () => {
    expect(cleanLine("#0 6.992   cargo:warning=bundled/sqlean/crypto/extension.h:9:10: fatal error: sqlite3ext.h: No such file or directory").text).toBe("bundled/sqlean/crypto/extension.h:9:10: fatal error: sqlite3ext.h: No such file or directory");
    expect(cleanLine("cargo:warning=").text).toBe("cargo:warning=");
  });

  it("reads past a deploy tool's time before BuildKit's lines only", () => {
    expect(cleanLine("2025-Jan-21 16:19:54.794393 #13 191.6 FATAL ERROR: Reached heap limit")).toMatchObject({ text: "FATAL ERROR: Reached heap limit", step: 13 });
    expect(cleanLine("[16:19:54] #7 0.215 exec /bin/sh: exec format error")).toMatchObject({ text: "exec /bin/sh: exec format error", step: 7 });
    expect(cleanLine("2025-01-21 16:19:54 +0000 #4 DONE 0.1s").step).toBe(4);
    // (a `: #` later in the line, `error: #error`, is no workspace prefix)
    expect(cleanLine("2025-Jan-21 16:19:54.794393 #13 3.402 src/simd.c:12:2: error: #error \"no SIMD\"")).toMatchObject({ text: 'src/simd.c:12:2: error: #error "no SIMD"', step: 13, timed: true });
    expect(cleanLine("16:19:54 starting the server").text).toBe("16:19:54 starting the server");
  });

  it("reads past Jenkins' Timestamper and Netlify's clock before a line, not a time in the text", () => {
    expect(cleanLine("09:32:29  [INFO]     [creator]     unable to invoke layer creator").text).toBe("[creator]     unable to invoke layer creator");
    expect(cleanLine("2:11:38 AM: FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - JavaScript heap out of memory").text).toBe(
      "FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - JavaScript heap out of memory",
    );
    // (one blank: the line's own words; a time with nothing after it is left)
    expect(cleanLine("16:19:54 starting the server").text).toBe("16:19:54 starting the server");
    expect(cleanLine("16:19:54  ").text).toBe("16:19:54");
    expect(cleanLine("09:32:30   ---> e1034d53eece").text).toBe("---> e1034d53eece");
  });

  it("reads past TeamCity's clock, status and block names, not a bracketed word of the line's own", () => {
    // [pasted line, what the patterns see]
    const cases: Array<[string, string]> = [
      ["[17:31:52]W:         [docker] 2014/11/30 16:31:52 HTTP code: 502", "HTTP code: 502"],
      ["[17:31:51]i:     [Step 2/2] ##teamcity[buildStatisticValue key='x' value='0.0']", "##teamcity[buildStatisticValue key='x' value='0.0']"],
      ["[10:51:35]The command '/bin/sh -c cd src && make' returned a non-zero code: 2", "The command '/bin/sh -c cd src && make' returned a non-zero code: 2"],
      // (a tool's own bracketed level or tag after the block name stays)
      ["[10:12:10]W:\t [Step 3/3] [FATAL tini (7)] exec /app/run.sh failed: Exec format error", "[FATAL tini (7)] exec /app/run.sh failed: Exec format error"],
      ["[12:45:19]: [+] Building 12.3s (9/9) FINISHED", "[+] Building 12.3s (9/9) FINISHED"],
      // (a clock with nothing after it, or a clock inside the line, stays)
      ["[10:51:35]", "[10:51:35]"],
      ["step [10:51:35] done", "step [10:51:35] done"],
    ];
    for (const [pasted, seen] of cases) expect(cleanLine(pasted).text, pasted).toBe(seen);
    // (the `[ERROR]` level after the block name is read as the line's own level)
    expect(cleanLine('[10:12:09]E:\t [Step 2/3] [ERROR] Could not update repository "opam": rsync failed')).toMatchObject({ text: 'Could not update repository "opam": rsync failed', errorLevel: true });
  });

  it("drops the Dev Containers CLI's millisecond stamp, not a bracketed word", () => {
    expect(cleanLine("[6141 ms] Could not resolve Feature manifest for 'ghcr.io/a/b:1'.").text).toBe("Could not resolve Feature manifest for 'ghcr.io/a/b:1'.");
    expect(cleanLine("[httpOci] 403: Failed to fetch bearer token for 'ghcr.io': x").text).toBe("[httpOci] 403: Failed to fetch bearer token for 'ghcr.io': x");
    expect(cleanLine("[54490 ms] [2024-06-05T23:55:45.836Z] [httpOci] 403: Failed to fetch bearer token for 'ghcr.io': x").text).toBe("[httpOci] 403: Failed to fetch bearer token for 'ghcr.io': x");
  });

  it("drops pytest's `E` gutter, also behind a web viewer's glued line number, not a word that starts with E", () => {
    expect(cleanLine("E       docker.errors.DockerException: Error while fetching server API version").text).toBe("docker.errors.DockerException: Error while fetching server API version");
    expect(cleanLine("476E           requests.exceptions.ConnectionError: ('Connection aborted.', x)").text).toBe("requests.exceptions.ConnectionError: ('Connection aborted.', x)");
    expect(cleanLine("E: Unable to locate package foo").text).toBe("E: Unable to locate package foo");
    expect(cleanLine("Error: boom").text).toBe("Error: boom");
    expect(cleanLine("EXPOSE  8080").text).toBe("EXPOSE  8080");
  });
  it("drops glog/klog's `E0509 12:49:10.359796  29034 file.go:194] ` prefix", () => {
    expect(cleanLine("E0509 12:49:10.359796   29034 kuberuntime_image.go:53] Pull image failed").text).toBe("Pull image failed");
  });

  it("unescapes a structured log field's quotes, not a RUN command's", () => {
    expect(cleanLine('level=error error="Get \\"https://r.example/v2/\\": x509: certificate signed by unknown authority"').text).toBe(
      'level=error error="Get "https://r.example/v2/": x509: certificate signed by unknown authority"',
    );
    expect(cleanLine('#9 ERROR: process "/bin/sh -c echo \\"hi\\"" did not complete successfully: exit code: 1').text).toBe(
      'ERROR: process "/bin/sh -c echo \\"hi\\"" did not complete successfully: exit code: 1',
    );
  });
});

describe("look-alikes the normalisation leaves alone", () => {
  it("keeps every word of JSON that is not one of the Engine's message shapes", () => {
    const api = '{"status":"error","message":"pull access denied for foo, repository does not exist or may require \'docker login\'"}';
    expect(prepareText(api)).toBe(api);
    const oauth = '{"error":"invalid_grant","error_description":"token expired"}';
    expect(prepareText(oauth)).toBe(oauth);
  });

  it("keeps a bare word before `build:`, a URL after `ERROR:`, and an OSC left open to its own line", () => {
    expect(cleanLine("docker build: error checking context: can't stat '/src/x'").text).toBe("docker build: error checking context: can't stat '/src/x'");
    expect(cleanLine("ERROR:Get https://registry.example.com/v2/: x509: certificate signed by unknown authority").text).toBe(
      "ERROR:Get https://registry.example.com/v2/: x509: certificate signed by unknown authority",
    );
    expect(prepareText("\u001b]0;title\nline two\nnpm ERR! x \u0007\nlast").split("\n")).toHaveLength(4);
  });
});
