import { dayOfText, dayParser, type DayParser } from './timeValues';
import { ZoneClock } from './zone';

/** Date layouts exports commonly use besides ISO 8601, tried when a time column's values are not ISO. */
const DATES = ['DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'DD-MM-YYYY', 'MM-DD-YYYY', 'YYYY/MM/DD', 'YYYY.MM.DD', 'YYYYMMDD', 'YYYY年MM月DD日'];
export const COMMON_TIME_FORMATS = DATES.flatMap((d) => [d, `${d} HH:mm`, `${d} HH:mm:ss`]);

/** Where a day is only sure when some value has a day over 12. */
export const DAY_MONTH_TWINS: [string, string][] = [['DD/MM/YYYY', 'MM/DD/YYYY'], ['DD-MM-YYYY', 'MM-DD-YYYY']];

const clock = new ZoneClock('UTC');
const parsers = new Map<string, DayParser>();

function parserFor(format: string | undefined): DayParser | undefined {
  const key = format ?? '';
  let p = parsers.get(key);
  if (!p) {
    const made = dayParser(format, clock);
    if ('error' in made) return undefined;
    parsers.set(key, (p = made));
  }
  return p;
}

/** Whether a value reads as a date with `format` (ISO 8601 when undefined); undefined for an unusable format. */
export function readsAsDate(value: string, format: string | undefined): boolean | undefined {
  const p = parserFor(format);
  return p ? !Number.isNaN(dayOfText(p, value)) : undefined;
}

/** The common formats (ISO first, as `undefined`) that read every one of `values`. */
export function formatsReadingAll(values: readonly string[]): (string | undefined)[] {
  return [undefined, ...COMMON_TIME_FORMATS].filter((f) => values.every((v) => readsAsDate(v, f)));
}
