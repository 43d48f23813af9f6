// Fills {{fact}} and {{fact|default}} in summaries and fix commands.
import type { Facts } from "./types.js";

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w]*)\s*(?:\|([^}]*))?\}\}/g;
// A placeholder in code quotes, `{{fact|default}}`: the quotes are for the fact's value.
const QUOTED = /`\{\{\s*([A-Za-z][\w]*)\s*\|([^}`]*)\}\}`/g;
// A default that is words ("a remote server", "（RUN 命令）") rather than a token ("FROM", "./mvnw").
const PROSE = /\s|[^\x00-\x7f]/;

export function fillTemplate(template: string, facts: Facts): string {
  return template
    .replace(QUOTED, (m, name: string, fallback: string) => (facts[name] === undefined && PROSE.test(fallback) ? fallback : m))
    .replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined, at: number, whole: string) => {
      const value = facts[name] ?? fallback ?? `<${name}>`;
      // A path the log gave from the context's root (`/src/app.py`) after the template's own `/`: one slash.
      return whole[at - 1] === "/" && value.startsWith("/") ? value.slice(1) : value;
    });
}

/** The fact names a template refers to (for load-time checks). */
export function templateFacts(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");
}
