// Which language to answer in: an explicit choice first, then Chinese when the text is, then
// the person's Slack locale (from the interaction, or users.info with include_locale, cached
// for a day), English otherwise.
import type { webApi } from "@slack/bolt";
import type { BotService } from "../../core/bot-service.js";
import type { Lang } from "../../engine/types.js";
import { detectLang, langFromLocale } from "../../i18n/detect-lang.js";

const DAY = 24 * 60 * 60 * 1000;

export interface LangQuery {
  text?: string;
  explicit?: Lang | "auto" | undefined;
  /** A locale the payload already carries (block actions, some interactions). */
  locale?: string | undefined;
  team: string;
  user?: string | undefined;
}

export async function userLocale(service: BotService, client: webApi.WebClient, team: string, user: string): Promise<string> {
  const key = `slack:locale:${team}:${user}`;
  const cached = await service.store.get<string>(key);
  if (cached !== undefined) return cached;
  let locale = "";
  try {
    const res = await client.users.info({ user, include_locale: true });
    locale = res.user?.locale ?? "";
  } catch {
    // no users:read scope, or a user we cannot see: the text decides
  }
  await service.store.set(key, locale, DAY);
  return locale;
}

export async function answerLang(service: BotService, client: webApi.WebClient, q: LangQuery): Promise<Lang> {
  if (q.explicit === "en" || q.explicit === "zh") return q.explicit;
  if (q.text && detectLang(q.text) === "zh") return "zh";
  const fromPayload = langFromLocale(q.locale);
  if (fromPayload) return fromPayload;
  if (q.user) return langFromLocale(await userLocale(service, client, q.team, q.user)) ?? "en";
  return "en";
}
