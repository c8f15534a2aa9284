import type { EvalResult } from '../../../server/src/engine/results';
import { el } from './dom';

/** The partial periods of the results: period key → the last day the data covers (`YYYY-MM-DD`). */
export function partialPeriods(result: Pick<EvalResult, 'periods'>): Map<string, string> {
  return new Map(result.periods.filter((p) => p.through).map((p) => [p.key, p.through!]));
}

/** `Oct 31` (or the locale's short month and day); the text itself when it is not a date. */
export function dayLabel(day: string, locale?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  try {
    // UTC in and out: the day as written, whatever the reader's own time zone.
    return new Intl.DateTimeFormat(locale || 'en', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
  } catch {
    return new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
  }
}

/** The words for a partial period: `partial, to Oct 31`. */
export function partialText(through: string, locale?: string): string {
  return `partial, to ${dayLabel(through, locale)}`;
}

/** A marker for a period the data covers only in part, with the exact day in its tooltip. */
export function partialMarker(through: string, locale?: string): HTMLElement {
  return el('span', { class: 'partial-mark', title: `The data covers this period only through ${through}: its value is not the whole period's.` }, partialText(through, locale));
}
