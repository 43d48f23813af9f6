// Fills {{fact}} and {{fact|default}} in summaries and fix commands.
import type { Facts } from "./types.js";

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w]*)\s*(?:\|([^}]*))?\}\}/g;

export function fillTemplate(template: string, facts: Facts): string {
  return template.replace(PLACEHOLDER, (_m, name: string, fallback?: string) => facts[name] ?? fallback ?? `<${name}>`);
}

/** The fact names a template refers to (for load-time checks). */
export function templateFacts(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");
}
