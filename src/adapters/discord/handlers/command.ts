// `/buildx-fix`: `diagnose` with a log or a file answers in the channel (deferred first: a
// download can pass Discord's 3 seconds); `diagnose` alone opens the paste-a-log form; `help`,
// `rules`, `stats` and `auto` answer only the person who asked.
import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from "discord.js";
import { redact } from "../../../redact/secrets.js";
import { allowed, answerLog, parseLangChoice, pickLang } from "../answer.js";
import { OPTIONS, SUBCOMMANDS } from "../commands.js";
import { type DiscordDeps, workspaceOf } from "../deps.js";
import { deferredDelivery } from "../interaction-delivery.js";
import { diagnoseModal, helpEmbed, rulesEmbed, statsEmbed } from "../replies.js";
import { discordText } from "../text.js";

export async function onSlashCommand(deps: DiscordDeps, i: ChatInputCommandInteraction): Promise<void> {
  const { service, report } = deps;
  const sub = i.options.getSubcommand(false) ?? SUBCOMMANDS.help;
  const channel = i.channelId;
  const workspace = workspaceOf(i.guildId, i.user.id);
  const lang = pickLang({ locale: i.locale });
  const t = discordText(lang);
  const privately = async (content: string) => void (await i.reply({ content, flags: MessageFlags.Ephemeral }));

  switch (sub) {
    case SUBCOMMANDS.help:
      await i.reply({ embeds: [helpEmbed(lang)], flags: MessageFlags.Ephemeral });
      return report({ entry: "command", outcome: "replied", detail: sub, channel, id: i.id });
    case SUBCOMMANDS.rules:
      await i.reply({ embeds: [rulesEmbed(service.engine, lang)], flags: MessageFlags.Ephemeral });
      return report({ entry: "command", outcome: "replied", detail: sub, channel, id: i.id });
    case SUBCOMMANDS.stats:
      await i.reply({ embeds: [statsEmbed(await service.stats(workspace), lang)], flags: MessageFlags.Ephemeral });
      return report({ entry: "command", outcome: "replied", detail: sub, channel, id: i.id });
    case SUBCOMMANDS.auto: {
      const state = i.options.getString(OPTIONS.state);
      if (!i.inGuild()) await privately(t.autoInDm);
      else if (state === "on" || state === "off") {
        // A channel-wide setting: for the people who manage the channel.
        if (!i.memberPermissions.has(PermissionFlagsBits.ManageChannels)) {
          await privately(t.autoNeedsPermission);
          return report({ entry: "command", outcome: "replied", detail: "auto: no permission", channel, id: i.id });
        }
        await service.setChannelSetting(workspace, channel, "auto", state === "on");
        await privately([state === "on" ? t.autoOn : t.autoOff, ...(state === "on" && !deps.messageContent ? [t.autoNoIntent] : [])].join("\n\n"));
      } else {
        const on = await service.channelSetting(workspace, channel, "auto", true);
        await privately([t.autoState(on), ...(deps.messageContent ? [] : [t.autoNoIntent])].join("\n\n"));
      }
      return report({ entry: "command", outcome: "replied", detail: state ? `auto ${state}` : "auto", channel, id: i.id });
    }
    case SUBCOMMANDS.diagnose:
      break;
    default:
      await privately(t.mentionHelp);
      return report({ entry: "command", outcome: "ignored", detail: `unknown subcommand ${redact(sub)}`, channel, id: i.id });
  }

  const log = i.options.getString(OPTIONS.log) ?? "";
  const file = i.options.getAttachment(OPTIONS.file);
  const chosen = parseLangChoice(i.options.getString(OPTIONS.lang));
  if (!log.trim() && !file) {
    // A modal must be the first response: no deferring before it.
    await i.showModal(diagnoseModal(pickLang({ explicit: chosen, locale: i.locale }), chosen));
    return report({ entry: "command", outcome: "replied", detail: "modal", channel, id: i.id });
  }
  if (!(await allowed(deps, i.guildId, channel, i.user.id))) {
    await privately(discordText(pickLang({ text: log, explicit: chosen, locale: i.locale })).rateLimited);
    return report({ entry: "command", outcome: "rate-limited", channel, id: i.id });
  }
  await i.deferReply();
  await answerLog(deps, {
    entry: "command",
    guildId: i.guildId,
    channelId: channel,
    userId: i.user.id,
    text: log,
    attachments: file ? [file] : [],
    lang: chosen,
    locale: i.locale,
    auto: false,
    limitsChecked: true,
    id: i.id,
    delivery: deferredDelivery(i),
  });
}
