/**
 * Numbers and days as a locale writes them, with Intl (full ICU in node and in VS Code's
 * webviews). Locales that count in myriads (Chinese, Japanese, Korean) write values from
 * 10,000 on in their units: 123.46万, 2.50亿 (萬/億 in zh-TW, 万/億 in ja, 만/억 in ko).
 * Every function answers undefined when Intl cannot format for the arguments, so that the
 * caller keeps its built-in text: a display setting never breaks a scorecard.
 */

export type NumberStyle = { style: 'decimal' } | { style: 'percent' } | { style: 'currency'; currency: string };

/** From one myriad (10^4) on, values are written in myriad units, with this many decimals. */
export const MYRIAD = 10_000;
export const MYRIAD_DECIMALS = 2;

const numberFormats = new Map<string, Intl.NumberFormat | null>();
const dayFormats = new Map<string, Intl.DateTimeFormat | null>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat | undefined {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  if (!numberFormats.has(key)) {
    try {
      numberFormats.set(key, new Intl.NumberFormat(locale, options));
    } catch {
      numberFormats.set(key, null); // a malformed tag or currency code: RangeError
    }
  }
  return numberFormats.get(key) ?? undefined;
}

const myriadLocales = new Map<string, boolean>();

/**
 * Whether the locale has a unit for 10^4 (its short form of 10,000 is one unit: `1万`, `1萬`,
 * `1만`), as Chinese, Japanese and Korean do; not `10K` (English, and Chinese of Hong Kong).
 */
function countsInMyriads(locale: string): boolean {
  let yes = myriadLocales.get(locale);
  if (yes === undefined) {
    const short = numberFormat(locale, { notation: 'compact', maximumFractionDigits: 0 })?.format(MYRIAD);
    myriadLocales.set(locale, (yes = !!short && /^1\D/u.test(short)));
  }
  return yes;
}

/**
 * `value` in `locale` with exactly `decimals` fraction digits (a percent style multiplies by
 * 100). With `myriads`, a decimal or currency value that rounds to 10,000 or more is written in
 * the locale's myriad units with {@link MYRIAD_DECIMALS} decimals, where the locale counts so.
 */
export function localeNumber(value: number, locale: string, decimals: number, style: NumberStyle, myriads = true): string | undefined {
  const digits = Math.min(20, Math.max(0, Math.round(decimals)));
  const options: Intl.NumberFormatOptions = { minimumFractionDigits: digits, maximumFractionDigits: digits };
  if (style.style === 'percent') options.style = 'percent';
  if (style.style === 'currency') Object.assign(options, { style: 'currency', currency: style.currency, currencyDisplay: 'narrowSymbol' });
  if (myriads && style.style !== 'percent' && countsInMyriads(locale) && Math.abs(Number(value.toFixed(digits))) >= MYRIAD) {
    Object.assign(options, { notation: 'compact', minimumFractionDigits: MYRIAD_DECIMALS, maximumFractionDigits: MYRIAD_DECIMALS });
  }
  return numberFormat(locale, options)?.format(value);
}

/** A day `YYYY-MM-DD` in the locale's medium date style (`Oct 31, 2026`, `31.10.2026`, `2026年10月31日`). */
export function localeDay(day: string, locale: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  if (!dayFormats.has(locale)) {
    try {
      dayFormats.set(locale, new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }));
    } catch {
      dayFormats.set(locale, null);
    }
  }
  return dayFormats.get(locale)?.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))) ?? undefined;
}
