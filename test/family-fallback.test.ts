// Family fallbacks read from the error chain, Docker-specific vs generic wording, and the
// promise that scary words outside Docker output never get a confident answer.
import { describe, expect, it } from "vitest";
import { builtinEngine } from "./helpers/engine.js";
import { renderJson } from "../src/renderers/json.js";

const top = (log: string) => builtinEngine().diagnose(log).diagnoses[0];
const confident = (c: string | undefined) => c === "high" || c === "medium";

describe("family fallbacks", () => {
  it("classifies the innermost link of a chain, not the outer ones", () => {
    // The outer links say "authorize" and "token"; the cause is the network.
    const d = top(`#2 [internal] load metadata for docker.io/library/alpine:3.20
#2 ERROR: failed to authorize: failed to fetch anonymous token: Get "https://auth.docker.io/token?scope=repository%3Alibrary%2Falpine%3Apull": read tcp 10.0.0.2:51234->3.3.3.3:443: read: connection reset by peer`);
    expect(d?.ruleId).toBe("network-failure");
    expect(confident(d?.confidence)).toBe(true);
  });

  it("answers a new wording of a known family at medium, above run-step-failed", () => {
    const r = builtinEngine().diagnose(`#6 [builder 4/7] RUN cargo fetch
#6 73.11 error: failed to get \`serde\` as a dependency of package \`app v0.1.0 (/src)\`
#6 73.11   [28] Timeout was reached (Operation too slow. Less than 10 bytes/sec transferred the last 30 seconds)
#6 ERROR: process "/bin/sh -c cargo fetch" did not complete successfully: exit code: 101`);
    expect(r.diagnoses.map((d) => [d.ruleId, d.variant, d.confidence])).toEqual([
      ["network-failure", "network-cause", "medium"],
      ["run-step-failed", "buildkit", "medium"],
    ]);
  });

  it("reads the failing step: the same 403 is a push denial while pushing and a login problem while pulling", () => {
    const push = top(`#14 exporting to image
#14 pushing layers
#14 ERROR: failed to push registry.gitlab.com/acme/app:2.0: denied: access forbidden`);
    const pull = top(`#4 [internal] load metadata for registry.gitlab.com/acme/base:1
#4 ERROR: failed to resolve source metadata for registry.gitlab.com/acme/base:1: denied: access forbidden`);
    expect(push?.ruleId).toBe("push-access-denied");
    expect(pull?.ruleId).toBe("registry-auth-missing");
  });

  it("stands aside where a rule's own wording explains the line", () => {
    const r = builtinEngine().diagnose(`sudo docker buildx build --platform linux/arm64 .
error: failed to solve: failed to do request: Head http://localhost:5000/v2/app/manifests/1: dial tcp 127.0.0.1:5000: connect: connection refused`);
    expect(r.diagnoses[0]?.ruleId).toBe("localhost-unreachable-from-builder");
    expect(r.diagnoses.map((d) => d.variant)).not.toContain("network-cause");
  });

  it("puts family beside ruleId in the JSON contract (buildkit-required reports as dockerfile-syntax)", () => {
    const r = builtinEngine().diagnose(`#1 [internal] load build definition from Dockerfile
Step 5/9 : RUN --mount=type=cache,target=/root/.npm npm ci
the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled`);
    const json = JSON.parse(renderJson(r)) as { diagnoses: Array<Record<string, unknown>> };
    expect(Object.keys(json.diagnoses[0]!).slice(0, 2)).toEqual(["ruleId", "family"]);
    expect(json.diagnoses[0]).toMatchObject({ ruleId: "buildkit-required", family: "dockerfile-syntax" });
  });
});

