// The answer the model must give, twice: the schema sent as `response_format` (plain, so that
// strict structured-output servers accept it), and the stricter one every reply is checked
// against whatever the server claims to enforce. A reply that fails the check is no answer.
import { z } from "zod";

const fixStep = z.object({
  description: z.string(),
  command: z.string(),
});

const docLink = z.object({
  title: z.string(),
  url: z.string(),
});

/** Sent to the server. Nullable rather than optional: strict mode wants every key present. */
export const llmAnswerWire = z.object({
  cause: z.string().describe("the cause in a few words, like a heading"),
  summary: z.string().describe("two to four sentences: what failed and why"),
  fix: z.array(fixStep).describe("steps that fix it, each with one shell command"),
  docs: z.array(docLink).describe("documentation links, only from the allowed hosts"),
  confidence: z.enum(["low", "medium"]).describe("medium only when the excerpt shows the cause plainly"),
  ruleId: z.string().nullable().describe("the id of a known rule when the failure is exactly that rule, else null"),
  evidenceLines: z.array(z.number().int()).describe("line numbers of the excerpt that show the cause"),
});

const text = (max: number) => z.string().trim().min(1).max(max);

/** What a reply must satisfy to be used. */
export const llmAnswerSchema = z.object({
  cause: text(200),
  summary: text(2000),
  fix: z
    .array(z.object({ description: text(500), command: z.string().trim().max(2000) }))
    .max(10),
  docs: z.array(z.object({ title: text(200), url: z.string().trim().max(2000) })).max(20),
  // Some models say "high" anyway; accepted here and capped at "medium" later.
  confidence: z.enum(["low", "medium", "high"]),
  ruleId: z.string().trim().max(100).nullable().optional(),
  evidenceLines: z.array(z.number().int().positive()).max(50).optional(),
});

export type LlmAnswer = z.infer<typeof llmAnswerSchema>;

export type Validation = { ok: true; answer: LlmAnswer } | { ok: false; problem: string };

/** Parses and checks a reply's content (a JSON string, possibly fenced in Markdown). */
export function validateAnswer(content: string | null | undefined): Validation {
  if (!content?.trim()) return { ok: false, problem: "empty reply" };
  let raw = content.trim();
  // Servers without JSON mode often wrap the object in a Markdown fence.
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(raw);
  if (fenced) raw = fenced[1]!.trim();
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, problem: "reply is not JSON" };
  }
  const parsed = llmAnswerSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, problem: `reply does not match the schema${first ? ` (${first.path.join(".") || "root"}: ${first.message})` : ""}` };
  }
  return { ok: true, answer: parsed.data };
}
