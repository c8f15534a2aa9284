import { nextPeriodStart, type Timeline } from './periods';
import type { Latest, Period, Point } from './results';
import { statusOf } from './status';

/** The last day the data covers in period `p`, when that is before the period's end (a partial period). */
export function throughOf(timeline: Timeline, p: number): number | undefined {
  if (timeline.grain === 'all') return undefined;
  const end = nextPeriodStart(timeline.starts[p]!, timeline.grain) - 1;
  return timeline.lastDay < end ? timeline.lastDay : undefined;
}

/**
 * A point's status: against the pro-rated target on a partial period of an additive KPI (and
 * then whether it is on pace), else against the target; `no_target` when the target gives no
 * verdict here (`noTarget`).
 */
export function judge(point: Point): void {
  if (point.value === null) {
    point.status = 'no_data';
    return;
  }
  if (point.noTarget) {
    point.status = 'no_target';
    return;
  }
  const target = point.paceTarget ?? point.target;
  point.status = statusOf(point.value, target, point.paceWarn ?? point.warn);
  if (point.paceTarget) point.pace = point.status === 'met' ? 'on_pace' : 'behind_pace';
}

export function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const NO_LIKE_FOR_LIKE = 'the period is partial and no value for the same days of the previous period was computed';

/**
 * The last period with a value, and the change from the period before it. When that period is
 * partial (`partial`: the last period of the results, with the day its data ends), the change
 * compares like with like or not at all: `compared: 'none'` here, until a value over the same
 * days of the previous period is put in (likeForLike.ts).
 */
export function latestOf(series: Point[], partial?: Period): Latest {
  for (let i = series.length - 1; i >= 0; i--) {
    const point = series[i]!;
    if (point.value === null) continue;
    const latest: Latest = { period: point.period, value: point.value, status: point.status, previous: null, change: null, changeRatio: null };
    if (point.target) latest.target = point.target;
    if (point.warn) latest.warn = point.warn;
    for (const key of ['noTarget', 'paceTarget', 'paceWarn', 'pace'] as const) if (point[key] !== undefined) (latest as unknown as Record<string, unknown>)[key] = point[key];
    if (partial?.through && partial.key === point.period) {
      latest.through = partial.through;
      latest.compared = 'none';
      latest.comparedNote = NO_LIKE_FOR_LIKE;
      return latest;
    }
    if (i > 0) compare(latest, series[i - 1]!.value, 'whole');
    return latest;
  }
  return { value: null, status: 'no_data', previous: null, change: null, changeRatio: null };
}

/** Sets the previous value and the change to it, and how the previous value was taken. */
export function compare(latest: Latest, previous: number | null, how: 'whole' | 'same_days'): void {
  latest.previous = previous;
  latest.change = previous === null || latest.value === null ? null : latest.value - previous;
  latest.changeRatio = latest.change === null || previous === null || previous === 0 ? null : latest.change / Math.abs(previous);
  latest.compared = how;
  delete latest.comparedNote;
}
