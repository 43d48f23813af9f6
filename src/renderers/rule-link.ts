// Where a rule's page lives: `${PUBLIC_URL}/rules/<id>` on the bot's web console. Every
// surface (Slack, Discord, CLI, CI alerts) links an answer's rule through this one helper;
// without PUBLIC_URL (or for an AI answer that names no rule) there is no link.
import { LLM_RULE_ID } from "../llm/suggestion.js";

/** The shape of a rule id (rules/schema.ts RULE_ID; not imported so that renderers do not load zod). */
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * PUBLIC_URL when it is an http(s) URL, without a trailing slash. Characters that would end a
 * link early in Slack (`<>|`) or Markdown (`()`), quotes and spaces make it no URL at all.
 */
export function publicBase(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const base = env.PUBLIC_URL?.trim();
  if (!base || !/^https?:\/\/[A-Za-z0-9._~:/?#[\]@!$&*+,;=%-]+$/i.test(base)) return undefined;
  return base.replace(/\/+$/, "");
}

export function ruleUrl(ruleId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const base = publicBase(env);
  if (!base || ruleId === LLM_RULE_ID || !RULE_ID.test(ruleId)) return undefined;
  return `${base}/rules/${ruleId}`;
}
