// Platform strings as Docker prints them ("linux/amd64/v4", "linux/arm64/v8", "arm64").

/** Drops CPU micro-architecture levels that never matter for a fix: amd64/v2..v4, arm64/v8. */
export function normalizePlatform(p: string): string {
  let s = p.trim().toLowerCase().replace(/\*$/, "");
  if (!s.includes("/")) s = `linux/${s}`;
  s = s.replace(/^linux\/x86_64/, "linux/amd64").replace(/^linux\/aarch64/, "linux/arm64");
  return s.replace(/^(linux\/amd64)\/v[1-4]$/, "$1").replace(/^(linux\/arm64)\/v8$/, "$1");
}

export function samePlatform(a: string, b: string): boolean {
  return normalizePlatform(a) === normalizePlatform(b);
}

/** "linux/amd64" -> "amd64", for binfmt's --install. */
export function archOf(p: string): string {
  return normalizePlatform(p).split("/")[1] ?? p;
}

export const PLATFORM_LIST = /^(?:[a-z0-9]+\/[a-z0-9_]+(?:\/v?[0-9a-z]+)?)(?:,[a-z0-9]+\/[a-z0-9_]+(?:\/v?[0-9a-z]+)?)*$/i;
