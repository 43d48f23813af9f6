// The Discord messages and forms that are not a diagnosis: help, the list of causes, stats,
// and the paste-a-log modal. Kept within the same embed limits as answers.
import { type APIEmbed, type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from "discord.js";
import type { RuleStats } from "../../core/bot-service.js";
import type { RuleEngine } from "../../engine/engine.js";
import type { Lang } from "../../engine/types.js";
import { DISCORD_LIMITS, clip } from "../../renderers/discord-embed.js";
import { discordText } from "./text.js";

export const MODAL_PREFIX = "bxf:modal:";
export const MODAL_FIELDS = { log: "log", file: "file", lang: "lang" } as const;
/** Discord's cap on a text input. */
export const MODAL_MAX_CHARS = 4000;
const COLOR = 0x5865f2;

/** Lines in an embed description; what does not fit is counted, not silently dropped. */
function listEmbed(title: string, lines: string[], lang: Lang): APIEmbed {
  const more = (n: number) => (lang === "zh" ? `……另有 ${n} 条` : `…and ${n} more`);
  let description = "";
  let shown = 0;
  for (const line of lines) {
    const next = description ? `${description}\n${line}` : line;
    if (next.length > DISCORD_LIMITS.description - 40) break;
    description = next;
    shown++;
  }
  if (shown < lines.length) description += `\n${more(lines.length - shown)}`;
  return { title: clip(title, DISCORD_LIMITS.title), description, color: COLOR };
}

export function helpEmbed(lang: Lang): APIEmbed {
  const t = discordText(lang);
  return { title: t.helpTitle, description: t.help.join("\n"), color: COLOR };
}

export function rulesEmbed(engine: RuleEngine, lang: Lang): APIEmbed {
  const rules = [...engine.rules].sort((a, b) => a.rule.id.localeCompare(b.rule.id));
  return listEmbed(
    discordText(lang).rulesTitle(rules.length),
    rules.map(({ rule }) => `• \`${rule.id}\` ${clip(rule.title[lang], 90)}`),
    lang,
  );
}

export function statsEmbed(stats: RuleStats[], lang: Lang): APIEmbed {
  const t = discordText(lang);
  if (!stats.length) return { title: t.statsTitle, description: t.statsEmpty, color: COLOR };
  return listEmbed(
    t.statsTitle,
    stats.map((s) => t.statsRow(s.ruleId, s.hits, s.fixed, s.wrong)),
    lang,
  );
}

/** The form `/buildx-fix diagnose` opens: paste the log, or upload the file; and the language. */
export function diagnoseModal(lang: Lang, chosen: Lang | "auto"): APIModalInteractionResponseCallbackData {
  const t = discordText(lang);
  const option = (label: string, value: string) => ({ label, value, default: value === chosen });
  return {
    custom_id: `${MODAL_PREFIX}${chosen}`,
    title: clip(t.modalTitle, 45),
    components: [
      {
        type: ComponentType.Label,
        label: clip(t.modalLogLabel, 45),
        description: clip(t.modalLogHint, 100),
        component: {
          type: ComponentType.TextInput,
          custom_id: MODAL_FIELDS.log,
          style: TextInputStyle.Paragraph,
          required: false,
          max_length: MODAL_MAX_CHARS,
          placeholder: clip(t.modalLogPlaceholder, 100),
        },
      },
      {
        type: ComponentType.Label,
        label: clip(t.modalFileLabel, 45),
        description: clip(t.modalFileHint, 100),
        component: { type: ComponentType.FileUpload, custom_id: MODAL_FIELDS.file, min_values: 0, max_values: 1, required: false },
      },
      {
        type: ComponentType.Label,
        label: clip(t.modalLangLabel, 45),
        component: {
          type: ComponentType.StringSelect,
          custom_id: MODAL_FIELDS.lang,
          required: false,
          min_values: 0,
          max_values: 1,
          options: [option(t.langAuto, "auto"), option("English", "en"), option("中文", "zh")],
        },
      },
    ],
  };
}

/** The language chosen when the form was opened, from its custom id. */
export function parseModalId(id: string): { chosen: Lang | "auto" } | undefined {
  const m = /^bxf:modal:(auto|en|zh)$/.exec(id);
  return m ? { chosen: m[1] as Lang | "auto" } : undefined;
}
