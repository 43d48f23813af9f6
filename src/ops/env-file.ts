// `.env` in the working directory, read once at start by the bot (`npm start`, the Docker
// image): Node's own parser (process.loadEnvFile). Variables already in the environment win,
// even when empty, so a process manager or `docker run -e` always overrides the file.
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** Loads `path` when it exists; returns the file loaded, if any. */
export function loadDotEnv(path = ".env"): string | undefined {
  const file = resolve(path);
  if (!existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}
