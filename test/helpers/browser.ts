// A real headless Chromium for the console's end-to-end tests: Debian's `chromium` (or
// CHROMIUM_PATH) driven by playwright-core. Without one, the tests are skipped and say why,
// except in CI (CI=true), where its absence fails them.
import { existsSync } from "node:fs";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export const chromiumPath = CANDIDATES.find((p): p is string => Boolean(p && existsSync(p)));
export const inCI = process.env.CI === "true" || process.env.CI === "1";
export const BROWSER_SKIP_REASON = "browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)";
if (!chromiumPath && !inCI) console.warn(BROWSER_SKIP_REASON);
