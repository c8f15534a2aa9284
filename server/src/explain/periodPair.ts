import type { Grain } from '../language/model';
import { dayNumber, periodStart } from '../language/period';
import { dayText, periodKey, periodStartOf } from '../engine/periods';
import type { Period, Point } from '../engine/results';
import type { Versus } from './model';

/** The period explained and the one it is compared with. */
export interface PeriodPair {
  period: string;
  base: string;
  vs: Versus;
  /** What the choice implies (a partial period skipped, or compared). */
  notes: string[];
}

export interface PeriodChoice {
  /** A period key of the results' grain; default: the latest complete period with a value. */
  period?: string;
  /** `prev` (default), `yoy`, or a period key. */
  vs?: string;
}

/**
 * Which two periods to compare, from the results' periods and the KPI's series: by default the
 * latest complete period in which the KPI has a value, against the period before it. An error
 * (text) when the periods asked for are not in the results. Pure.
 */
export function periodPair(periods: readonly Period[], grain: Grain, series: readonly Point[], choice: PeriodChoice = {}): PeriodPair | { error: string } {
  if (series.length === 1 && series[0]!.period === 'all' && grain !== 'all') {
    return { error: 'its sources have no time column, so it is computed over the whole range as one period: there is no other period to compare it with' };
  }
  const keys = periods.map((p) => p.key);
  const range = keys.length ? `${keys[0]}${keys.length > 1 ? ` … ${keys[keys.length - 1]}` : ''}, by ${grain}` : `none, by ${grain}`;
  const notes: string[] = [];
  let at: number;
  if (choice.period !== undefined) {
    at = keys.indexOf(choice.period);
    if (at < 0) return { error: `period "${choice.period}" is not in the results (${range})${keyHint(choice.period, grain)}` };
    const through = periods[at]!.through;
    if (through) notes.push(`${choice.period} is partial (data through ${through}): it is compared with the whole of the other period`);
  } else {
    at = -1;
    for (let i = periods.length - 1; i >= 0; i--) {
      if (!periods[i]!.through && series[i]?.value != null) { at = i; break; }
    }
    if (at < 0) return { error: `no complete period has a value (${range})` };
    const last = periods.length - 1;
    if (at < last && periods[last]!.through) notes.push(`${keys[last]} is partial (data through ${periods[last]!.through}): the latest complete period, ${keys[at]}, is explained`);
  }
  const period = keys[at]!;
  const vs = choice.vs ?? 'prev';
  if (vs === 'prev') {
    if (at === 0) return { error: `no period before ${period} in the results (${range})` };
    return { period, base: keys[at - 1]!, vs: 'prev', notes };
  }
  if (vs === 'yoy') {
    const base = yearBefore(period, grain);
    if (base === undefined) return { error: `--vs yoy needs periods shorter than the whole range (grain ${grain})` };
    if (!keys.includes(base)) return { error: `no period a year before ${period} in the results: ${base} is not in ${range}` };
    return { period, base, vs: 'yoy', notes };
  }
  if (!keys.includes(vs)) return { error: `period "${vs}" is not in the results (${range})${keyHint(vs, grain)}` };
  if (vs === period) return { error: `${period} would be compared with itself; name another period with --vs` };
  const through = periods[keys.indexOf(vs)]!.through;
  if (through) notes.push(`${vs} is partial (data through ${through}): it is compared with the whole of ${period}`);
  return { period, base: vs, vs: 'period', notes };
}

/** The key of the same period a year before: 52 weeks before for a week; undefined at grain `all`. */
export function yearBefore(key: string, grain: Grain): string | undefined {
  const start = periodStart(key);
  if (start === undefined || grain === 'all') return undefined;
  if (grain === 'week') return periodKey(start - 364, 'week');
  const [y, m, d] = dayText(start).split('-').map(Number) as [number, number, number];
  // 29 February a year before is 28 February.
  const day = Math.min(d, new Date(Date.UTC(y - 1, m, 0)).getUTCDate());
  return periodKey(periodStartOf(dayNumber(y - 1, m, day), grain), grain);
}

/** `; periods are written like 2026-10 at month grain` when the key is written for another grain. */
function keyHint(key: string, grain: Grain): string {
  const example: Record<Grain, string> = { day: '2026-10-15', week: '2026-W42', month: '2026-10', quarter: '2026-Q4', year: '2026', all: 'all' };
  const start = periodStart(key);
  if (start !== undefined && periodKey(periodStartOf(start, grain), grain) === key) return '';
  return `; at ${grain} grain a period is written like ${example[grain]}`;
}
