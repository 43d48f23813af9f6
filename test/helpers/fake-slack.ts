// A fake Slack on 127.0.0.1 for end-to-end tests: the Web API methods the bot calls (recorded,
// answered with realistic JSON), response_url endpoints, `url_private` file downloads that
// need the bot token, a 429 with Retry-After on demand, and a Socket Mode WebSocket.
import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export const TEAM = "T0TEAM";
export const BOT_TOKEN = "xoxb-1111-2222-testtoken";
export const APP_TOKEN = "xapp-1-A111-2222-testapptoken";
export const BOT_USER = "UBOTUSER";
export const BOT_ID = "BBOTID";

export interface Call {
  method: string;
  body: Record<string, unknown>;
  raw: string;
  headers: IncomingHttpHeaders;
  status: number;
  /** What the fake answered (Web API methods). */
  response?: Record<string, unknown>;
}

export interface FakeMessage {
  ts: string;
  text?: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
  files?: unknown[];
}

interface StoredFile {
  body: Buffer;
  contentType: string;
  /** Sent in chunks without Content-Length, as a stream of unknown size. */
  chunked: boolean;
}

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (type?.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // a plain string that starts with a bracket
      }
    }
    out[k] = v;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export class FakeSlack {
  readonly calls: Call[] = [];
  /** Messages kept per channel, for conversations.replies (thread parents). */
  readonly messages = new Map<string, FakeMessage[]>();
  /** User id -> Slack locale, for users.info. */
  readonly locales = new Map<string, string>();
  /** Channels the bot is not a member of: chat.postMessage answers not_in_channel. */
  readonly notInChannel = new Set<string>();
  /** Messages (text) received on the Socket Mode WebSocket: the client's acks. */
  readonly socketMessages: Array<Record<string, unknown>> = [];
  readonly sockets: WebSocket[] = [];
  private readonly files = new Map<string, StoredFile>();
  private readonly rateLimited: Array<{ method: string; channel?: string | undefined; retryAfter: number }> = [];
  private tsCounter = 0;
  private server!: Server;
  private wss!: WebSocketServer;
  url = "";

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.wss = new WebSocketServer({ server: fake.server, path: "/socket" });
    fake.wss.on("connection", (ws) => {
      fake.sockets.push(ws);
      // Slack opens every Socket Mode connection with a hello.
      ws.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "fake-slack", approximate_connection_time: 18060 }, connection_info: { app_id: "A0APP" } }));
      ws.on("message", (data) => {
        try {
          fake.socketMessages.push(JSON.parse(data.toString()) as Record<string, unknown>);
        } catch {
          fake.socketMessages.push({ raw: data.toString() });
        }
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get filesUrl(): string {
    return `${this.url}/files/`;
  }

  /** A response_url for one interaction; what the bot POSTs there is recorded as `response_url`. */
  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  /** Serves `body` at a url_private that needs the bot token; returns a Slack file object. */
  addFile(name: string, body: Buffer | string, opts: { contentType?: string; size?: number; mimetype?: string; filetype?: string; mode?: string; chunked?: boolean } = {}): Record<string, unknown> {
    const id = `F${String(this.files.size + 1).padStart(8, "0")}`;
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    this.files.set(`/files/${TEAM}/${id}/${name}`, { body: buf, contentType: opts.contentType ?? "text/plain", chunked: opts.chunked ?? false });
    return {
      id,
      name,
      title: name,
      mimetype: opts.mimetype ?? "text/plain",
      filetype: opts.filetype ?? "text",
      mode: opts.mode ?? "hosted",
      size: opts.size ?? buf.length,
      url_private: `${this.url}/files/${TEAM}/${id}/${name}`,
      url_private_download: `${this.url}/files/${TEAM}/${id}/download/${name}`,
    };
  }

  /** Calls of these methods are recorded but never answered (a Slack that hangs), until released. */
  readonly held = new Set<string>();

  /** The next call of `method` (to `channel`, if given) answers 429 with Retry-After (seconds, default 1). */
  rateLimitNext(method: string, channel?: string, retryAfter = 1): void {
    this.rateLimited.push({ method, channel, retryAfter });
  }

  /** Puts a message into a channel's history (a thread parent for conversations.replies). */
  addMessage(channel: string, msg: FakeMessage): void {
    const list = this.messages.get(channel) ?? [];
    list.push(msg);
    this.messages.set(channel, list);
  }

  callsTo(method: string): Call[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  /** Every request body the bot sent, as one string (to look for leaked secrets). */
  everythingSent(): string {
    return this.calls.map((c) => c.raw).join("\n") + this.socketMessages.map((m) => JSON.stringify(m)).join("\n");
  }

  nextTs(): string {
    this.tsCounter++;
    return `1700000${String(this.tsCounter).padStart(3, "0")}.${String(100000 + this.tsCounter)}`;
  }

  /** Sends a Socket Mode frame to every connected client. */
  socketSend(frame: Record<string, unknown>): void {
    for (const ws of this.sockets) ws.send(JSON.stringify(frame));
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", this.url).pathname;
    if (req.method === "GET" && path.startsWith("/files/")) return this.serveFile(path, req, res);
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers["content-type"]);
    if (path.startsWith("/respond/")) {
      this.calls.push({ method: "response_url", body: { ...body, response_url_id: path.slice("/respond/".length) }, raw, headers: req.headers, status: 200 });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return;
    }
    const method = path.replace(/^\/api\//, "");
    const limited = this.rateLimited.findIndex((r) => r.method === method && (r.channel === undefined || r.channel === body.channel));
    if (limited !== -1) {
      const { retryAfter } = this.rateLimited.splice(limited, 1)[0]!;
      this.calls.push({ method, body, raw, headers: req.headers, status: 429 });
      return this.json(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(retryAfter) });
    }
    if (this.held.has(method)) {
      this.calls.push({ method, body, raw, headers: req.headers, status: 0 });
      return;
    }
    const call: Call = { method, body, raw, headers: req.headers, status: 200 };
    this.calls.push(call);
    const auth = req.headers.authorization ?? "";
    if (method === "apps.connections.open") {
      if (auth !== `Bearer ${APP_TOKEN}`) return this.json(res, 200, { ok: false, error: "invalid_auth" });
      return this.json(res, 200, { ok: true, url: `${this.url.replace(/^http/, "ws")}/socket?ticket=t1` });
    }
    if (auth !== `Bearer ${BOT_TOKEN}` && body.token !== BOT_TOKEN) return this.json(res, 200, { ok: false, error: "invalid_auth" });
    call.response = this.answer(method, body);
    this.json(res, 200, call.response);
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const channel = String(body.channel ?? "");
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://fake-team.slack.com/", team: "Fake Team", user: "buildx-fix", team_id: TEAM, user_id: BOT_USER, bot_id: BOT_ID, is_enterprise_install: false };
      case "chat.postMessage": {
        if (this.notInChannel.has(channel)) return { ok: false, error: "not_in_channel" };
        const ts = this.nextTs();
        const message = { type: "message", subtype: "bot_message", text: body.text, ts, bot_id: BOT_ID, user: BOT_USER, ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}) };
        const list = this.messages.get(channel) ?? [];
        list.push(message as FakeMessage);
        this.messages.set(channel, list);
        return { ok: true, channel, ts, message };
      }
      case "chat.update":
        return { ok: true, channel, ts: body.ts, text: body.text };
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      case "chat.getPermalink":
        return { ok: true, channel, permalink: `https://fake-team.slack.com/archives/${channel}/p${String(body.message_ts).replace(".", "")}` };
      case "views.open":
        return { ok: true, view: { id: "V0MODAL", team_id: TEAM, type: "modal", ...(body.view as object) } };
      case "users.info": {
        const user = String(body.user);
        return { ok: true, user: { id: user, team_id: TEAM, name: user.toLowerCase(), locale: this.locales.get(user) ?? "en-US" } };
      }
      case "conversations.replies": {
        const ts = String(body.ts);
        const all = this.messages.get(channel) ?? [];
        const thread = all.filter((m) => m.ts === ts || m.thread_ts === ts);
        if (!thread.length) return { ok: false, error: "thread_not_found" };
        return { ok: true, messages: thread.slice(0, Number(body.limit ?? 100)), has_more: false };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  private serveFile(path: string, req: IncomingMessage, res: ServerResponse): void {
    const key = path.replace(/\/download\//, "/");
    const file = this.files.get(key);
    this.calls.push({ method: "file_download", body: { path }, raw: "", headers: req.headers, status: file ? 200 : 404 });
    if (req.headers.authorization !== `Bearer ${BOT_TOKEN}`) {
      // What Slack does without a valid token: its sign-in page, with status 200.
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!DOCTYPE html><html><body>Sign in to Slack</body></html>");
      return;
    }
    if (!file) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (file.chunked) {
      res.writeHead(200, { "content-type": file.contentType });
      for (let i = 0; i < file.body.length; i += 1024) res.write(file.body.subarray(i, i + 1024));
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": file.contentType, "content-length": String(file.body.length) });
    res.end(file.body);
  }
}

/** Polls `check` until it returns something truthy, or fails with `what` after the deadline. */
export async function until<T>(check: () => T | undefined | false | null, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
