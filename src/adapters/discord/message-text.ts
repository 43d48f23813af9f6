// The text a Discord message carries. People paste into `content` (often inside a ``` code
// block, which the engine's normaliser strips); CI webhooks often post the log in embeds, so
// those count too. Attachments are listed separately.
import type { Message } from "discord.js";

/** The parts of a discord.js Message read here. */
export type MessageLike = Pick<Message, "content" | "embeds">;

export function messageText(msg: MessageLike): string {
  const parts: string[] = [];
  const main = msg.content.trim();
  if (main) parts.push(main);
  for (const e of msg.embeds) {
    for (const v of [e.author?.name, e.title, e.description]) if (v?.trim()) parts.push(v);
    for (const f of e.fields) if (f.value.trim()) parts.push(`${f.name}\n${f.value}`);
    if (e.footer?.text.trim()) parts.push(e.footer.text);
  }
  return parts.join("\n");
}

/** Whether the text mentions the user (`<@id>` or the older `<@!id>`), not just a reply ping. */
export function mentions(text: string, userId: string): boolean {
  return text.includes(`<@${userId}>`) || text.includes(`<@!${userId}>`);
}

/** Removes mentions of the user (and the space after them). */
export function withoutMention(text: string, userId: string): string {
  return text.replace(new RegExp(`<@!?${userId}>\\s*`, "g"), "").trim();
}
