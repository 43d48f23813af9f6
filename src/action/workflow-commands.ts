// GitHub Actions' side of the action: inputs from INPUT_* variables, outputs and the job
// summary through the files GitHub names (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), and annotations
// as `::error …::` workflow commands on stdout, escaped as the runner expects.
import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";

/** An input as the runner passes it (`INPUT_LOG-FILE`); composite steps may map it to `INPUT_LOG_FILE`. */
export function input(env: NodeJS.ProcessEnv, name: string): string {
  const upper = name.toUpperCase();
  return (env[`INPUT_${upper.replace(/ /g, "_")}`] ?? env[`INPUT_${upper.replace(/[ -]/g, "_")}`] ?? "").trim();
}

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export interface Annotation {
  title?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
}

export function command(kind: "error" | "warning" | "notice", message: string, a: Annotation = {}): string {
  const props = [a.file ? `file=${escapeProperty(a.file)}` : "", a.line ? `line=${a.line}` : "", a.title ? `title=${escapeProperty(a.title)}` : ""].filter(Boolean).join(",");
  return `::${kind}${props ? ` ${props}` : ""}::${escapeData(message)}\n`;
}

/** `name<<DELIMITER` form: safe for values with newlines. */
export function setOutputs(file: string | undefined, outputs: Record<string, string>): void {
  if (!file) return;
  let text = "";
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `buildx_fix_${randomBytes(8).toString("hex")}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
}

export function appendSummary(file: string | undefined, markdown: string): void {
  if (file) appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
}
