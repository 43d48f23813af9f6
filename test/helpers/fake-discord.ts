// A fake Discord on 127.0.0.1 for end-to-end tests of the real discord.js client:
// - REST under /api/v10: GET /gateway/bot (handing out this server's ws:// URL), GET /users/@me,
//   command registration (PUT /applications/:app[/guilds/:g]/commands), interaction callbacks,
//   webhook edits / follow-ups / deletes of interaction replies, channel messages (create, get),
//   threads on a message; every call is recorded, answered with realistic JSON, and failures
//   can be injected per route;
// - attachment files under /attachments/ (no auth, like Discord's signed CDN links);
// - a gateway WebSocket (plain JSON frames, as discord.js speaks without zlib-sync): HELLO,
//   IDENTIFY → READY (+ GUILD_CREATE for each guild), heartbeat ACKs, close 4004 / 4014 for a bad
//   token or a privileged intent the application may not use, then whatever dispatches the test
//   sends (INTERACTION_CREATE, MESSAGE_CREATE, GUILD_CREATE, CHANNEL_CREATE).
// Messages the bot posts in channels are echoed back as MESSAGE_CREATE, as Discord does.
import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export const TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMg.GfakeT.fake-discord-bot-token-for-tests";
export const APP_ID = "1100000000000000001";
export const BOT_ID = "1100000000000000002";
export const BOT_USER = { id: BOT_ID, username: "buildx-fix", discriminator: "0", global_name: "buildx-fix", avatar: null, bot: true, flags: 0 };
const MESSAGE_CONTENT_INTENT = 1 << 15;
const EPOCH = 1420070400000n;

let counter = 0n;
/** A fresh snowflake, increasing. */
export function snowflake(): string {
  counter++;
  return String(((BigInt(Date.now()) - EPOCH) << 22n) | (counter & 0x3fffffn));
}

export interface Call {
  method: string;
  /** The path without /api/v10 and without the query. */
  path: string;
  /** The path with ids and tokens replaced: `/channels/:id/messages`, `/interactions/:id/:id/callback`. */
  route: string;
  query: URLSearchParams;
  body: any;
  raw: string;
  headers: IncomingHttpHeaders;
  status: number;
  /** What the fake answered. */
  response?: any;
}

export interface GatewayConnection {
  ws: WebSocket;
  url: URL;
  identify?: any;
  frames: any[];
  seq: number;
  ready: boolean;
}

export interface FakeUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: null;
  bot?: boolean;
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: any[];
  preferred_locale: string;
}

interface StoredFile {
  body: Buffer;
  contentType: string;
  /** Omit Content-Length (a chunked download). */
  chunked: boolean;
}

interface Failure {
  method: string;
  route: string;
  status: number;
  code: number;
  message: string;
}

export function user(username: string, extra: Partial<FakeUser> = {}): FakeUser {
  return { id: snowflake(), username, discriminator: "0", global_name: username, avatar: null, ...extra };
}

/** Everyone's permissions in the fake guilds: view, send, threads, history, manage channels (for `auto`). */
export const MEMBER_PERMISSIONS = "395137117200";
/** Without Manage Channels. */
export const PLAIN_PERMISSIONS = String(BigInt(MEMBER_PERMISSIONS) & ~16n);

