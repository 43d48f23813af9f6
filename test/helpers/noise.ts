// Benign build chatter to bury a log in: what surrounds a real failure in a CI log (npm and pip
// installs, apt, Go module downloads, BuildKit progress of other steps, compiler warnings).
// Deterministic (seeded), so a failure it causes can be replayed.

const PACKAGES = ["lodash", "react-dom", "typescript", "requests", "numpy", "urllib3", "libssl3", "cobra", "serde", "webpack"];

function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const LINES: Array<(r: () => number, step: number) => string> = [
  (r) => `npm WARN deprecated ${PACKAGES[Math.floor(r() * 10)]}@${Math.floor(r() * 9)}.0.${Math.floor(r() * 20)}: This module is not supported, and leaks memory.`,
  (r) => `added ${Math.floor(r() * 2000)} packages, and audited ${Math.floor(r() * 2000)} packages in ${Math.floor(r() * 60)}s`,
  () => "npm notice New minor version of npm available! 10.2.4 -> 10.8.1",
  () => "found 0 vulnerabilities",
  (r) => `Collecting ${PACKAGES[Math.floor(r() * 10)]}==${Math.floor(r() * 5)}.${Math.floor(r() * 30)}.0`,
  (r) => `  Downloading ${PACKAGES[Math.floor(r() * 10)]}-2.31.0-py3-none-any.whl (${Math.floor(r() * 900)} kB)`,
  () => "Requirement already satisfied: idna<4,>=2.5 in /usr/local/lib/python3.11/site-packages (from requests) (3.6)",
  () => "Installing collected packages: urllib3, idna, charset-normalizer, certifi, requests",
  (r) => `Get:${Math.floor(r() * 90)} http://deb.debian.org/debian bookworm/main amd64 ${PACKAGES[Math.floor(r() * 10)]} amd64 3.0.11-1~deb12u2 [${Math.floor(r() * 3000)} kB]`,
  (r) => `Setting up ${PACKAGES[Math.floor(r() * 10)]}:amd64 (3.0.11-1~deb12u2) ...`,
  (r) => `go: downloading github.com/spf13/${PACKAGES[Math.floor(r() * 10)]} v1.${Math.floor(r() * 9)}.0`,
  (r) => `src/net/client.c:${Math.floor(r() * 900)}:${Math.floor(r() * 40)}: warning: unused variable 'rc' [-Wunused-variable]`,
  () => "warning: field `id` is never read",
  () => "   Compiling serde v1.0.193",
  (_r, step) => `#${step} [internal] load .dockerignore`,
  (r, step) => `#${step} transferring context: ${Math.floor(r() * 900)}kB done`,
  (r, step) => `#${step} DONE ${(r() * 3).toFixed(1)}s`,
  (_r, step) => `#${step} [build ${step % 9}/9] WORKDIR /app`,
  (_r, step) => `#${step} CACHED`,
  (r, step) => `#${step} ${(r() * 90).toFixed(3)} > app@1.0.0 build`,
  (r, step) => `#${step} sha256:4abcf20661432fb2d719aaf90656f55c287f8ca915dc1c92ec14ff61e67fbaf8 ${Math.floor(r() * 30)}.2MB / 30.4MB ${(r() * 3).toFixed(1)}s`,
];

/** `log` between ~1 500 benign lines before and ~1 500 after. */
export function buryInNoise(log: string, seed: number, lines = 3000): string {
  const r = rng(seed + 1);
  const make = (n: number, firstStep: number) =>
    Array.from({ length: n }, (_, i) => LINES[Math.floor(r() * LINES.length)]!(r, firstStep + Math.floor(i / 40))).join("\n");
  return `${make(lines / 2, 900)}\n${log.trimEnd()}\n${make(lines / 2, 980)}\n`;
}
