// Answering through an interaction that has been deferred: the answer replaces the "thinking"
// message (public for the slash command and the form, where the person asked in the channel).
import type { ChatInputCommandInteraction, Message, MessageContextMenuCommandInteraction, ModalSubmitInteraction } from "discord.js";
import type { Delivery, Payload } from "./answer.js";

/** The link that opens a message in Discord. */
export function jumpLink(guildId: string | null, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId ?? "@me"}/${channelId}/${messageId}`;
}

type Deferred = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ModalSubmitInteraction;

/** Sends `payload` as the interaction's reply, replacing whatever it showed before. */
export async function replace(i: Deferred, payload: Payload): Promise<Message> {
  return i.editReply({ content: payload.content ?? "", embeds: payload.embeds ?? [], components: payload.components ?? [] });
}

export function deferredDelivery(i: Deferred): Delivery {
  return {
    async answer(payload) {
      const msg = await replace(i, payload);
      return { url: i.ephemeral || !i.channelId ? undefined : jumpLink(i.guildId, i.channelId, msg.id) };
    },
    async note(text) {
      await replace(i, { content: text });
    },
    async tell(text) {
      await replace(i, { content: text });
    },
  };
}
