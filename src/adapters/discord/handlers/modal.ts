// The paste-a-log form's submission: the pasted text and/or the uploaded file, answered in the
// channel the command came from (deferred first: the file is downloaded now).
import { type Attachment, MessageFlags, type ModalSubmitInteraction } from "discord.js";
import { allowed, answerLog, parseLangChoice, pickLang } from "../answer.js";
import type { DiscordDeps } from "../deps.js";
import { deferredDelivery } from "../interaction-delivery.js";
import { MODAL_FIELDS, parseModalId } from "../replies.js";
import { discordText } from "../text.js";

/** A field of the form, or the fallback when the submission does not carry it. */
function field<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

export async function onModalSubmit(deps: DiscordDeps, i: ModalSubmitInteraction): Promise<void> {
  const meta = parseModalId(i.customId);
  if (!meta) return deps.report({ entry: "modal", outcome: "ignored", detail: "not ours", channel: i.channelId ?? "", id: i.id });
  const channel = i.channelId ?? i.user.id;
  const text = field(() => i.fields.getTextInputValue(MODAL_FIELDS.log), "") ?? "";
  const files: Attachment[] = [...(field(() => i.fields.getUploadedFiles(MODAL_FIELDS.file), null)?.values() ?? [])];
  const picked = field(() => i.fields.getStringSelectValues(MODAL_FIELDS.lang)[0], undefined);
  const chosen = picked ? parseLangChoice(picked) : meta.chosen;

  if (!text.trim() && !files.length) {
    await i.reply({ content: discordText(pickLang({ explicit: chosen, locale: i.locale })).modalEmpty, flags: MessageFlags.Ephemeral });
    return deps.report({ entry: "modal", outcome: "not-a-log", detail: "empty", channel, id: i.id });
  }
  if (!(await allowed(deps, i.guildId, channel, i.user.id))) {
    await i.reply({ content: discordText(pickLang({ text, explicit: chosen, locale: i.locale })).rateLimited, flags: MessageFlags.Ephemeral });
    return deps.report({ entry: "modal", outcome: "rate-limited", channel, id: i.id });
  }
  await i.deferReply();
  await answerLog(deps, {
    entry: "modal",
    guildId: i.guildId,
    channelId: channel,
    userId: i.user.id,
    text,
    attachments: files,
    lang: chosen,
    locale: i.locale,
    auto: false,
    limitsChecked: true,
    id: i.id,
    delivery: deferredDelivery(i),
  });
}
