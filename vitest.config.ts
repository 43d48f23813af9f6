import { configDefaults, defineConfig } from "vitest/config";

// The Slack ack load test measures the bot's event loop under a burst, so it runs alone after
// everything else (a second project with a later groupOrder), not beside CPU-heavy test files.
const ALONE = ["test/slack-ack-load.test.ts"];

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    projects: [
      // Two workers on a 2-core machine (Vitest's default leaves one core idle): the ReDoS re-check's
      // minutes of CPU run beside the rest instead of before it.
      { extends: true, test: { name: "suite", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...ALONE], sequence: { groupOrder: 0 }, maxWorkers: 2 } },
      { extends: true, test: { name: "alone", include: ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
