// `/buildx-fix`: with a log, the answer in the channel; with nothing, the paste-a-log modal;
// `help`, `rules`, `stats`, `auto on|off` answer only the person who asked.
import type { App, RespondFn, SlashCommand, webApi } from "@slack/bolt";
import { redact } from "../../../redact/secrets.js";
import type { SlackMessage } from "../../../renderers/slack-blocks.js";
import { answerLog } from "../answer.js";
import type { SlackDeps } from "../deps.js";
import { answerLang } from "../lang.js";
import { diagnoseModal, helpMessage, rulesMessage, statsMessage } from "../replies.js";
import { slackText } from "../text.js";

const SUBCOMMANDS = new Set(["help", "rules", "stats", "auto"]);

/** The answer only the asker sees, for when the bot cannot post in the channel. */
export function ephemeralFallback(respond: RespondFn, note: string, publicOk: boolean) {
  return async (msg: SlackMessage): Promise<void> => {
    if (publicOk) {
      await respond({ response_type: "in_channel", text: msg.text, blocks: msg.blocks });
      return;
    }
    await respond({ response_type: "ephemeral", text: msg.text, blocks: [...msg.blocks, { type: "context", elements: [{ type: "mrkdwn", text: note }] }] });
  };
}

export function registerCommand(app: App, deps: SlackDeps): void {
  const { service, config, report } = deps;
  const name = config.SLACK_COMMAND;

  app.command(name, async ({ command, ack, client, respond }) => {
    await ack();
    // The form must open while its trigger_id is fresh (about 3 s): not queued. Everything else
    // waits its turn, so a burst of commands cannot delay the next one's ack.
    if (!command.text.trim()) return answerCommand(command, client, respond);
    await deps.afterAck(() => answerCommand(command, client, respond));
  });

  async function answerCommand(command: SlashCommand, client: webApi.WebClient, respond: RespondFn): Promise<void> {
    const team = command.team_id;
    const channel = command.channel_id;
    const user = command.user_id;
    const text = command.text.trim();
    const words = text.toLowerCase().split(/\s+/);
    const lang = () => answerLang(service, client, { team, user });
    const reply = async (msg: SlackMessage) => void (await respond({ response_type: "ephemeral", text: msg.text, blocks: msg.blocks }));
    const tell = async (t: string) => void (await respond({ response_type: "ephemeral", text: t }));

    if (!text) {
      await client.views.open({ trigger_id: command.trigger_id, view: diagnoseModal(await lang(), { channel }) });
      return report({ entry: "command", outcome: "replied", detail: "modal", channel });
    }

    const [sub, arg, ...more] = words;
    if (sub && SUBCOMMANDS.has(sub) && more.length === 0 && (arg === undefined || sub === "auto")) {
      const t = slackText(await lang());
      if (sub === "help") await reply(helpMessage(await lang(), name));
      else if (sub === "rules") await reply(rulesMessage(service.engine, await lang()));
      else if (sub === "stats") await reply(statsMessage(await service.stats(team), await lang()));
      else if (arg === "on" || arg === "off") {
        await service.setChannelSetting(team, channel, "auto", arg === "on");
        await tell(arg === "on" ? t.autoOn : t.autoOff);
      } else if (arg === undefined) {
        await tell(t.autoState(await service.channelSetting(team, channel, "auto", true), name));
      } else {
        await tell(t.unknownSubcommand(`auto ${redact(arg)}`, name));
      }
      return report({ entry: "command", outcome: "replied", detail: sub, channel });
    }
    if (words.length === 1 && !/[\n:]/.test(text) && text.length < 40) {
      // One word that is not a subcommand is a typo, not a log: do not post about it publicly.
      await tell(slackText(await lang()).unknownSubcommand(redact(text), name));
      return report({ entry: "command", outcome: "replied", detail: "unknown subcommand", channel });
    }

    // When the bot is not in the channel, the answer goes through response_url. In-channel
    // responses show the command itself too, so only when it holds no secret.
    const t = slackText(await lang());
    await answerLog(deps, client, {
      entry: "command",
      place: { team, channel },
      user,
      text,
      auto: false,
      fallback: ephemeralFallback(respond, t.notInChannel, redact(text) === text),
      tell,
    });
  }
}
