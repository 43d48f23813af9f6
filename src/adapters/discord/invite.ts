// The link that adds the bot to a server: the `bot` and `applications.commands` scopes and the
// permissions the answers need.
import { PermissionFlagsBits } from "discord.js";

/** What the bot does in a channel, and the permission each needs. */
export const BOT_PERMISSIONS = {
  /** See the channel (and the messages the context menu and mentions point at). */
  ViewChannel: PermissionFlagsBits.ViewChannel,
  /** Post answers and replies. */
  SendMessages: PermissionFlagsBits.SendMessages,
  /** Without it Discord hides a bot's embeds. */
  EmbedLinks: PermissionFlagsBits.EmbedLinks,
  /** Reply to a message (the context menu, mentions, pasted logs) and read the message a mention replies to. */
  ReadMessageHistory: PermissionFlagsBits.ReadMessageHistory,
  /** Open a thread on a pasted log for the answer. */
  CreatePublicThreads: PermissionFlagsBits.CreatePublicThreads,
  /** Answer in that thread, and in threads where it is asked. */
  SendMessagesInThreads: PermissionFlagsBits.SendMessagesInThreads,
} as const;

export const INVITE_PERMISSIONS: bigint = Object.values(BOT_PERMISSIONS).reduce((a, b) => a | b, 0n);
export const INVITE_SCOPES = ["bot", "applications.commands"] as const;

export function inviteUrl(applicationId: string): string {
  const q = new URLSearchParams({ client_id: applicationId, scope: INVITE_SCOPES.join(" "), permissions: String(INVITE_PERMISSIONS), integration_type: "0" });
  return `https://discord.com/oauth2/authorize?${q.toString()}`;
}
