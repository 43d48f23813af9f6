// The rule id of an AI answer that names no known rule. A module of its own so that renderers
// can name it without loading the LLM code (the CLI's start-up stays small).
export const LLM_RULE_ID = "llm-suggestion";