describe("wording: Docker's own words are their own evidence; generic words need Docker output", () => {
  it("answers a one-line chat paste of a Docker-specific error confidently", () => {
    expect(top("denied: requested access to the resource is denied")).toMatchObject({ ruleId: "push-access-denied", confidence: "high" });
    expect(top("ERROR: failed to solve: alpine:3.19: failed to resolve source metadata for docker.io/library/alpine:3.19: no match for platform in manifest: not found")).toMatchObject({
      ruleId: "no-matching-manifest",
      confidence: "high",
    });
  });

  it("reads curl's failure to resolve a bare service name as the container's network, not the build's", () => {
    // (allenporter/stream-addons#21: an add-on's own curl at container start; its wrong-arch binary is the cause)
    const log = `$ docker run ghcr.io/allenporter/armv7-rtsp-to-web:latest
./run: line 12: /app/rtsp-to-web: cannot execute binary file: Exec format error
curl: (6) Could not resolve host: supervisor
[02:18:25] ERROR: Something went wrong contacting the API`;
    expect(top(log)).toMatchObject({ ruleId: "exec-format-error" });
    expect(builtinEngine().diagnose(log).diagnoses.find((d) => d.ruleId === "network-failure" && confident(d.confidence))).toBeUndefined();
    // a real host name still is the network
    expect(top("#7 3.2 curl: (6) Could not resolve host: deb.nodesource.com")).toMatchObject({ ruleId: "network-failure" });
  });

  it("keeps a bare generic line low", () => {
    const d = top("dial tcp 10.1.2.3:443: i/o timeout");
    expect(d?.confidence).toBe("low");
  });

  it("recognises BuildKit's tty view without the word docker", () => {
    const d = top(`237.6 info There appears to be trouble with your network connection. Retrying...
377.1 error Error: https://registry.yarnpkg.com/date-fns/-/date-fns-2.30.0.tgz: ESOCKETTIMEDOUT`);
    expect(d).toMatchObject({ ruleId: "network-failure" });
    expect(confident(d?.confidence)).toBe(true);
  });

  const scary: Array<[string, string]> = [
    ["a failing unit test that cannot reach its database", "FAILED tests/test_db.py::test_connect - ConnectionRefusedError: [Errno 111] Connection refused\n======= 1 failed, 41 passed in 3.12s ======="],
    ["a Jest test timing out on an HTTP call", "  ● api › fetches the user\n    FetchError: request to https://api.example.com/users/1 failed, reason: getaddrinfo ENOTFOUND api.example.com\nTests:       1 failed, 12 passed, 13 total"],
    // (the same with a real public API: the test runner's report, not the reserved name, keeps it unconfident)
    ["a Jest test whose HTTP call cannot resolve a public API", "  ● api › fetches the user\n    FetchError: request to https://api.github.com/users/octocat failed, reason: getaddrinfo ENOTFOUND api.github.com\nTests:       1 failed, 12 passed, 13 total"],
    ["a compiler error", "src/main.c:12:5: error: unknown type name 'uint8'\n   12 |     uint8 x = 0;\n      |     ^~~~~\nmake: *** [Makefile:8: main.o] Error 1"],
    ["a Node app crashing at run time", "<--- Last few GCs --->\nFATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory\nerror Command failed with exit code 134."],
    ["a Go service losing its upstream", "2024/05/01 10:00:00 rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 10.0.0.5:9000: connect: connection refused\""],
    ["an HTTP client test getting 401 and 503", "AssertionError: expected status 200, got 401 Unauthorized\nAssertionError: expected status 200, got 503 Service Unavailable"],
    // ENOSPC where the kernel means no disk, and the OOM words any program prints (`names-cause` must not reach them)
    ["PostgreSQL filling a container's /dev/shm", 'ERROR:  could not resize shared memory segment "/PostgreSQL.2058389254" to 16777216 bytes: No space left on device'],
    ["Apache out of semaphores", "[core:emerg] [pid 1:tid 140234] (28)No space left on device: AH00023: Couldn't create the proxy mutex\nAH00016: Configuration Failed"],
    ["systemd out of inotify watches", "Failed to add /run/systemd/ask-password to directory watch: No space left on device"],
    ["Go's fsnotify out of inotify watches", 'level=fatal msg="failed to watch config" error="inotify_add_watch /etc/app/conf.d: no space left on device"'],
    ["a Go service running out of memory", "2024/05/01 10:00:00 serving on :8080\nfatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw({0x1a2b3c4, 0x16})"],
    ["cargo relaying its server's SIGKILL", "     Running `target/release/server`\nerror: process didn't exit successfully: `target/release/server` (signal: 9, SIGKILL: kill)"],
    ["a cargo test binary killed by a timeout", "Caused by:\n  process didn't exit successfully: `/home/runner/work/app/target/debug/deps/integration-3f2b9c1d0e8a7b6c` (signal: 9, SIGKILL: kill)"],
  ];
  for (const [what, log] of scary) {
    it(`gives no confident answer on ${what}`, () => {
      expect(builtinEngine().diagnose(log).diagnoses.filter((d) => confident(d.confidence))).toEqual([]);
    });
  }

  // Words that name their cause in any program (`wording: names-cause`): a full disk is a full disk whatever wrote to
  // it, so the paste alone gets that answer, at medium: never high without Docker output, which would claim a build.
  it("names a full disk from a Python app's ENOSPC alone, at medium only", () => {
    const d = top("Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nOSError: [Errno 28] No space left on device");
    expect(d).toMatchObject({ ruleId: "disk-full", confidence: "medium" });
  });
  it("reads inotify's ENOSPC as no disk at all (a watch limit)", () => {
    const d = top("[2019/01/09 17:06:01] [error] [plugins/in_tail/tail_fs.c:218 errno=28] No space left on device\ntail: inotify resources exhausted");
    expect(confident(d?.confidence)).toBe(false);
  });
  it("names DNS from a failed lookup of a dotted host alone, at medium, but not a one-word service name", () => {
    // (git's and composer's words in a running container: the resolver names its cause, the host is public)
    expect(top("fatal: unable to access 'https://github.com/Boran/drupal-make1/': Could not resolve host: github.com")).toMatchObject({ ruleId: "network-failure", variant: "dns", confidence: "medium" });
    expect(top("Error: getaddrinfo EAI_AGAIN registry.npmjs.org")).toMatchObject({ ruleId: "network-failure", variant: "dns", confidence: "medium" });
    // (a Compose app looking up its database by service name: the app's config, not the network)
    expect(confident(top("traduora_1  | Error: getaddrinfo ENOTFOUND mysqldb\ntraduora_1  |     at GetAddrInfoReqWrap.onlookup [as oncomplete] (dns.js:66:26)")?.confidence)).toBe(false);
    expect(confident(top("Error: dial tcp: lookup db on 192.168.65.1:53: no such host")?.confidence)).toBe(false);
  });
  it("names the network from a package manager's failed download of a public host alone, not of a local service", () => {
    expect(top("E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Could not connect to deb.debian.org:80 (151.101.2.132), connection timed out")).toMatchObject({ ruleId: "network-failure", variant: "package-manager-public", confidence: "medium" });
    // (a health check of a container on the bridge network: the app there did not start)
    expect(confident(top("curl: (7) Failed to connect to 172.17.0.2 port 3000 after 3080 ms: No route to host")?.confidence)).toBe(false);
    expect(confident(top("requests.packages.urllib3.exceptions.MaxRetryError: HTTPConnectionPool(host='localhost', port=9997): Max retries exceeded with url: /v2/questions (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused',))")?.confidence)).toBe(false);
  });
  it("names a build's heap from V8's words under a build tool, not under a host's prompt nor in a running app", () => {
    const heap = "<--- Last few GCs --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory";
    expect(top(`> web@0.1.0 build\n> next build\n\nCreating an optimized production build ...\n${heap}`)).toMatchObject({ ruleId: "build-out-of-memory", variant: "node-heap-build-tool", confidence: "medium" });
    // (the same build started at a host's shell prompt: no Docker involved)
    expect(confident(top(`dev@laptop:~/web$ npm run build\n\n> web@0.1.0 build\n> next build\n${heap}`)?.confidence)).toBe(false);
    // (a server's heap at run time names no build tool)
    expect(confident(top(`api_1  | Listening on :3000\n${heap}`)?.confidence)).toBe(false);
  });
  it("keeps the names-cause answers away from a host's prompt, a test suite, a private address and a running server's heap", () => {
    // (sudo at the prompts the first regex missed: Fedora's, macOS zsh's, oh-my-zsh's, and `sudo -E`)
    for (const prompt of ["[me@fedora ~]$ sudo", "me@MacBook-Pro ~ % sudo", "➜  ~ sudo", "me@box:~$ sudo -E"])
      expect(confident(top(`${prompt} apt-get update\nErr:1 http://archive.ubuntu.com/ubuntu jammy InRelease\n  Temporary failure resolving 'archive.ubuntu.com'`)?.confidence)).toBe(false);
    // (a test that reached out: pytest's summary line)
    expect(confident(top("FAILED tests/test_api.py::test_fetch - requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.github.com', port=443): Max retries exceeded with url: /repos/foo/bar (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution'))")?.confidence)).toBe(false);
    // (Kubernetes' service names, CGNAT, link-local and IPv6 local addresses)
    expect(confident(top("dial tcp: lookup redis.default.svc on 10.96.0.10:53: no such host")?.confidence)).toBe(false);
    for (const addr of ["100.64.0.5", "169.254.169.254", "::1", "fd00::5"])
      expect(confident(top(`curl: (7) Failed to connect to ${addr} port 8080 after 3001 ms: Connection timed out`)?.confidence)).toBe(false);
    // (Go's refused resolver: `read: connection refused` after the addresses)
    expect(top('dial tcp: lookup proxy.golang.org on 127.0.0.53:53: read udp 127.0.0.1:43254->127.0.0.53:53: read: connection refused')).toMatchObject({ ruleId: "network-failure", variant: "dns", confidence: "medium" });
    const heap = "<--- Last few GCs --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory";
    // (a server whose start script ran tsc, a Next.js server's webpack-runtime.js, webpack's dev server)
    expect(confident(top(`> api@1.0.0 start\n> tsc && node dist/server.js\n\nServer listening on port 3000\n${heap}`)?.confidence)).toBe(false);
    expect(confident(top(`> next start\n    at __webpack_require__ (/app/.next/server/webpack-runtime.js:33:42)\n${heap}`)?.confidence)).toBe(false);
    expect(confident(top(`> webpack serve --mode development\nwebpack 5.88.0 compiled successfully in 5123 ms\n${heap}`)?.confidence)).toBe(false);
    // (a build started at macOS's, oh-my-zsh's or PowerShell's prompt, on any drive)
    for (const prompt of ["me@MacBook-Pro web % npm run build", "➜  web git:(main) ✗ yarn build", "PS D:\\repos\\web> npm run build"])
      expect(confident(top(`${prompt}\n\n> web@0.1.0 build\n> vite build\n${heap}`)?.confidence)).toBe(false);
  });
  it("reads in Docker's output every resolver line the dns variant sets aside", () => {
    // (a private zone or a sudo prompt excludes dns's names-cause reading, not the build's network failure)
    expect(top(`$ sudo podman build .\nSTEP 3/5: RUN cargo fetch\n  [6] Couldn't resolve host name (Could not resolve host: mirror.lan)\nError: building at STEP "RUN cargo fetch": while running runtime: exit status 101`)).toMatchObject({ ruleId: "network-failure", confidence: "high" });
    expect(top(`#9 [4/6] RUN composer install\n#9 3.22   curl error 6 while downloading https://satis.mycorp.internal/packages.json: Couldn't resolve host name\n#9 ERROR: process "/bin/sh -c composer install" did not complete successfully: exit code: 100`)).toMatchObject({ ruleId: "network-failure", confidence: "high" });
  });
  it("package-manager-public sets aside at least every line package-manager does, so it adds nothing in Docker's output", () => {
    const rule = builtinEngine().rules.find((r) => r.rule.id === "network-failure")!.rule;
    const pm = rule.variants!.find((v) => v.name === "package-manager")!.match;
    const pub = rule.variants!.find((v) => v.name === "package-manager-public")!.match;
    expect(pub.any).toEqual(pm.any);
    expect(pub.keywords).toEqual(pm.keywords);
    const key = (n: { pattern: string; within: number; side: string; sameStep: boolean; timed: boolean }) => JSON.stringify([n.pattern, n.within, n.side, n.sameStep, n.timed]);
    const own = new Set(pub.notNear.map(key));
    for (const n of pm.notNear) expect(own.has(key(n)), n.pattern).toBe(true);
    expect(pub.unless).toEqual(expect.arrayContaining(pm.unless));
    expect([pub.near, pub.context, pub.when, pub.notInRun]).toEqual([pm.near, pm.context, pm.when, pm.notInRun]);
  });
  it("gives a compiler's SIGKILL alone the out-of-memory answer at medium, its bare signal number nothing confident", () => {
    expect(top("cc1plus: fatal error: Killed signal terminated program cc1plus\ncompilation terminated.")).toMatchObject({ ruleId: "build-out-of-memory", confidence: "medium" });
    expect(confident(top("  process didn't exit successfully: `rustc --crate-name syn src/lib.rs` (signal: 9)")?.confidence)).toBe(false);
  });
});
