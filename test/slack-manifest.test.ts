// The app manifest declares what the code listens for and needs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SHORTCUT_CALLBACK } from "../src/adapters/slack/handlers/shortcut.js";
import { loadConfig } from "../src/config/config.js";
import { ROOT } from "./helpers/cli.js";

interface Manifest {
  features: { slash_commands: Array<{ command: string }>; shortcuts: Array<{ type: string; callback_id: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

describe("slack-app-manifest.yaml", () => {
  const m = parse(readFileSync(join(ROOT, "slack-app-manifest.yaml"), "utf8")) as Manifest;

  it("declares the slash command and the message shortcut the adapter registers", () => {
    expect(m.features.slash_commands.map((c) => c.command)).toEqual([loadConfig({}).SLACK_COMMAND]);
    expect(m.features.shortcuts).toEqual([expect.objectContaining({ type: "message", callback_id: SHORTCUT_CALLBACK })]);
  });

  it("asks for exactly the scopes and events the adapter uses", () => {
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(
      ["app_mentions:read", "channels:history", "chat:write", "commands", "files:read", "groups:history", "im:history", "mpim:history", "users:read"].sort(),
    );
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual(["app_mention", "message.channels", "message.groups", "message.im", "message.mpim"]);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(true);
  });
});
