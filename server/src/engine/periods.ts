import type { Grain } from '../language/model';
import { dayNumber } from '../language/period';
import type { Period } from './results';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a local day number. */
export function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The first day of the period containing `day`. */
export function periodStartOf(day: number, grain: Grain): number {
  if (grain === 'day') return day;
  if (grain === 'all') return 0;
  if (grain === 'week') return day - ((((day + 3) % 7) + 7) % 7); // 1970-01-01 was a Thursday
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  if (grain === 'month') return dayNumber(y, m, 1);
  if (grain === 'quarter') return dayNumber(y, Math.floor((m - 1) / 3) * 3 + 1, 1);
  return dayNumber(y, 1, 1);
}

/** The first day of the next period. */
export function nextPeriodStart(start: number, grain: Grain): number {
  if (grain === 'day') return start + 1;
  if (grain === 'week') return start + 7;
  const d = new Date(start * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  if (grain === 'month') return dayNumber(y, m + 1, 1);
  if (grain === 'quarter') return dayNumber(y, m + 3, 1);
  return dayNumber(y + 1, 1, 1);
}

/** The period's key: `2026-01-15`, `2026-W03`, `2026-01`, `2026-Q1`, `2026`, `all`. */
export function periodKey(start: number, grain: Grain): string {
  if (grain === 'all') return 'all';
  const text = dayText(start);
  if (grain === 'day') return text;
  if (grain === 'month') return text.slice(0, 7);
  if (grain === 'year') return text.slice(0, 4);
  if (grain === 'quarter') return `${text.slice(0, 4)}-Q${Math.floor((+text.slice(5, 7) - 1) / 3) + 1}`;
  // ISO week: the year is that of the week's Thursday.
  const thursday = start + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The periods of a timeline: their starts, in order, and a fast day → index lookup. */
export class Timeline {
  readonly starts: number[];
  readonly firstDay: number;
  private readonly index: Int32Array;

  /** Every period from the one holding `minDay` to the one holding `maxDay`, gaps included. */
  /** The first and last day of the range the timeline covers. */
  readonly lastDay: number;

  constructor(readonly grain: Grain, minDay: number, maxDay: number) {
    this.lastDay = maxDay;
    const starts: number[] = [];
    if (grain === 'all') starts.push(0);
    else for (let s = periodStartOf(minDay, grain); s <= maxDay; s = nextPeriodStart(s, grain)) starts.push(s);
    this.starts = starts;
    this.firstDay = minDay;
    this.index = new Int32Array(Math.max(0, maxDay - minDay + 1));
    let p = 0;
    for (let d = minDay; d <= maxDay; d++) {
      if (grain !== 'all') while (p + 1 < starts.length && starts[p + 1]! <= d) p++;
      this.index[d - minDay] = p;
    }
  }

  get length(): number {
    return this.starts.length;
  }

  /** The index of the period holding a day, or -1 outside the timeline. */
  indexOf(day: number): number {
    const i = day - this.firstDay;
    return i >= 0 && i < this.index.length ? this.index[i]! : -1;
  }

  period(i: number): Period {
    if (this.grain === 'all') return { key: 'all' };
    const start = this.starts[i]!;
    return { key: periodKey(start, this.grain), start: dayText(start), end: dayText(nextPeriodStart(start, this.grain) - 1) };
  }
}
