// Shell prompts in a pasted terminal session: where one command's output ends and the next begins,
// and whether that command runs a Docker program. The engine stops looking for Docker's words around
// a hit at a prompt (engine.ts), and a prompt that runs another program ends the docker command above
// it (facts.ts), so a host's `curl` after a `docker compose up` is the host's.
import { cleanLine } from "./normalize.js";

// A shell prompt that starts a command (`user@host:~$ `, `[root@host dir]# `, macOS zsh's `me@mac dir % `,
// `C:\dir>`, `PS C:\dir> `, `bash-5.1# `, zsh's `➜  dir `, after a conda/venv `(env) `): what follows
// it is that command's output. (Not a bare `$ ` or `% `: yarn and bun print `$ <script>` in their own
// output, and tools print `❯ ` before their lines.)
const PROMPT_COMMAND = /^(?:\([\w.-]{1,40}\) )?(?:PS [A-Z]:\\[^>\n]{0,200}> ?|[A-Z]:\\[^>\n]{0,200}> ?|\[[\w.-]{1,64}@[\w.-]{1,64} [^\]\n]{0,200}\][$#] |[\w.-]{1,64}@[\w.-]{1,64}(?::[^\n$#]{0,200})? ?[$#] |[\w.-]{1,64}@[\w.-]{1,64} [^\s%]{1,200} % |(?:ba|z)?sh-[\d.]{1,8}[$#] |➜ +\S+ +)(.{1,300})$/;
const DOCKER_PROGRAM = /^(?:\S*[\\/])?(?:docker|podman|nerdctl|buildah|pg-docker|lzc-cli)(?:-compose)?(?:\.exe)?$/i;
// Words before the program on a prompt line: zsh's git segment and status marks, wrappers, VAR=value
const BEFORE_PROGRAM = /^(?:git:\(\S*\)|[✗✔]|sudo|winpty|time|env|nohup|-\S*|[A-Z_][A-Z0-9_]*=\S*)$/;
// A prompt inside a container (`root@3f2a1b9c8d7e:/app# `, BuildKit's `buildkitsandbox`) neither
// bounds the docker command that opened the shell nor makes its programs' output Docker's.
const CONTAINER_PROMPT = /^(?:\([\w.-]{1,40}\) )?[\w.-]{1,64}@(?:[0-9a-f]{12}|buildkitsandbox)[:\s]/;

/** On a prompt line, whether its command runs a Docker program; undefined when the line is no prompt. */
export function promptRunsDocker(line: string): boolean | undefined {
  const text = cleanLine(line).text.replace(/^`+|`+$/g, "");
  const m = PROMPT_COMMAND.exec(text);
  if (!m) return undefined;
  if (CONTAINER_PROMPT.test(text)) return undefined;
  const words = m[1]!.split(/\s+/);
  for (const w of words.slice(0, 6)) {
    if (DOCKER_PROGRAM.test(w)) return true;
    if (!BEFORE_PROGRAM.test(w)) return false;
  }
  return false;
}

