// The optional LLM fallback: see README "LLM fallback" and fallback.ts.
export { LlmCallError, OpenAIChatBackend, type ChatBackend, type ChatReply, type Usage } from "./client.js";
export { DEFAULT_DOC_ALLOWLIST, LlmConfigError, llmConfigFrom, llmEnvShape, llmSettingFromEnv, type LlmConfig, type LlmSetting } from "./config.js";
export { LlmFallback, type LlmFallbackOptions, type LlmMetrics, type SuggestInput, type SuggestOutcome } from "./fallback.js";
export { LinkAllowlist } from "./links.js";
export { LLM_RULE_ID } from "./suggestion.js";
export { estimateTokens, windowLog, type LogWindow } from "./window.js";
