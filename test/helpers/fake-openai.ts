// A fake OpenAI-compatible server on 127.0.0.1 for the LLM fallback's tests: the real openai
// SDK talks to it over HTTP. `POST /v1/chat/completions` answers from a script of replies
// (a completion, an error status with headers, or no answer at all) and records every
// request's raw body, so tests can check what left the machine.
import { type IncomingHttpHeaders, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_DOC_ALLOWLIST, type LlmConfig } from "../../src/llm/config.js";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  raw: string;
  body: ChatRequestBody;
}

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  [key: string]: unknown;
}

export interface Reply {
  /** HTTP status; default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** A chat.completion whose message content is this (a JSON string, usually). */
  content?: string | null;
  refusal?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** Any other body, sent as JSON (error bodies, odd shapes). */
  body?: unknown;
  /** Never answer: the request hangs until the client gives up or the server closes. */
  hang?: boolean;
  /** Send the status, headers and the body's first bytes, then stall: the body never ends. */
  stallBody?: boolean;
}

export const DEFAULT_USAGE = { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290 };

/** The body of a successful chat completion. */
export function completionBody(content: string | null, opts: { refusal?: string; usage?: Reply["usage"]; model?: string } = {}): Record<string, unknown> {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_700_000_000,
    model: opts.model ?? "fake-model",
    choices: [{ index: 0, finish_reason: "stop", logprobs: null, message: { role: "assistant", content, refusal: opts.refusal ?? null } }],
    usage: opts.usage ?? DEFAULT_USAGE,
  };
}

export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  /** Responses the client gave up on before they ended (the socket closed under them). */
  abandoned = 0;
  private readonly queue: Reply[] = [];
  /** Used when the script is empty. */
  otherwise: Reply = { status: 500, body: { error: { message: "no scripted reply left", type: "server_error" } } };

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** The base URL the SDK is given (OPENAI_BASE_URL). */
  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  static async start(): Promise<FakeOpenAI> {
    let fake: FakeOpenAI | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => fake!.handle(req.method ?? "", req.url ?? "", req.headers, Buffer.concat(chunks).toString("utf8"), res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake = new FakeOpenAI(server, (server.address() as AddressInfo).port);
    return fake;
  }

  /** Forgets the script and the recorded requests. */
  reset(): this {
    this.queue.length = 0;
    this.requests.length = 0;
    return this;
  }

  /** Replies for the next requests, in order. */
  script(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** The text of every message of every request, for looking for what must not be there. */
  sentText(): string {
    return this.requests.map((r) => (r.body.messages ?? []).map((m) => m.content).join("\n")).join("\n");
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, raw: string, res: ServerResponse): void {
    if (method !== "POST" || path !== "/v1/chat/completions") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${method} ${path}` } }));
      return;
    }
    let body: ChatRequestBody = {};
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      // recorded as is; the test sees an empty body
    }
    this.requests.push({ method, path, headers, raw, body });
    const reply = this.queue.shift() ?? this.otherwise;
    if (reply.hang) return;
    const status = reply.status ?? 200;
    const payload =
      reply.body !== undefined
        ? reply.body
        : completionBody(reply.content ?? null, { ...(reply.refusal ? { refusal: reply.refusal } : {}), ...(reply.usage ? { usage: reply.usage } : {}) });
    const json = JSON.stringify(payload);
    if (reply.stallBody) {
      res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(json)), ...reply.headers });
      res.write(json.slice(0, 20));
      res.on("close", () => this.abandoned++);
      return;
    }
    res.writeHead(status, { "content-type": "application/json", ...reply.headers }).end(json);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A reply the fallback accepts, as the JSON string a model would write. */
export function answerContent(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    cause: "Image layer corrupted while exporting",
    summary: "The exporter could not write a layer because its zstd frame checksum did not match. The build cache holds a corrupted blob.",
    fix: [{ description: "Prune the build cache and rebuild", command: "docker buildx prune -af && docker buildx build -t acme/api:1.2 ." }],
    docs: [{ title: "Build cache", url: "https://docs.docker.com/build/cache/" }],
    confidence: "medium",
    ruleId: null,
    evidenceLines: [],
    ...over,
  });
}

/** Fallback settings pointing at `fake`, with small bounds so that failures are quick. */
export function llmConfigFor(fake: FakeOpenAI, over: Partial<LlmConfig> = {}): LlmConfig {
  return {
    model: "fake-model",
    apiKey: "test-key",
    baseURL: fake.baseURL,
    timeoutMs: 2000,
    maxRetries: 0,
    maxRetryDelayMs: 100,
    retryDelayMs: 1,
    tokenBudget: 6000,
    callsPerHour: 100,
    breakerFailures: 100,
    breakerCooldownMs: 60_000,
    cacheTtlMs: 60_000,
    docAllowlist: [...DEFAULT_DOC_ALLOWLIST],
    ...over,
  };
}
