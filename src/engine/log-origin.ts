// Where the log was printed: a CI system (by its own banners) or a person's terminal (by the shapes
// only a terminal gets). Fix steps written for one CI service carry `whenFact: { origin: [...] }`,
// so a GitHub Actions step is not offered for a log pasted from a laptop or a GitLab job. GitHub
// Actions itself is the `github-actions` condition (its timestamps and `##[...]` commands).
import type { FactState, Probe } from "./facts.js";

export const ORIGINS = ["github-actions", "gitlab-ci", "jenkins", "azure-pipelines", "travis-ci", "circleci", "terminal"] as const;
export type Origin = (typeof ORIGINS)[number];

const originKnown = (state: FactState): boolean => Boolean(state.origin);

const origin = (keywords: string[], shape: RegExp, value: Origin): Probe => ({
  keywords,
  sets: [],
  known: originKnown,
  visit(line, state) {
    if (!state.origin && shape.test(line)) state.origin = value;
  },
});

export const ORIGIN_PROBES: Probe[] = [
  // The runner's banner, its stage headers and its final verdict.
  origin(["running with gitlab-runner", "executing \"step_script\" stage", "error: job failed"], /Running with gitlab-runner|Executing "step_script" stage|ERROR: Job failed(?: \(system failure\))?:/, "gitlab-ci"),
  origin(["[pipeline] ", "finished: failure"], /^\[Pipeline\] \w|^Finished: FAILURE\b/, "jenkins"),
  // Azure Pipelines shares GitHub's `##[error]` but not `##[section]`.
  origin(["##[section]starting:", "##[section]finishing:"], /##\[section\](?:Starting|Finishing):/, "azure-pipelines"),
  origin(["exited with "], /^The command "[^"]+" exited with \d+\.$/, "travis-ci"),
  origin(["circleci", "exited with code exit status"], /Exited with code exit status \d+|^CircleCI received exit code/, "circleci"),
  // Only a terminal gets BuildKit's tty view (CI gets the plain `#5 ...` lines), Docker Desktop's
  // context names, or a shell prompt in front of a docker command. (The prompt is not anchored: a
  // terminal's wrap may have joined it to the line above, and the byte path does not join lines.)
  origin(["[+] building", "desktop-linux", "docker:desktop", "$ docker", "> docker", "% docker"], /^\[\+\] Building \d|docker:desktop-linux|(?:PS [A-Z]:\\[^>\n]*> ?|@[\w.-]+(?::[^$#\s]*)?[$#] ?|\b\w+% )docker(?:-compose)?\b/i, "terminal"),
];
