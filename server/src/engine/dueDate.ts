import type { Grain, TargetDef } from '../language/model';
import { periodStart } from '../language/period';
import { nextPeriodStart, periodKey, periodStartOf } from './periods';
import type { Bound, Period, Point } from './results';
import { boundAt } from './status';

/**
 * Where a goal's due day falls on the results' timeline: its period's index (beyond the last
 * period when the data stops before it), whether that period is in range and whole, or before
 * the range altogether.
 */
export interface DuePlace {
  /** Index of the period holding the due day, counting on past the timeline's end. */
  index: number;
  key: string;
  /** The first day of that period. */
  start: number;
  /** The period is in range, and the data covers it whole. */
  reached: boolean;
  /** The due day is before the first period in range. */
  beforeRange: boolean;
}

export function placeDue(periods: Period[], grain: Grain, dueDay: number): DuePlace | undefined {
  if (grain === 'all' || !periods.length) return undefined;
  const first = periodStart(periods[0]!.start ?? '');
  const last = periods[periods.length - 1]!;
  const lastStart = periodStart(last.start ?? '');
  if (first === undefined || lastStart === undefined) return undefined;
  const dueStart = periodStartOf(dueDay, grain);
  const key = periodKey(dueStart, grain);
  if (dueStart < first) return { index: -1, key, start: dueStart, reached: true, beforeRange: true };
  const i = periods.findIndex((p) => p.key === key);
  if (i >= 0) return { index: i, key, start: dueStart, reached: periods[i]!.through === undefined, beforeRange: false };
  let index = periods.length - 1;
  for (let s = lastStart; s < dueStart; s = nextPeriodStart(s, grain)) index++;
  return { index, key, start: dueStart, reached: false, beforeRange: false };
}

/**
 * The target (or warn band) in force in the due period. In range it is that period's, as the
 * series has it (converted to the grain). Beyond the range it is the step in force then,
 * converted the way the last period's is (the same factor on each bound), so that a per-month
 * target reads per quarter at quarter grain there too.
 */
export function bandAtDue(band: TargetDef | undefined, series: Point[], periods: Period[], due: DuePlace, pick: (p: Point) => Bound | undefined): Bound | undefined {
  if (due.index < periods.length) return due.index >= 0 ? pick(series[due.index]!) : undefined;
  const lastPoint = series[series.length - 1];
  const lastStart = periodStart(periods[periods.length - 1]?.start ?? '');
  if (!lastPoint || lastStart === undefined) return undefined;
  const raw = boundAt(band, due.start);
  if (!raw) return undefined;
  const rawLast = boundAt(band, lastStart);
  if (!rawLast) return raw;
  // The last period had a target but shows none: no honest conversion at this grain.
  const converted = pick(lastPoint);
  if (!converted) return undefined;
  const out: Bound = {};
  for (const k of ['min', 'max'] as const) {
    const r = raw[k];
    if (r === undefined) continue;
    const from = rawLast[k];
    const to = converted[k];
    out[k] = from !== undefined && to !== undefined && from !== 0 ? r * (to / from) : r;
  }
  return out;
}
