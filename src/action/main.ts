// Entry point of the GitHub Action (action.yml runs `node dist/src/action/main.js`).
import { runAction } from "./run.js";

process.exitCode = await runAction({ env: process.env, stdout: process.stdout, stderr: process.stderr });
