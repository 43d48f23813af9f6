// The message shortcut "Diagnose build log": on any message (a teammate's paste, a CI bot's
// post), the answer goes into that message's thread, whatever the confidence.
import type { App, MessageShortcut } from "@slack/bolt";
import { answerLog, answerRunLink } from "../answer.js";
import type { SlackDeps } from "../deps.js";
import { isLogFile } from "../files.js";
import { type SlackMessageLike, messageText } from "../message-text.js";
import { slackText } from "../text.js";
import { answerLang } from "../lang.js";
import { ephemeralFallback } from "./command.js";
import { runLinkOf } from "./messages.js";

export const SHORTCUT_CALLBACK = "diagnose_message";

export function registerShortcut(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>({ callback_id: SHORTCUT_CALLBACK, type: "message_action" }, async ({ shortcut, ack, client, respond }) => {
    await ack();
    const msg = shortcut.message as SlackMessageLike & { ts: string };
    const team = shortcut.team?.id ?? shortcut.user.team_id ?? "";
    const channel = shortcut.channel.id;
    const user = shortcut.user.id;
    const text = messageText(msg);
    const tell = async (t: string) => void (await respond({ response_type: "ephemeral", text: t }));
    if (!text.trim() && !msg.files?.some(isLogFile)) {
      await tell(slackText(await answerLang(deps.service, client, { team, user })).nothingToDiagnose);
      return deps.report({ entry: "shortcut", outcome: "not-a-log", channel, ts: msg.ts });
    }
    const t = slackText(await answerLang(deps.service, client, { team, user, text }));
    const ask = {
      entry: "shortcut" as const,
      place: { team, channel, threadTs: msg.thread_ts ?? msg.ts },
      user,
      text,
      auto: false,
      ts: msg.ts,
      fallback: ephemeralFallback(respond, t.notInChannel, false),
      tell,
    };
    // A CI alert linking the failed run: its logs are what to diagnose.
    const link = runLinkOf(deps, msg, text);
    if (link) return answerRunLink(deps, client, link, ask);
    await answerLog(deps, client, { ...ask, files: msg.files });
  });
}
