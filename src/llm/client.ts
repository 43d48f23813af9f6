// One question to an OpenAI-compatible chat completions endpoint through the openai SDK, with
// our own bounds instead of the SDK's (10-minute timeout, two retries, and obeying any
// Retry-After, however long): one deadline for the whole question (headers, body, the wait
// and the retry), at most one retry, and only after a short wait. The SDK's own `timeout`
// stops at the response headers, so a server that stalls the body needs the abort signal.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { LlmConfig } from "./config.js";
import { llmAnswerWire } from "./schema.js";

export type LlmErrorKind = "timeout" | "connection" | "rate-limited" | "server" | "client";

/** A question that got no usable reply from the server. */
export class LlmCallError extends Error {
  override readonly name = "LlmCallError";
  /** Requests made before giving up. */
  attempts = 1;
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatReply {
  content: string | null;
  refusal: string | null;
  finishReason: string | undefined;
  usage: Usage | undefined;
  /** Requests made (1, or 2 after a retry). */
  attempts: number;
}

/** The part of the SDK used here, so tests and other backends can stand in. */
export interface ChatBackend {
  complete(messages: ChatCompletionMessageParam[]): Promise<ChatReply>;
}

const RESPONSE_FORMAT = zodResponseFormat(llmAnswerWire, "build_failure_diagnosis");

function classify(err: unknown): LlmCallError {
  if (err instanceof LlmCallError) return err;
  if (err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError) return new LlmCallError("timeout", "the model did not answer in time");
  if (err instanceof APIConnectionError) return new LlmCallError("connection", `cannot reach the model server: ${err.message}`);
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const kind: LlmErrorKind = status === 429 ? "rate-limited" : status >= 500 || status === 408 || status === 409 ? "server" : "client";
    return new LlmCallError(kind, `the model server answered ${status}: ${err.message}`, status);
  }
  return new LlmCallError("client", `unexpected error from the model client: ${err instanceof Error ? err.message : String(err)}`);
}

const RETRYABLE = new Set<LlmErrorKind>(["timeout", "connection", "rate-limited", "server"]);

/** How long the server asks us to wait, in ms, if it says. */
function retryAfter(err: unknown): number | undefined {
  if (!(err instanceof APIError) || !err.headers) return undefined;
  const ms = Number.parseFloat(err.headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms)) return ms;
  const header = err.headers.get("retry-after");
  if (!header) return undefined;
  const s = Number.parseFloat(header);
  if (Number.isFinite(s)) return s * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** Waits `ms`, or less when `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

export class OpenAIChatBackend implements ChatBackend {
  private readonly client: OpenAI;

  constructor(private readonly config: LlmConfig) {
    this.client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseURL ?? null,
      timeout: config.timeoutMs,
      // Retries are ours (below): the SDK would wait whatever a Retry-After header says.
      maxRetries: 0,
      logLevel: "off",
    });
  }

  async complete(messages: ChatCompletionMessageParam[]): Promise<ChatReply> {
    let attempts = 0;
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    for (;;) {
      attempts++;
      try {
        const res = await this.client.chat.completions.create({ model: this.config.model, messages, response_format: RESPONSE_FORMAT }, { signal: deadline });
        const choice = res.choices?.[0];
        const usage = res.usage
          ? { promptTokens: res.usage.prompt_tokens ?? 0, completionTokens: res.usage.completion_tokens ?? 0, totalTokens: res.usage.total_tokens ?? 0 }
          : undefined;
        return { content: choice?.message?.content ?? null, refusal: choice?.message?.refusal ?? null, finishReason: choice?.finish_reason, usage, attempts };
      } catch (err) {
        // Past the deadline, whatever broke (headers, a half-read body) is a timeout.
        const e = deadline.aborted ? new LlmCallError("timeout", "the model did not answer in time") : classify(err);
        e.attempts = attempts;
        if (deadline.aborted || attempts > this.config.maxRetries || !RETRYABLE.has(e.kind)) throw e;
        const wait = retryAfter(err) ?? this.config.retryDelayMs;
        // A server that asks for a long pause gets it: no retry now.
        if (wait > this.config.maxRetryDelayMs) throw e;
        await sleep(wait, deadline);
        if (deadline.aborted) throw Object.assign(new LlmCallError("timeout", "the model did not answer in time"), { attempts });
      }
    }
  }
}
