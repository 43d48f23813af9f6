// Logs that show up in conversation (MESSAGE_CREATE):
// - a pasted log or log file in a guild channel gets an answer in a thread on it, only when a
//   rule is sure, only when auto-detect is on for the channel, and only with the privileged
//   Message Content intent (without it Discord sends no content for such messages);
// - an @mention answers the log in the mentioning message, or else the message it replies to
//   (or the thread's first message);
// - in a direct message every log gets an answer.
// The bot's own messages, and answers of any buildx-fix, are ignored.
import { type Message, MessageType } from "discord.js";
import { threadName } from "../../../renderers/discord-embed.js";
import { answerLog, answerRunLink, type Delivery, pickLang, runLinkOf } from "../answer.js";
import { isLogAttachment } from "../attachments.js";
import { type DiscordDeps, type Entry, type Handled, workspaceOf } from "../deps.js";
import { messageText, mentions, withoutMention } from "../message-text.js";
import { replyTo, threadOrReply } from "../post.js";
import { discordText } from "../text.js";

/** A message carrying feedback buttons of a buildx-fix answer (this bot's or another instance's). */
function isAnswer(message: Message): boolean {
  return JSON.stringify(message.components.map((c) => c.toJSON())).includes('"custom_id":"bxf:');
}

function replyDelivery(message: Message): Delivery {
  return {
    answer: async (payload) => ({ url: (await replyTo(message, payload)).url }),
    note: async (content) => void (await replyTo(message, { content })),
    tell: async (content) => void (await replyTo(message, { content })),
  };
}

export async function onMessage(deps: DiscordDeps, message: Message): Promise<void> {
  const { service, report } = deps;
  const me = message.client.user.id;
  const base = { entry: "message" as Entry, channel: message.channelId, id: message.id };
  const ignore = (detail: string, entry: Entry = "message") => report({ ...base, entry, outcome: "ignored", detail } satisfies Handled);

  if (message.author.id === me) return ignore("self");
  if (message.system || (message.type !== MessageType.Default && message.type !== MessageType.Reply)) return ignore(`type ${message.type}`);
  if (isAnswer(message)) return ignore("a buildx-fix answer");
  if (mentions(message.content, me)) return onMention(deps, message, me);

  const text = messageText(message);
  const logs = [...message.attachments.values()].filter(isLogAttachment);
  if (!text.trim() && !logs.length) return ignore(deps.messageContent || !message.inGuild() ? "no text" : "no content (no Message Content intent)");

  const link = runLinkOf(deps, message, text, logs.length > 0);
  if (!message.inGuild()) {
    if (link) return answerRunLink(deps, link, { entry: "message", guildId: null, channelId: message.channelId, userId: message.author.id, text, auto: false, id: message.id, delivery: replyDelivery(message) });
    if (!logs.length && !deps.service.holdsLog(text)) {
      await replyTo(message, { content: discordText(pickLang({ text })).mentionHelp });
      return report({ ...base, outcome: "replied", detail: "no log" });
    }
    return answerLog(deps, { entry: "message", guildId: null, channelId: message.channelId, userId: message.author.id, text, attachments: logs, auto: false, id: message.id, delivery: replyDelivery(message) });
  }

  // In a thread, the setting of the channel it belongs to.
  const channel = message.channel.isThread() ? (message.channel.parentId ?? message.channelId) : message.channelId;
  if (!(await service.channelSetting(workspaceOf(message.guildId, message.author.id), channel, "auto", true))) return ignore("auto off");
  const ask = {
    entry: "message" as const,
    guildId: message.guildId,
    channelId: message.channelId,
    userId: message.author.id,
    text,
    auto: true,
    id: message.id,
  };
  const delivery: Delivery = {
    answer: async (payload, result) => ({ url: (await threadOrReply(message, threadName(result), payload)).url }),
    note: async (content) => void (await replyTo(message, { content })),
    tell: async (content) => void (await replyTo(message, { content })),
  };
  // A CI integration's alert links the failed run: its logs are what to diagnose.
  if (link) return answerRunLink(deps, link, { ...ask, delivery });
  await answerLog(deps, { ...ask, attachments: logs, delivery });
}

/** The message a mention is about when it has no log itself: the one it replies to, or the thread's first. */
async function mentionedLog(message: Message): Promise<Message | undefined> {
  if (message.reference?.messageId) {
    const ref = await message.fetchReference().catch(() => undefined);
    if (ref) return ref;
  }
  if (message.channel.isThread()) return (await message.channel.fetchStarterMessage().catch(() => null)) ?? undefined;
  return undefined;
}

async function onMention(deps: DiscordDeps, message: Message, me: string): Promise<void> {
  const base = { entry: "mention" as const, channel: message.channelId, id: message.id };
  const text = withoutMention(messageText(message), me);
  const logs = [...message.attachments.values()].filter(isLogAttachment);
  const ask = { entry: "mention" as const, guildId: message.guildId, channelId: message.channelId, userId: message.author.id, auto: false, id: message.id };

  const link = runLinkOf(deps, message, text, logs.length > 0);
  if (link) return answerRunLink(deps, link, { ...ask, text, delivery: replyDelivery(message) });
  if (logs.length || deps.service.holdsLog(text)) {
    return answerLog(deps, { ...ask, text, attachments: logs, delivery: replyDelivery(message) });
  }
  const other = await mentionedLog(message);
  if (other && other.author.id !== me) {
    const otherText = withoutMention(messageText(other), me);
    const otherLogs = [...other.attachments.values()].filter(isLogAttachment);
    const otherLink = runLinkOf(deps, other, otherText, otherLogs.length > 0);
    if (otherLink) return answerRunLink(deps, otherLink, { ...ask, text: otherText, delivery: replyDelivery(other) });
    if (otherText.trim() || otherLogs.length) {
      // The answer replies to the log's message, so it is clear which log it is about.
      return answerLog(deps, { ...ask, text: otherText, attachments: otherLogs, delivery: replyDelivery(other) });
    }
  }
  await replyTo(message, { content: discordText(pickLang({ text })).mentionHelp });
  deps.report({ ...base, outcome: "replied", detail: "no log" });
}
