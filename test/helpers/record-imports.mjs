// Preloaded with `node --import` by test/cli-startup.test.ts: records every module the process
// resolves (ESM imports and the CommonJS modules they import) to the file named by
// RECORD_IMPORTS, one URL a line, so a test can see what a command loaded.
import { register } from "node:module";

register("./record-imports-hooks.mjs", import.meta.url, { data: { file: process.env.RECORD_IMPORTS } });
