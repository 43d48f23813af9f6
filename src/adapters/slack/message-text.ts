// The text a Slack message carries. People paste into `text`; CI integrations often put the
// log into attachments or blocks, so those count too. Files are listed separately.

/** The fields of a Slack file object the adapter uses. */
export interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  mode?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** The parts of a message (event, shortcut payload, conversations.replies item) read here. */
export interface SlackMessageLike {
  type?: string;
  subtype?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  channel?: string;
  channel_type?: string;
  files?: SlackFile[];
  attachments?: Array<Record<string, unknown>>;
  blocks?: unknown[];
}

/** Text of rich_text elements and section/context text objects, depth first. */
function blockText(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) blockText(n, out);
    return;
  }
  if (!node || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  if (o.type === "rich_text_preformatted" || o.type === "rich_text_section" || o.type === "rich_text_quote") {
    const parts: string[] = [];
    collectInline(o.elements, parts);
    out.push(parts.join(""));
    return;
  }
  if (typeof o.text === "string") out.push(o.text);
  else if (o.text && typeof o.text === "object") blockText(o.text, out);
  for (const key of ["elements", "fields"]) if (Array.isArray(o[key])) blockText(o[key], out);
}

function collectInline(node: unknown, out: string[]): void {
  if (!Array.isArray(node)) return;
  for (const el of node) {
    if (!el || typeof el !== "object") continue;
    const e = el as Record<string, unknown>;
    if (typeof e.text === "string") out.push(e.text);
    else if (typeof e.url === "string") out.push(e.url);
    else if (Array.isArray(e.elements)) collectInline(e.elements, out);
  }
}

/**
 * Everything readable in a message: `text`, then attachment texts, then block texts that are
 * not already in `text` (Slack repeats a rich-text message's content in `text`).
 */
export function messageText(msg: SlackMessageLike): string {
  const parts: string[] = [];
  const main = msg.text?.trim() ?? "";
  if (main) parts.push(main);
  for (const a of msg.attachments ?? []) {
    for (const key of ["pretext", "title", "text", "footer"]) {
      const v = a[key];
      if (typeof v === "string" && v.trim()) parts.push(v);
    }
    if (!a.text && typeof a.fallback === "string") parts.push(a.fallback);
    if (Array.isArray(a.fields)) for (const f of a.fields as Array<Record<string, unknown>>) if (typeof f.value === "string") parts.push(f.value);
  }
  const fromBlocks: string[] = [];
  blockText(msg.blocks ?? [], fromBlocks);
  for (const b of fromBlocks) if (b.trim() && !main.includes(b.trim())) parts.push(b);
  return parts.join("\n");
}

/** Removes `<@U123>` mentions of the bot (and the space after them). */
export function withoutMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text;
  return text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>\\s*`, "g"), "").trim();
}

export function mentions(text: string | undefined, botUserId: string | undefined): boolean {
  return Boolean(text && botUserId && text.includes(`<@${botUserId}`));
}