function member(u: FakeUser, permissions = MEMBER_PERMISSIONS): Record<string, unknown> {
  return { user: u, roles: [], joined_at: "2026-01-01T00:00:00.000000+00:00", deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null, premium_since: null, permissions };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Waits until `check` returns something truthy (polling), or fails naming `what`. */
export async function eventually<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface FakeDiscordOptions {
  /** Shards /gateway/bot recommends. */
  shards?: number;
  /** Whether the application may use the Message Content intent (else IDENTIFY with it closes 4014). */
  messageContentAllowed?: boolean;
  /** Sessions that may identify per 5 seconds (/gateway/bot's session_start_limit). */
  maxConcurrency?: number;
}

export class FakeDiscord {
  readonly calls: Call[] = [];
  readonly connections: GatewayConnection[] = [];
  readonly guilds = new Map<string, FakeGuild>();
  /** Every message the fake knows (dispatched or posted by the bot), by id. */
  readonly messages = new Map<string, any>();
  private readonly files = new Map<string, StoredFile>();
  private readonly failures: Failure[] = [];
  /** The message behind each interaction token's original response. */
  private readonly originals = new Map<string, any>();
  private server!: Server;
  private wss!: WebSocketServer;
  url = "";

  private constructor(readonly options: FakeDiscordOptions) {}

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.wss = new WebSocketServer({ server: fake.server });
    fake.wss.on("connection", (ws, req) => fake.onConnection(ws, req));
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** What DISCORD_API_URL points at (discord.js appends /v10). */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  get gatewayUrl(): string {
    return this.url.replace(/^http/, "ws");
  }

  // --- state the tests set up ---------------------------------------------------------------

  /** A guild with one text channel; announced with GUILD_CREATE when the bot is already connected. */
  addGuild(opts: { name?: string; locale?: string } = {}): FakeGuild {
    const id = snowflake();
    const guild: FakeGuild = { id, name: opts.name ?? `guild-${id.slice(-4)}`, channels: [], preferred_locale: opts.locale ?? "en-US" };
    guild.channels.push(this.channelObject(guild, "general"));
    this.guilds.set(id, guild);
    for (const c of this.readyConnections(id)) this.send(c, "GUILD_CREATE", this.guildObject(guild));
    return guild;
  }

  /** A new text channel in `guild` (CHANNEL_CREATE when connected); returns its id. */
  addChannel(guild: FakeGuild, name = "builds"): string {
    const channel = this.channelObject(guild, name);
    guild.channels.push(channel);
    for (const c of this.readyConnections(guild.id)) this.send(c, "CHANNEL_CREATE", channel);
    return channel.id as string;
  }

  /** Serves `body` like a CDN attachment; returns the API attachment object. */
  addAttachment(filename: string, body: Buffer | string, opts: { contentType?: string; size?: number; chunked?: boolean } = {}): any {
    const id = snowflake();
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const path = `/attachments/${id}/${encodeURIComponent(filename)}`;
    const contentType = opts.contentType ?? "text/plain; charset=utf-8";
    this.files.set(path, { body: buf, contentType, chunked: opts.chunked ?? false });
    const url = `${this.url}${path}?ex=6a000000&is=69f00000&hm=${"ab".repeat(32)}&`;
    return { id, filename, size: opts.size ?? buf.length, url, proxy_url: url, content_type: contentType };
  }

  /** The next call to `route` (e.g. "POST /channels/:id/messages/:id/threads") fails like Discord. */
  failNext(route: string, status: number, code: number, message: string): void {
    const [method, path] = route.split(" ");
    this.failures.push({ method: method!, route: path!, status, code, message });
  }

  // --- gateway --------------------------------------------------------------------------------

  /** Identified connections; with a guild, only the shard that guild belongs to ((id >> 22) % shards). */
  private readyConnections(guildId?: string): GatewayConnection[] {
    return this.connections.filter((c) => {
      if (!c.ready || c.ws.readyState !== c.ws.OPEN) return false;
      const [shard, count] = (c.identify?.shard as [number, number] | undefined) ?? [0, 1];
      return guildId === undefined ? true : Number((BigInt(guildId) >> 22n) % BigInt(count)) === shard;
    });
  }

  private send(c: GatewayConnection, t: string, d: unknown): void {
    c.seq++;
    c.ws.send(JSON.stringify({ op: 0, t, s: c.seq, d }));
  }

  /** Sends a dispatch to the shard of its guild (every identified connection of it), like Discord. */
  dispatch(t: string, d: any): void {
    if (t === "INTERACTION_CREATE") this.track(d);
    // Direct messages and other events without a guild go to shard 0.
    const targets = this.readyConnections(d?.guild_id ?? "0");
    if (!targets.length) throw new Error(`no identified gateway connection to send ${t} to`);
    for (const c of targets) this.send(c, t, d);
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const conn: GatewayConnection = { ws, url: new URL(req.url ?? "/", this.gatewayUrl), frames: [], seq: 0, ready: false };
    this.connections.push(conn);
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        conn.frames.push({ binary: true });
        ws.close(4002, "Decode error");
        return;
      }
      let frame: any;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        ws.close(4002, "Decode error");
        return;
      }
      conn.frames.push(frame);
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11, s: null, t: null, d: null }));
      else if (frame.op === 2) this.onIdentify(conn, frame.d);
    });
  }

  private onIdentify(conn: GatewayConnection, d: any): void {
    conn.identify = d;
    if (d.token !== TOKEN) return void conn.ws.close(4004, "Authentication failed.");
    if (d.intents & MESSAGE_CONTENT_INTENT && this.options.messageContentAllowed === false) return void conn.ws.close(4014, "Disallowed intent(s).");
    const shard: [number, number] = d.shard ?? [0, 1];
    const mine = [...this.guilds.values()].filter((g) => Number((BigInt(g.id) >> 22n) % BigInt(shard[1])) === shard[0]);
    conn.ready = true;
    this.send(conn, "READY", {
      v: 10,
      user: BOT_USER,
      guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
      session_id: `session-${shard[0]}-${snowflake()}`,
      resume_gateway_url: this.gatewayUrl,
      shard,
      application: { id: APP_ID, flags: 0 },
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    });
    for (const g of mine) this.send(conn, "GUILD_CREATE", this.guildObject(g));
  }

  private channelObject(guild: FakeGuild, name: string): Record<string, unknown> {
    return { id: snowflake(), type: 0, guild_id: guild.id, name, position: guild.channels.length, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0, parent_id: null, flags: 0 };
  }

  private guildObject(g: FakeGuild): Record<string, unknown> {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: "1",
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [{ id: g.id, name: "@everyone", color: 0, hoist: false, icon: null, unicode_emoji: null, position: 0, permissions: MEMBER_PERMISSIONS, managed: false, mentionable: false, flags: 0 }],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: g.preferred_locale,
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: "2026-01-01T00:00:00.000000+00:00",
      large: false,
      unavailable: false,
      member_count: 2,
      members: [member(BOT_USER as FakeUser)],
      channels: g.channels,
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  // --- payloads the tests dispatch ------------------------------------------------------------

  /** A message object as Discord sends it; remembered for GET /channels/:id/messages/:id. */
  messageObject(o: { guild?: FakeGuild | undefined; channelId: string; author: FakeUser; content?: string; attachments?: any[]; embeds?: any[]; mentions?: FakeUser[]; reference?: any; components?: any[]; webhookId?: string; type?: number }): any {
    const msg: any = {
      id: snowflake(),
      channel_id: o.channelId,
      author: o.author,
      content: o.content ?? "",
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: o.mentions ?? [],
      mention_roles: [],
      mention_channels: [],
      attachments: o.attachments ?? [],
      embeds: o.embeds ?? [],
      components: o.components ?? [],
      pinned: false,
      type: o.type ?? (o.reference ? 19 : 0),
      flags: 0,
    };
    // Discord says which kind of channel a message is in (1: a direct message).
    msg.channel_type = o.guild ? (this.findChannel(o.channelId)?.type ?? 0) : 1;
    if (o.guild) {
      msg.guild_id = o.guild.id;
      if (!o.webhookId) msg.member = { roles: [], joined_at: "2026-01-01T00:00:00.000000+00:00", deaf: false, mute: false, flags: 0 };
    }
    if (o.webhookId) msg.webhook_id = o.webhookId;
    if (o.reference) {
      msg.message_reference = { type: 0, message_id: o.reference.id, channel_id: o.reference.channel_id, ...(o.guild ? { guild_id: o.guild.id } : {}) };
      msg.referenced_message = o.reference;
    }
    this.messages.set(msg.id, msg);
    return msg;
  }

  /** Dispatches MESSAGE_CREATE for a new message; returns it. */
  postMessage(o: Parameters<FakeDiscord["messageObject"]>[0]): any {
    const msg = this.messageObject(o);
    this.dispatch("MESSAGE_CREATE", msg);
    return msg;
  }

  /** The common part of an interaction from `from` in `channelId` of `guild`. */
  private interactionBase(type: number, o: { guild: FakeGuild; channelId: string; from: FakeUser; locale?: string; permissions?: string }): any {
    const channel = o.guild.channels.find((c) => c.id === o.channelId) ?? { id: o.channelId, type: 0, guild_id: o.guild.id, name: "thread" };
    return {
      id: snowflake(),
      application_id: APP_ID,
      type,
      guild_id: o.guild.id,
      guild: { id: o.guild.id, locale: o.guild.preferred_locale, features: [] },
      channel_id: o.channelId,
      channel,
      member: member(o.from, o.permissions),
      token: `itok-${snowflake()}-${"x".repeat(40)}`,
      version: 1,
      app_permissions: MEMBER_PERMISSIONS,
      locale: o.locale ?? "en-US",
      guild_locale: o.guild.preferred_locale,
      entitlements: [],
      authorizing_integration_owners: { "0": o.guild.id },
      context: 0,
      attachment_size_limit: 10_485_760,
    };
  }

  /** INTERACTION_CREATE for `/buildx-fix <sub> [options]`; attachments go into `resolved`. */
  slashCommand(o: { guild: FakeGuild; channelId: string; from: FakeUser; sub: string; options?: Record<string, string>; attachment?: any; locale?: string; permissions?: string }): any {
    const options: any[] = Object.entries(o.options ?? {}).map(([name, value]) => ({ type: 3, name, value }));
    const data: any = { id: "1200000000000000001", name: "buildx-fix", type: 1, guild_id: o.guild.id, options: [{ type: 1, name: o.sub, options }] };
    if (o.attachment) {
      options.push({ type: 11, name: "file", value: o.attachment.id });
      data.resolved = { attachments: { [o.attachment.id]: o.attachment } };
    }
    const i = { ...this.interactionBase(2, o), data };
    this.dispatch("INTERACTION_CREATE", i);
    return i;
  }

  /** INTERACTION_CREATE for the message command "Diagnose build log" on `target`. */
  contextMenu(o: { guild: FakeGuild; channelId: string; from: FakeUser; target: any; locale?: string }): any {
    const data = { id: "1200000000000000002", name: "Diagnose build log", type: 3, guild_id: o.guild.id, target_id: o.target.id, resolved: { messages: { [o.target.id]: o.target } } };
    const i = { ...this.interactionBase(2, o), data };
    this.dispatch("INTERACTION_CREATE", i);
    return i;
  }

  /** INTERACTION_CREATE for a submitted modal: label components with the values given. */
  modalSubmit(o: { guild: FakeGuild; channelId: string; from: FakeUser; customId: string; log?: string; attachment?: any; lang?: string; locale?: string }): any {
    const components: any[] = [
      { type: 18, id: 1, component: { type: 4, id: 2, custom_id: "log", value: o.log ?? "" } },
      { type: 18, id: 3, component: { type: 19, id: 4, custom_id: "file", values: o.attachment ? [o.attachment.id] : [] } },
      { type: 18, id: 5, component: { type: 3, id: 6, custom_id: "lang", values: o.lang ? [o.lang] : [] } },
    ];
    const data: any = { custom_id: o.customId, components };
    if (o.attachment) data.resolved = { attachments: { [o.attachment.id]: o.attachment } };
    const i = { ...this.interactionBase(5, o), data };
    this.dispatch("INTERACTION_CREATE", i);
    return i;
  }

  /** INTERACTION_CREATE for a click on the button `customId` of `message` (as the fake stored it). */
  buttonClick(o: { guild: FakeGuild; from: FakeUser; message: any; customId: string; locale?: string }): any {
    const i = { ...this.interactionBase(3, { ...o, channelId: o.message.channel_id }), message: o.message, data: { custom_id: o.customId, component_type: 2 } };
    this.dispatch("INTERACTION_CREATE", i);
    return i;
  }

  // --- what the bot did -----------------------------------------------------------------------

  callsTo(route: string): Call[] {
    const [method, path] = route.split(" ");
    return this.calls.filter((c) => c.method === method && c.route === path && c.status < 300);
  }

  /** Calls that belong to one interaction (its callback and its webhook edits / follow-ups). */
  interactionCalls(i: { id: string; token: string }): Call[] {
    return this.calls.filter((c) => c.path.startsWith(`/interactions/${i.id}/`) || c.path.includes(`/webhooks/${APP_ID}/${i.token}`));
  }

  /** The message that currently stands for an interaction's original response. */
  original(i: { token: string }): any {
    return this.originals.get(i.token);
  }

  /** Every request body the bot sent, as one string (to look for leaked secrets). */
  everythingSent(): string {
    return this.calls.map((c) => c.raw).join("\n");
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- REST -----------------------------------------------------------------------------------

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private botMessage(channelId: string, body: any, extra: Record<string, unknown> = {}): any {
    const channel = this.findChannel(channelId);
    const msg: any = {
      id: snowflake(),
      channel_id: channelId,
      author: BOT_USER,
      content: body.content ?? "",
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      type: body.message_reference ? 19 : 0,
      flags: body.flags ?? 0,
      ...extra,
    };
    if (channel?.guild_id) msg.guild_id = channel.guild_id;
    msg.channel_type = channel?.type ?? 1;
    if (body.message_reference) {
      msg.message_reference = { type: 0, channel_id: channelId, ...body.message_reference };
      const ref = this.messages.get(body.message_reference.message_id);
      if (ref) msg.referenced_message = ref;
    }
    this.messages.set(msg.id, msg);
    return msg;
  }

  private findChannel(id: string): any {
    for (const g of this.guilds.values()) {
      const c = g.channels.find((x) => x.id === id);
      if (c) return c;
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (req.method === "GET" && url.pathname.startsWith("/attachments/")) {
      this.calls.push({ method: "GET", path: url.pathname, route: "/attachments/:id/:name", query: url.searchParams, body: {}, raw: "", headers: req.headers, status: this.files.has(url.pathname) ? 200 : 404 });
      return this.serveFile(url.pathname, res);
    }
    const raw = await readBody(req);
    if (!url.pathname.startsWith("/api/v10/")) return this.json(res, 404, { message: "404: Not Found", code: 0 });
    const path = decodeURIComponent(url.pathname).slice("/api/v10".length);
    const route = path.replace(/\/(?:\d{15,25}|itok-[\w-]+)(?=\/|$)/g, "/:id");
    let body: any = {};
    if (raw && /json/.test(req.headers["content-type"] ?? "")) body = JSON.parse(raw);
    const call: Call = { method: req.method ?? "GET", path, route, query: url.searchParams, body, raw, headers: req.headers, status: 200 };
    this.calls.push(call);
    const reply = (status: number, response?: unknown) => {
      call.status = status;
      call.response = response;
      if (status === 204) {
        res.writeHead(204);
        res.end();
      } else this.json(res, status, response);
    };

    const failure = this.failures.findIndex((f) => f.method === call.method && f.route === route);
    if (failure !== -1) {
      const f = this.failures.splice(failure, 1)[0]!;
      return reply(f.status, { message: f.message, code: f.code });
    }
    // Interaction callbacks and webhook calls use the interaction token, not the bot token.
    const tokenAuth = /^\/(?:interactions|webhooks)\//.test(path);
    if (!tokenAuth && req.headers.authorization !== `Bot ${TOKEN}`) return reply(401, { message: "401: Unauthorized", code: 0 });

    const m = (re: RegExp) => re.exec(path);
    let p: RegExpExecArray | null;
    if (call.method === "GET" && path === "/gateway/bot") {
      return reply(200, { url: this.gatewayUrl, shards: this.options.shards ?? 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.options.maxConcurrency ?? 1 } });
    }
    if (call.method === "GET" && path === "/users/@me") return reply(200, BOT_USER);
    if (call.method === "PUT" && (p = m(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      if (p[1] !== APP_ID) return reply(403, { message: "Missing Access", code: 50001 });
      return reply(200, (body as any[]).map((c, n) => ({ ...c, id: `12000000000000000${String(n + 1).padStart(2, "0")}`, application_id: APP_ID, version: snowflake(), ...(p![2] ? { guild_id: p![2] } : {}) })));
    }
    if (call.method === "POST" && (p = m(/^\/interactions\/(\d+)\/([\w-]+)\/callback$/))) {
      const token = p[2]!;
      // A reply or a deferred reply creates the original response message.
      if (body.type === 4 || body.type === 5) {
        const channelId = this.interactionChannel(token);
        const i = this.interactions.get(token);
        const metadata = { id: p[1], type: i?.type ?? 2, user: i?.member?.user ?? i?.user, authorizing_integration_owners: i?.authorizing_integration_owners ?? {} };
        this.originals.set(token, this.botMessage(channelId, body.data ?? {}, { interaction_metadata: metadata, webhook_id: APP_ID, application_id: APP_ID, flags: (body.data?.flags ?? 0) | (body.type === 5 ? 128 : 0) }));
      }
      if (body.type === 7) {
        // Update of the message the component is on.
        const msgId = this.componentMessage(token);
        const msg = msgId && this.messages.get(msgId);
        if (msg) Object.assign(msg, body.data.embeds ? { embeds: body.data.embeds } : {}, body.data.components ? { components: body.data.components } : {}, body.data.content !== undefined ? { content: body.data.content } : {});
      }
      if (url.searchParams.get("with_response") === "true") return reply(200, { interaction: { id: p[1], type: 2 }, resource: { type: body.type } });
      return reply(204);
    }
    if ((p = m(/^\/webhooks\/(\d+)\/([\w-]+)\/messages\/@original$/))) {
      const original = this.originals.get(p[2]!);
      if (!original) return reply(404, { message: "Unknown Message", code: 10008 });
      if (call.method === "PATCH") {
        Object.assign(original, { content: body.content ?? original.content, embeds: body.embeds ?? original.embeds, components: body.components ?? original.components, flags: original.flags & ~128, edited_timestamp: new Date().toISOString() });
        return reply(200, original);
      }
      if (call.method === "DELETE") {
        this.originals.delete(p[2]!);
        return reply(204);
      }
      return reply(200, original);
    }
    if (call.method === "POST" && (p = m(/^\/webhooks\/(\d+)\/([\w-]+)$/))) {
      return reply(200, this.botMessage(this.interactionChannel(p[2]!), body, { webhook_id: APP_ID }));
    }
    if (call.method === "POST" && (p = m(/^\/channels\/(\d+)\/messages$/))) {
      const msg = this.botMessage(p[1]!, body);
      reply(200, msg);
      // Discord tells every client about new messages, the author's own included.
      setImmediate(() => {
        if (this.readyConnections(msg.guild_id ?? "0").length) this.dispatch("MESSAGE_CREATE", msg);
      });
      return;
    }
    if (call.method === "GET" && (p = m(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const msg = this.messages.get(p[2]!);
      return msg && msg.channel_id === p[1] ? reply(200, msg) : reply(404, { message: "Unknown Message", code: 10008 });
    }
    if (call.method === "POST" && (p = m(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/))) {
      const parent = this.findChannel(p[1]!);
      const starter = this.messages.get(p[2]!);
      if (!parent || !starter) return reply(404, { message: "Unknown Channel", code: 10003 });
      const thread = {
        id: starter.id,
        type: 11,
        guild_id: parent.guild_id,
        parent_id: parent.id,
        name: body.name,
        owner_id: BOT_ID,
        last_message_id: null,
        rate_limit_per_user: 0,
        message_count: 0,
        member_count: 1,
        total_message_sent: 0,
        flags: 0,
        thread_metadata: { archived: false, auto_archive_duration: body.auto_archive_duration ?? 1440, archive_timestamp: new Date().toISOString(), locked: false, create_timestamp: new Date().toISOString() },
      };
      const guild = this.guilds.get(parent.guild_id);
      guild?.channels.push(thread);
      return reply(201, thread);
    }
    return reply(404, { message: "404: Not Found", code: 0 });
  }

  /** Interactions by token, from the INTERACTION_CREATE dispatches the fake sent. */
  private readonly interactions = new Map<string, any>();

  private interactionChannel(token: string): string {
    return this.interactions.get(token)?.channel_id ?? "0";
  }

  private componentMessage(token: string): string | undefined {
    return this.interactions.get(token)?.message?.id;
  }

  /** Remembers what an interaction is about (called for every INTERACTION_CREATE dispatched). */
  private track(i: any): void {
    this.interactions.set(i.token, i);
  }

  private serveFile(path: string, res: ServerResponse): void {
    const f = this.files.get(path);
    if (!f) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("This content is no longer available.");
      return;
    }
    const headers: Record<string, string | number> = { "content-type": f.contentType };
    if (!f.chunked) headers["content-length"] = f.body.length;
    res.writeHead(200, headers);
    res.end(f.body);
  }
}
