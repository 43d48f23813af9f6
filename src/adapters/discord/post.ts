// Posting into channels: replies to a message, threads on a message, and telling apart "the
// bot may not post here" (answer some other way) from real failures.
import { ChannelType, DiscordAPIError, type Message, ThreadAutoArchiveDuration } from "discord.js";
import type { Payload } from "./answer.js";

/** Missing access / permissions, cannot reply without Read Message History, archived thread, ... */
const CANNOT_POST = new Set([50001, 50013, 50083, 160002, 10003]);

export function cannotPost(err: unknown): boolean {
  return err instanceof DiscordAPIError && typeof err.code === "number" && CANNOT_POST.has(err.code);
}

export function replyTo(message: Message, payload: Payload): Promise<Message> {
  return message.reply({ ...payload, allowedMentions: { parse: [], repliedUser: false } });
}

/** Channels where a message can start a public thread. */
export function canThread(message: Message): boolean {
  const type = message.channel.type;
  return (type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement) && !message.hasThread;
}

/**
 * Answers in a new thread on `message` when the channel allows threads (and the bot may
 * create them), else as a reply to it.
 */
export async function threadOrReply(message: Message, name: string, payload: Payload): Promise<Message> {
  if (canThread(message)) {
    try {
      const thread = await message.startThread({ name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
      return await thread.send({ ...payload, allowedMentions: { parse: [] } });
    } catch (err) {
      if (!cannotPost(err)) throw err;
    }
  }
  return replyTo(message, payload);
}
