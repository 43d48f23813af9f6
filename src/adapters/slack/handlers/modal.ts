// The paste-a-log modal's submission: the answer goes to the channel the command came from
// (or, when the bot cannot post there, to the person as a direct message).
import type { App } from "@slack/bolt";
import type { webApi } from "@slack/bolt";
import type { SlackMessage } from "../../../renderers/slack-blocks.js";
import { answerLog } from "../answer.js";
import type { SlackDeps } from "../deps.js";
import { MODAL_CALLBACK, MODAL_LANG, MODAL_LOG, parseModalMeta } from "../replies.js";
import { withSlackBackoff } from "../backoff.js";

async function direct(client: webApi.WebClient, user: string, msg: SlackMessage): Promise<void> {
  await withSlackBackoff("chat.postMessage", user, () => client.chat.postMessage({ channel: user, text: msg.text, blocks: msg.blocks, unfurl_links: false }));
}

export function registerModal(app: App, deps: SlackDeps): void {
  app.view(MODAL_CALLBACK, async ({ ack, view, body, client }) => {
    const text = view.state.values[MODAL_LOG.block]?.[MODAL_LOG.action]?.value ?? "";
    if (!text.trim()) {
      await ack({ response_action: "errors", errors: { [MODAL_LOG.block]: "Paste the build log here." } });
      return deps.report({ entry: "modal", outcome: "not-a-log", detail: "empty" });
    }
    await ack();
    const choice = view.state.values[MODAL_LANG.block]?.[MODAL_LANG.action]?.selected_option?.value;
    const lang = choice === "en" || choice === "zh" ? choice : "auto";
    const user = body.user.id;
    const team = body.team?.id ?? view.team_id;
    const meta = parseModalMeta(view.private_metadata);
    const channel = meta?.channel ?? user;
    await answerLog(deps, client, {
      entry: "modal",
      place: { team, channel },
      user,
      text,
      lang,
      auto: false,
      fallback: (msg) => direct(client, user, msg),
      tell: async (t) => {
        try {
          await client.chat.postEphemeral({ channel, user, text: t });
        } catch {
          await direct(client, user, { text: t, blocks: [] });
        }
      },
    });
  });
}
