/**
 * Periods as written in targets and goals: `2026`, `2026-07`, `2026-07-15`, `2026-Q3`,
 * `2026-W05`. Returns the first day as a day number (days since 1970-01-01), or undefined.
 */
export function periodStart(text: string): number | undefined {
  if (!starts.has(text)) starts.set(text, computeStart(text));
  return starts.get(text);
}

const starts = new Map<string, number | undefined>();

function computeStart(text: string): number | undefined {
  let m = /^(\d{4})$/.exec(text);
  if (m) return dayNumber(+m[1]!, 1, 1);
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) return +m[2]! >= 1 && +m[2]! <= 12 ? dayNumber(+m[1]!, +m[2]!, 1) : undefined;
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const d = dayNumber(+m[1]!, +m[2]!, +m[3]!);
    const back = new Date(d * 86_400_000);
    return back.getUTCMonth() + 1 === +m[2]! && back.getUTCDate() === +m[3]! ? d : undefined;
  }
  m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) return dayNumber(+m[1]!, (+m[2]! - 1) * 3 + 1, 1);
  m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (m) {
    const week = +m[2]!;
    if (week < 1 || week > weeksInYear(+m[1]!)) return undefined;
    return isoWeekOneMonday(+m[1]!) + (week - 1) * 7;
  }
  return undefined;
}

export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
}

/** The Monday of ISO week 1: the week holding the year's first Thursday. */
export function isoWeekOneMonday(year: number): number {
  const jan4 = dayNumber(year, 1, 4);
  const weekday = (new Date(jan4 * 86_400_000).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - weekday;
}

export function weeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
}

/** The last day of a written period, by its own granularity (`2026-03` ends on 2026-03-31). */
export function periodEnd(text: string): number | undefined {
  const start = periodStart(text);
  if (start === undefined) return undefined;
  if (/^\d{4}$/.test(text)) return dayNumber(+text + 1, 1, 1) - 1;
  if (/^\d{4}-\d{2}$/.test(text)) return dayNumber(+text.slice(0, 4), +text.slice(5, 7) + 1, 1) - 1;
  if (/^\d{4}-Q\d$/.test(text)) return dayNumber(+text.slice(0, 4), (+text[6]! - 1) * 3 + 4, 1) - 1;
  if (/^\d{4}-W\d{2}$/.test(text)) return start + 6;
  return start;
}
