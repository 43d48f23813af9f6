// Chinese or English answer. A Chinese file name inside an English log should not flip the
// language, but a few words of Chinese around a pasted log should.
import type { Lang } from "../engine/types.js";

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;

const ANY_HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

export function detectLang(text: string, sampleSize = 200_000): Lang {
  // No Han character anywhere (instant on a Latin-1 string): no need to cut and copy samples.
  if (!ANY_HAN.test(text)) return "en";
  const sample = text.length > sampleSize ? text.slice(0, sampleSize / 2) + text.slice(-sampleSize / 2) : text;
  const han = sample.match(HAN)?.length ?? 0;
  return han >= 4 ? "zh" : "en";
}

/** Slack and Discord locales such as "zh-CN", "zh-TW", "zh_CN". */
export function langFromLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  return /^zh\b|^zh[-_]/i.test(locale) ? "zh" : undefined;
}
