// The logs `npm run bench` measures: plain BuildKit progress output of a long multi-stage
// build (apt, npm and layer-export steps) with the failure where real logs have it, near the
// end, and one inside the run. Deterministic: the same size gives the same bytes.
// A small deterministic PRNG so every run benchmarks the same bytes.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PACKAGES = ["libssl3", "ca-certificates", "curl", "git", "python3-pip", "build-essential", "libpq-dev", "tzdata", "openssh-client", "zlib1g"];
const NPM = ["react", "lodash", "typescript", "webpack", "eslint", "@babel/core", "express", "vite", "rollup", "jest"];

/** Plain BuildKit progress output of a long multi-stage build, as `--progress=plain` prints it. */
export function buildkitLog(targetBytes: number, seed: number, failures: string[]): string {
  return [...buildkitChunks(targetBytes, seed, failures)].join("");
}

/** The same log in chunks of about a step each, so that a 300 MB log never sits in memory. */
export function* buildkitChunks(targetBytes: number, seed: number, failures: string[]): Generator<string> {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const parts: string[] = [
    "$ docker buildx build --platform linux/amd64,linux/arm64 -t ghcr.io/acme/shop-api:1.4.2 --push .",
    '#0 building with "multiarch" instance using docker-container driver',
    "#1 [internal] load build definition from Dockerfile",
    "#1 transferring dockerfile: 1.32kB done",
    "#1 DONE 0.0s",
    "#2 [linux/amd64 internal] load metadata for docker.io/library/node:20-bookworm",
    "#2 DONE 1.1s",
  ];
  let size = parts.reduce((n, l) => n + l.length + 1, 0);
  yield `${parts.join("\n")}\n`;
  let middleDone = false;
  let step = 3;
  let t = 0;
  while (size < targetBytes) {
    const kind = rand();
    const lines: string[] = [];
    if (kind < 0.4) {
      lines.push(`#${step} [linux/${pick(["amd64", "arm64"])} builder ${step % 9}/9] RUN apt-get update && apt-get install -y --no-install-recommends ${pick(PACKAGES)}`);
      for (let i = 0; i < 200; i++) {
        t += rand() * 0.05;
        const pkg = pick(PACKAGES);
        lines.push(
          pick([
            `#${step} ${t.toFixed(3)} Get:${i} http://deb.debian.org/debian bookworm/main amd64 ${pkg} amd64 3.0.${i} [${(rand() * 900).toFixed(0)} kB]`,
            `#${step} ${t.toFixed(3)} Selecting previously unselected package ${pkg}:amd64.`,
            `#${step} ${t.toFixed(3)} Unpacking ${pkg}:amd64 (3.0.${i}-1~deb12u1) ...`,
            `#${step} ${t.toFixed(3)} Setting up ${pkg}:amd64 (3.0.${i}-1~deb12u1) ...`,
            `#${step} ${t.toFixed(3)} debconf: delaying package configuration, since apt-utils is not installed`,
          ]),
        );
      }
    } else if (kind < 0.75) {
      lines.push(`#${step} [linux/amd64 builder ${step % 9}/9] RUN npm ci --no-audit`);
      for (let i = 0; i < 200; i++) {
        t += rand() * 0.05;
        const mod = pick(NPM);
        lines.push(
          pick([
            `#${step} ${t.toFixed(3)} npm WARN deprecated ${mod}@${i % 9}.${i % 7}.0: this version is no longer supported, please upgrade`,
            `#${step} ${t.toFixed(3)} npm http fetch GET 200 https://registry.npmjs.org/${mod} ${(rand() * 300).toFixed(0)}ms (cache revalidated)`,
            `#${step} ${t.toFixed(3)} added ${(rand() * 900).toFixed(0)} packages, and audited ${(rand() * 1000).toFixed(0)} packages in ${(rand() * 60).toFixed(0)}s`,
            `#${step} ${t.toFixed(3)} src/components/Widget${i}.tsx(12,7): warning TS6133: 'unused' is declared but its value is never read.`,
            `#${step} ${t.toFixed(3)} > shop-api@1.4.2 build && tsc -p tsconfig.json && vite build --mode production`,
          ]),
        );
      }
    } else {
      lines.push(`#${step} [linux/amd64 stage-${step % 3} 1/4] FROM docker.io/library/node:20-bookworm@sha256:${"4f".repeat(32)}`);
      lines.push(`#${step} resolve docker.io/library/node:20-bookworm@sha256:${"4f".repeat(32)} 0.0s done`);
      lines.push(`#${step} exporting to image`, `#${step} exporting layers`);
      for (let i = 0; i < 100; i++) {
        const mb = (rand() * 80).toFixed(2);
        lines.push(`#${step} sha256:${Math.floor(rand() * 2 ** 52).toString(16).padStart(13, "0")}${"0".repeat(51)} ${mb}MB / ${mb}MB ${(rand() * 4).toFixed(1)}s done`);
      }
      lines.push(`#${step} pushing layers ${(rand() * 9).toFixed(1)}s done`);
    }
    lines.push(`#${step} DONE ${(rand() * 40).toFixed(1)}s`);
    step++;
    const chunk = lines.join("\n");
    size += chunk.length + 1;
    // The failures sit where they do in real logs: one inside the run, the rest at the end.
    if (!middleDone && size > targetBytes / 2) {
      middleDone = true;
      yield `${failures.slice(0, 1).join("\n")}\n`;
    }
    yield `${chunk}\n`;
  }
  yield `${failures.slice(1).join("\n")}\n`;
}

export const FAILURES = [
  "#41 12.31 qemu: uncaught target signal 11 (Segmentation fault) - core dumped",
  "#57 [linux/arm64 builder 7/9] RUN npm run build",
  "#57 0.412 exec /bin/sh: exec format error",
  "#57 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1",
  "------",
  " > [linux/arm64 builder 7/9] RUN npm run build:",
  "0.412 exec /bin/sh: exec format error",
  "------",
  'ERROR: failed to solve: process "/bin/sh -c npm run build" did not complete successfully: exit code: 1',
];

