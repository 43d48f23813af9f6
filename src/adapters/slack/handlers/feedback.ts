// "Fixed it" / "Wrong diagnosis": the vote is recorded per rule (one vote per person and
// answer, changeable), and the answer is updated in place to show the tally.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import { DOC_ACTION_PREFIX, FEEDBACK_ACTIONS, parseFeedbackValue, withTally } from "../../../renderers/slack-blocks.js";
import { slackError } from "../answer.js";
import type { SlackDeps } from "../deps.js";
import { withSlackBackoff } from "../backoff.js";

export function registerFeedback(app: App, deps: SlackDeps): void {
  const ids = new RegExp(`^(?:${FEEDBACK_ACTIONS.fixed}|${FEEDBACK_ACTIONS.wrong})$`);
  app.action<BlockAction<ButtonAction>>(ids, async ({ ack, body, action, client, respond }) => {
    await ack();
    const ref = parseFeedbackValue(action.value);
    const channel = body.channel?.id;
    if (!ref || !body.message) return deps.report({ entry: "feedback", outcome: "ignored", detail: "malformed", ...(channel ? { channel } : {}) });
    const team = body.team?.id ?? body.user.team_id ?? "";
    const vote = action.action_id === FEEDBACK_ACTIONS.fixed ? "fixed" : "wrong";
    const tally = await deps.serial(`stats:${team}`, () => deps.service.recordVote(team, ref.answerId, ref.ruleId, body.user.id, vote));
    const blocks = withTally((body.message.blocks ?? []) as KnownBlock[], tally);
    const text = typeof body.message.text === "string" ? body.message.text : "";
    const ts = body.message.ts as string | undefined;
    if (channel && ts && !body.container?.is_ephemeral) {
      try {
        await withSlackBackoff("chat.update", channel, () => client.chat.update({ channel, ts, text, blocks }));
        return deps.report({ entry: "feedback", outcome: "replied", detail: vote, channel, ts });
      } catch (err) {
        deps.log.warn({ err: slackError(err) ?? String(err) }, "chat.update of a feedback tally failed; replacing through response_url");
      }
    }
    // Ephemeral answers (and messages chat.update cannot touch) are replaced via response_url.
    await respond({ replace_original: true, text, blocks });
    deps.report({ entry: "feedback", outcome: "replied", detail: vote, ...(channel ? { channel } : {}) });
  });
  // Doc links open in the browser; Slack still sends the click, which must be acknowledged.
  app.action(new RegExp(`^${DOC_ACTION_PREFIX}`), async ({ ack }) => {
    await ack();
  });
}
