import { judgeLocale } from '../locale';
import { Context } from './context';

/** invalid-locale: the file's `defaults.locale`, which values cannot be shown in (they keep the built-in format). */
export function checkLocale(ctx: Context): void {
  const { locale, localeSpan } = ctx.spec.defaults;
  if (locale === undefined || !localeSpan) return;
  const verdict = judgeLocale(locale);
  if (verdict.ok) return;
  const what = verdict.reason === 'malformed' ? 'is not a BCP 47 language tag' : 'names no language this runtime can format numbers for';
  const hint = verdict.suggestion ? ` (did you mean \`${verdict.suggestion}\`?)` : '; use a tag such as `zh-CN`, `en-US` or `de-DE`';
  ctx.report('invalid-locale', localeSpan, `\`${locale}\` ${what}${hint}; values are shown in the default format`, verdict.suggestion ? { data: { suggestion: verdict.suggestion } } : undefined);
}
