// "Fixed it" / "Wrong diagnosis": the vote is recorded per rule (one vote per person and
// answer, changeable; the state is in the store, the button's custom id names only the
// answer), and the answer is updated in place to show the tally.
import { type ButtonInteraction, MessageFlags } from "discord.js";
import { parseFeedbackCustomId, withTally } from "../../../renderers/discord-embed.js";
import { type AnswerRecord, answerKey, pickLang } from "../answer.js";
import type { DiscordDeps } from "../deps.js";
import { discordText } from "../text.js";

export async function onButton(deps: DiscordDeps, i: ButtonInteraction): Promise<void> {
  const base = { entry: "feedback" as const, channel: i.channelId, id: i.id };
  const fb = parseFeedbackCustomId(i.customId);
  if (!fb) return deps.report({ ...base, outcome: "ignored", detail: "not ours" });
  const record = await deps.service.store.get<AnswerRecord>(answerKey(fb.answerId));
  if (!record) {
    await i.reply({ content: discordText(pickLang({ locale: i.locale })).feedbackExpired, flags: MessageFlags.Ephemeral });
    return deps.report({ ...base, outcome: "ignored", detail: "unknown answer" });
  }
  const tally = await deps.serial(`stats:${record.workspace}`, () => deps.service.recordVote(record.workspace, fb.answerId, record.ruleId, i.user.id, fb.vote));
  const [answer, ...others] = i.message.embeds.map((e) => e.toJSON());
  if (answer) await i.update({ embeds: [withTally(answer, tally, record.lang), ...others] });
  else await i.deferUpdate();
  deps.report({ ...base, outcome: "replied", detail: `${fb.vote}: ${tally.fixed}/${tally.wrong}` });
}
