// Entry point of the `buildx-fix` command.
import { runCli } from "./program.js";

const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
