import { closest } from './suggest';

/**
 * `defaults.locale`: the BCP 47 tag values are shown in. Intl is the judge of both questions a
 * tag raises: is it well formed (`zh_CN` is not), and does this runtime hold number formats for
 * its language (`cn` is well formed but no language). Node and VS Code's webviews ship full ICU.
 */

/** Tags offered in completion and as suggestions: the locales marketing teams most often report in. */
export const COMMON_LOCALES = [
  'en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'es-MX', 'it-IT', 'nl-NL', 'pt-BR', 'sv-SE', 'pl-PL', 'ru-RU', 'tr-TR',
  'zh-CN', 'zh-TW', 'zh-HK', 'ja-JP', 'ko-KR', 'hi-IN', 'id-ID', 'th-TH', 'vi-VN', 'ar-SA',
] as const;

export type LocaleVerdict =
  | { ok: true; tag: string }
  | { ok: false; reason: 'malformed' | 'unsupported'; suggestion?: string };

const verdicts = new Map<string, LocaleVerdict>();

/** Whether values can be shown in `tag`, and if not, the tag most likely meant. */
export function judgeLocale(tag: string): LocaleVerdict {
  let verdict = verdicts.get(tag);
  if (!verdict) verdicts.set(tag, (verdict = judge(tag)));
  return verdict;
}

/** The tag when values can be shown in it, else undefined (values then keep the built-in format). */
export function usableLocale(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const v = judgeLocale(tag);
  return v.ok ? v.tag : undefined;
}

function judge(tag: string): LocaleVerdict {
  const canonical = canonicalTag(tag);
  if (canonical === undefined) return { ok: false, reason: 'malformed', suggestion: suggest(tag) };
  if (!supported(canonical)) return { ok: false, reason: 'unsupported', suggestion: suggest(tag) };
  return { ok: true, tag: canonical };
}

function canonicalTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined; // RangeError: not a BCP 47 tag
  }
}

/** Intl knows the language (`en-ZZ` formats as `en`; `cn` and `und` have no data of their own). */
function supported(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

/** `zh_CN` → `zh-CN`, `CN` → `zh-CN` (a region alone), else the closest common tag if any (a typo). */
function suggest(tag: string): string | undefined {
  const dashed = canonicalTag(tag.replace(/_/g, '-'));
  if (dashed && dashed !== tag && supported(dashed)) return dashed;
  const region = tag.toUpperCase();
  if (/^[A-Z]{2}$/.test(region)) {
    const byRegion = COMMON_LOCALES.find((l) => l.endsWith(`-${region}`));
    if (byRegion) return byRegion;
  }
  return closest(tag.replace(/_/g, '-'), COMMON_LOCALES);
}
