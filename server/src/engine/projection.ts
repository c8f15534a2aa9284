/**
 * Projecting a key result's value to a goal's due period from its recent periods
 * (docs/evaluation.md, "Pace and projection"). Points are (x = period index, y = value), in
 * order, whole periods with a value only.
 */
export interface SeriesPoint {
  x: number;
  y: number;
}

/** Periods a run-rate averages: a quarter of months, recent enough to follow a change of pace. */
export const RUN_RATE_PERIODS = 3;
/** Periods a trend is fitted over: enough pairs for a median slope that one outlier cannot move. */
export const TREND_PERIODS = 6;
/** Fewer points than this give no trend: the latest value is held instead. */
export const TREND_MIN_POINTS = 3;

export interface Projection {
  value: number;
  method: 'run_rate' | 'trend';
  /** Said when the projection rests on fewer periods than the method's window. */
  note?: string;
}

/** An additive KPI (a sum or count per period) keeps its pace: the due period's value is the mean of the last periods'. */
export function runRate(points: SeriesPoint[]): Projection | undefined {
  const window = points.slice(-RUN_RATE_PERIODS);
  if (!window.length) return undefined;
  const mean = window.reduce((s, p) => s + p.y, 0) / window.length;
  const p: Projection = { value: mean, method: 'run_rate' };
  if (window.length < RUN_RATE_PERIODS) p.note = `run-rate of ${plural(window.length, 'period')} only`;
  return p;
}

/**
 * A ratio, average or rate follows its trend: the latest value carried forward at the
 * Theil–Sen slope of the last periods (the median of the slopes between every pair of points,
 * which one outlier cannot tilt), for at most as many periods ahead as the window spans. The
 * result is clamped to the window's range widened by that range on each side, and to 0 when
 * every value in the window is non-negative, so that a steep short run cannot project an absurd value.
 */
export function trend(points: SeriesPoint[], dueX: number): Projection | undefined {
  const window = points.slice(-TREND_PERIODS);
  if (!window.length) return undefined;
  const last = window[window.length - 1]!;
  if (window.length < TREND_MIN_POINTS) {
    return { value: last.y, method: 'trend', note: `${plural(window.length, 'period')} with a value: too few for a trend, the latest value is held` };
  }
  const slopes: number[] = [];
  for (let i = 0; i < window.length; i++) {
    for (let j = i + 1; j < window.length; j++) slopes.push((window[j]!.y - window[i]!.y) / (window[j]!.x - window[i]!.x));
  }
  const ahead = Math.min(Math.max(0, dueX - last.x), last.x - window[0]!.x);
  const lo = Math.min(...window.map((p) => p.y));
  const hi = Math.max(...window.map((p) => p.y));
  const floor = lo >= 0 ? Math.max(0, lo - (hi - lo)) : lo - (hi - lo);
  const value = Math.min(hi + (hi - lo), Math.max(floor, last.y + median(slopes) * ahead));
  const p: Projection = { value, method: 'trend' };
  if (window.length < TREND_PERIODS) p.note = `trend over ${plural(window.length, 'period')} only`;
  return p;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
