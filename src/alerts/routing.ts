// Which chat channel(s) an alert goes to: the request's own `target`, else the first route in
// CI_ALERT_ROUTES whose pattern matches the repo (`org/repo`, `org/*`, `*`), else the default
// channels (CI_ALERT_SLACK_CHANNEL, CI_ALERT_DISCORD_CHANNEL). CI_ALERT_ROUTES is JSON or the
// path of a .json / .yaml file holding the same mapping; a bad one stops the bot at start-up.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type Config, ConfigError } from "../config/config.js";
import { TARGET_PATTERN } from "./schema.js";

export type Platform = "slack" | "discord";

export interface Target {
  platform: Platform;
  channel: string;
}

export const targetKey = (t: Target) => `${t.platform}:${t.channel}`;

export function parseTarget(s: string): Target | undefined {
  const m = TARGET_PATTERN.exec(s.trim());
  return m ? { platform: m[1] as Platform, channel: m[2]! } : undefined;
}

const routesSchema = z.record(
  z.string().regex(/^(\*|[\w.-]+\/(\*|[\w.-]+))$/, "keys are org/repo, org/* or *"),
  z.union([z.string(), z.array(z.string()).min(1)]),
);

interface Route {
  pattern: string;
  targets: Target[];
}

export class AlertRoutes {
  constructor(
    readonly routes: Route[],
    readonly defaults: Target[],
  ) {}

  /** The targets of an alert; empty when nothing is configured for it. */
  resolve(repo: string | undefined, explicit: string | undefined): Target[] {
    if (explicit) {
      const t = parseTarget(explicit);
      return t ? [t] : [];
    }
    const r = repo?.toLowerCase();
    if (r) {
      const exact = this.routes.find((x) => x.pattern === r);
      const org = this.routes.find((x) => x.pattern.endsWith("/*") && r.startsWith(x.pattern.slice(0, -1)));
      const hit = exact ?? org;
      if (hit) return hit.targets;
    }
    const any = this.routes.find((x) => x.pattern === "*");
    return any ? any.targets : this.defaults;
  }
}

function readRoutesSource(raw: string): unknown {
  const s = raw.trim();
  if (s.startsWith("{")) {
    try {
      return JSON.parse(s) as unknown;
    } catch (err) {
      throw new ConfigError(`CI_ALERT_ROUTES: not valid JSON (${(err as Error).message})`);
    }
  }
  let body: string;
  try {
    body = readFileSync(s, "utf8");
  } catch (err) {
    throw new ConfigError(`CI_ALERT_ROUTES: cannot read ${s} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give a JSON object or a .json/.yaml file`);
  }
  try {
    return /\.json$/i.test(s) ? (JSON.parse(body) as unknown) : (parseYaml(body) as unknown);
  } catch (err) {
    throw new ConfigError(`CI_ALERT_ROUTES: ${s} does not parse (${(err as Error).message})`);
  }
}

export function loadRoutes(config: Pick<Config, "CI_ALERT_ROUTES" | "CI_ALERT_SLACK_CHANNEL" | "CI_ALERT_DISCORD_CHANNEL">): AlertRoutes {
  const defaults: Target[] = [];
  if (config.CI_ALERT_SLACK_CHANNEL) defaults.push({ platform: "slack", channel: config.CI_ALERT_SLACK_CHANNEL });
  if (config.CI_ALERT_DISCORD_CHANNEL) defaults.push({ platform: "discord", channel: config.CI_ALERT_DISCORD_CHANNEL });
  if (!config.CI_ALERT_ROUTES) return new AlertRoutes([], defaults);
  const parsed = routesSchema.safeParse(readRoutesSource(config.CI_ALERT_ROUTES));
  if (!parsed.success) throw new ConfigError(`CI_ALERT_ROUTES: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ")}`);
  const routes: Route[] = [];
  for (const [pattern, value] of Object.entries(parsed.data)) {
    const targets: Target[] = [];
    for (const v of Array.isArray(value) ? value : [value]) {
      const t = parseTarget(v);
      if (!t) throw new ConfigError(`CI_ALERT_ROUTES: ${pattern}: "${v}" must be slack:<channel id> or discord:<channel id>`);
      targets.push(t);
    }
    routes.push({ pattern: pattern.toLowerCase(), targets });
  }
  return new AlertRoutes(routes, defaults);
}
