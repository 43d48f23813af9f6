// Logs and Slack payloads shared by the Slack tests, shaped like the ones Slack sends.
import { BOT_USER, type FakeSlack, TEAM } from "./fake-slack.js";
import { uniq } from "./slack-harness.js";

/** A high-confidence cause (load-manifest-list-unsupported). */
export const LOAD_LOG = `$ docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest --load .
[+] Building 0.1s (0/0) docker-container:stoic_hellman
ERROR: docker exporter does not currently support exporting manifest lists`;

export const LOAD_RULE = "load-manifest-list-unsupported";

/** A failing RUN step (a medium-confidence generic cause) with secrets on several lines. */
export const SECRET_PASSWORD = "hunter2secret";
export const SECRET_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz012345";
export const SECRET_LOG = `$ docker login -u bob -p ${SECRET_PASSWORD} registry.example.com
Login Succeeded
#8 [3/5] RUN curl -fsSL -H "Authorization: Bearer ${SECRET_TOKEN}" https://api.example.com/x | sh
#8 0.512 curl: (22) The requested URL returned error: 401
#8 ERROR: process "/bin/sh -c curl -fsSL -H \\"Authorization: Bearer ${SECRET_TOKEN}\\" https://api.example.com/x | sh" did not complete successfully: exit code: 22
ERROR: failed to solve: process "/bin/sh -c curl -fsSL -H \\"Authorization: Bearer ${SECRET_TOKEN}\\" https://api.example.com/x | sh" did not complete successfully: exit code: 22`;

let tsCounter = 0;
/** A message ts, unique within the test run. */
export function newTs(): string {
  tsCounter++;
  return `1690000${String(tsCounter).padStart(3, "0")}.${String(200000 + tsCounter)}`;
}

export const channel = () => uniq("C");

export function personMessage(ch: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "message", channel: ch, channel_type: "channel", user: "U0BOB", text, ts: newTs(), team: TEAM, event_ts: newTs(), ...extra };
}

export function messageShortcut(fake: FakeSlack, ch: string, message: Record<string, unknown>, user = "U0ALICE"): Record<string, unknown> {
  return {
    type: "message_action",
    token: "verification-token",
    action_ts: "1690000000.000001",
    team: { id: TEAM, domain: "fake-team" },
    user: { id: user, name: user.toLowerCase(), team_id: TEAM },
    channel: { id: ch, name: "builds" },
    is_enterprise_install: false,
    callback_id: "diagnose_message",
    trigger_id: uniq("TRIG"),
    response_url: fake.responseUrl(uniq("R")),
    message_ts: message.ts,
    message,
  };
}

/** A click on a button of a message the bot posted (as recorded by the fake). */
export function buttonClick(fake: FakeSlack, posted: { channel: string; ts: string; text: string; blocks: unknown[] }, actionId: string, user: string): Record<string, unknown> {
  const block = (posted.blocks as Array<{ block_id?: string; elements?: Array<{ action_id?: string; value?: string; text?: unknown }> }>).find((b) =>
    b.elements?.some((e) => e.action_id === actionId),
  );
  const el = block?.elements?.find((e) => e.action_id === actionId);
  if (!block || !el) throw new Error(`no ${actionId} button in the posted message`);
  return {
    type: "block_actions",
    token: "verification-token",
    team: { id: TEAM, domain: "fake-team" },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
    api_app_id: "A0APP",
    trigger_id: uniq("TRIG"),
    container: { type: "message", message_ts: posted.ts, channel_id: posted.channel, is_ephemeral: false },
    channel: { id: posted.channel, name: "builds" },
    message: { type: "message", subtype: "bot_message", text: posted.text, ts: posted.ts, bot_id: "BBOTID", user: BOT_USER, blocks: posted.blocks },
    response_url: fake.responseUrl(uniq("R")),
    actions: [{ action_id: actionId, block_id: block.block_id, text: el.text, value: el.value, type: "button", action_ts: "1690000000.000002" }],
  };
}
