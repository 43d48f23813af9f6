// Which repositories' runs the bot reads when someone pastes a run link in chat. GITHUB_TOKEN
// may read private repositories that the people in a channel cannot: without this check anyone
// could paste such a link and have the bot post that run's log lines (a confused deputy).
// GITHUB_REPOS lists them (`org/repo`, `org/*`, `*`); without it, the repositories that sent
// this bot a signed GitHub webhook delivery are allowed, and no other.
import type { Store } from "../../store/store.js";

const DAY = 24 * 60 * 60 * 1000;
/** A repository stays known this long after its last signed delivery. */
const REMEMBER_MS = 90 * DAY;

const key = (repo: string) => `github:webhook-repo:${repo.toLowerCase()}`;

/** Notes that `repo` sent a signed webhook delivery (the default allowlist). */
export async function rememberWebhookRepo(store: Store, repo: string): Promise<void> {
  await store.set(key(repo), true, REMEMBER_MS);
}

/** Whether `repo` ("owner/name") matches one of the comma-separated GITHUB_REPOS patterns. */
export function repoMatches(patterns: string, repo: string): boolean {
  const [owner, name] = repo.toLowerCase().split("/");
  return patterns
    .split(",")
    .map((p) => p.trim().toLowerCase())
    .some((p) => {
      if (p === "*") return true;
      const [o, n] = p.split("/");
      return o === owner && (n === "*" || n === name);
    });
}

export async function repoAllowed(reposSetting: string | undefined, store: Store | undefined, repo: string): Promise<boolean> {
  if (reposSetting) return repoMatches(reposSetting, repo);
  return store ? (await store.get<boolean>(key(repo))) === true : false;
}
