// Whose words make a log Docker output: compose v1's commands open a scope like docker's own, and
// Buildkite (a CI service) is not BuildKit.
import { describe, expect, it } from "vitest";
import { builtinEngine } from "./helpers/engine.js";

/** The answers a user would act on (high/medium); `low` ones are only hints. */
const confident = (log: string) => builtinEngine().diagnose(log).diagnoses.filter((d) => d.confidence !== "low");
const first = (log: string) => builtinEngine().diagnose(log).diagnoses[0];

describe("docker-compose v1 commands", () => {
  it("global options before the verb: `docker-compose -f prod.yml up` starts containers", () => {
    const log = [
      "$ docker-compose -f docker-compose.prod.yml up",
      "worker_1  | [2018-02-02 14:14:04,293: ERROR/MainProcess] consumer: Cannot connect to amqp://guest:**@127.0.0.1:5672//: [Errno 111] Connection refused.",
    ].join("\n");
    // A service's own refused connection at runtime is the app's configuration, not a build's network.
    expect(confident(log)).toEqual([]);
  });

  it("`docker-compose version` is no command: the lines after it are not a container start", () => {
    const log = ["docker-compose version 1.29.2, build 5becea4c", "exec /app/server: exec format error"].join("\n");
    expect(first(log)).toMatchObject({ ruleId: "exec-format-error" });
  });
});

describe("Buildkite is not BuildKit", () => {
  it("a Buildkite agent's own TLS error is not a registry's", () => {
    const log = 'FATAL  Failed to change step: Put "https://agent.buildkite.com/v3/steps/abc": x509: certificate signed by unknown authority';
    expect(confident(log)).toEqual([]);
  });

  it("BuildKit's own name still marks Docker output", () => {
    const log = ["#5 [internal] booting buildkit", 'Get "https://registry.example.com/v2/": x509: certificate signed by unknown authority'].join("\n");
    expect(first(log)).toMatchObject({ ruleId: "registry-tls" });
  });
});

describe("a build that finished", () => {
  it("a step's own error lines it survived are not a failed step", () => {
    const log = [
      "Step 5/9 : RUN apt-get install -y cron && (systemctl enable cron || true)",
      " ---> Running in 3f2a1b4c5d6e",
      "/bin/sh: 1: systemctl: not found",
      "Removing intermediate container 3f2a1b4c5d6e",
      " ---> 9a8b7c6d5e4f",
      "Successfully built 9a8b7c6d5e4f",
      "Successfully tagged app:latest",
    ].join("\n");
    expect(confident(log)).toEqual([]);
  });

  it("the same line in a step that failed is the step's failure", () => {
    const log = ["Step 5/9 : RUN systemctl enable cron", " ---> Running in 3f2a1b4c5d6e", "/bin/sh: 1: systemctl: not found"].join("\n");
    expect(first(log)).toMatchObject({ ruleId: "run-step-failed", confidence: "medium" });
  });
});
