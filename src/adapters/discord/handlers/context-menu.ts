// The message command "Diagnose build log": on any message (a teammate's paste, a CI
// webhook's post, a message with a log file) the answer replies to that message, whatever the
// confidence. Interactions carry the target message's content without the Message Content
// intent. When the bot may not post in the channel, the asker sees the answer privately.
import { type MessageContextMenuCommandInteraction, MessageFlags } from "discord.js";
import { type AskOptions, allowed, answerLog, answerRunLink, pickLang, runLinkOf } from "../answer.js";
import { isLogAttachment } from "../attachments.js";
import type { DiscordDeps } from "../deps.js";
import { replace } from "../interaction-delivery.js";
import { messageText } from "../message-text.js";
import { cannotPost, replyTo } from "../post.js";
import { discordText } from "../text.js";

export async function onContextMenu(deps: DiscordDeps, i: MessageContextMenuCommandInteraction): Promise<void> {
  const target = i.targetMessage;
  const channel = i.channelId;
  const text = messageText(target);
  const attachments = [...target.attachments.values()];
  const t = discordText(pickLang({ text, locale: i.locale }));
  if (!text.trim() && !attachments.length) {
    await i.reply({ content: t.nothingToDiagnose, flags: MessageFlags.Ephemeral });
    return deps.report({ entry: "context-menu", outcome: "not-a-log", channel, id: i.id });
  }
  if (!(await allowed(deps, i.guildId, channel, i.user.id))) {
    await i.reply({ content: t.rateLimited, flags: MessageFlags.Ephemeral });
    return deps.report({ entry: "context-menu", outcome: "rate-limited", channel, id: i.id });
  }
  // The public answer is a reply to the message; the interaction itself gets a private note.
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const ask: AskOptions = {
    entry: "context-menu",
    guildId: i.guildId,
    channelId: channel,
    userId: i.user.id,
    text,
    locale: i.locale,
    auto: false,
    limitsChecked: true,
    id: i.id,
    delivery: {
      async answer(payload, result) {
        try {
          const posted = await replyTo(target, payload);
          await replace(i, { content: discordText(result.lang).answeredBelow(posted.url) });
          return { url: posted.url };
        } catch (err) {
          if (!cannotPost(err)) throw err;
          deps.log.warn({ channel, err: String(err) }, "cannot reply in this channel; answering privately");
          await replace(i, { ...payload, content: discordText(result.lang).cannotPost });
          return {};
        }
      },
      // Someone asked on purpose: the pointer to the earlier answer is for them only.
      note: (content) => replace(i, { content }).then(() => undefined),
      tell: (content) => replace(i, { content }).then(() => undefined),
    },
  };
  // A CI alert linking the failed run: its logs are what to diagnose.
  const link = runLinkOf(deps, target, text, attachments.some(isLogAttachment));
  if (link) return answerRunLink(deps, link, ask);
  await answerLog(deps, { ...ask, attachments });
}
