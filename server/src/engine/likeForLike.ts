import { readsEarlierPeriods } from './earlierPeriods';
import { periodStart } from '../language/period';
import type { Scope } from '../language/workspace';
import { compare } from './partial';
import { dayText, periodStartOf } from './periods';
import type { EvalResult, Latest, Point } from './results';

/**
 * `vs prev` on a partial period, like for like (docs/evaluation.md): a period the data covers
 * through its n-th day is compared with the first n days of the previous period (all of it when
 * that is shorter), computed by a second run over just those days. A KPI that reads earlier
 * periods (prev, growth, rolling, cumulative, retained) has no value over a few days alone:
 * it says so instead.
 */

/** The days of the previous period to compare the partial last period with, as `YYYY-MM-DD`; undefined when nothing is partial. */
export function likeForLikeRange(result: EvalResult): { from: string; to: string } | undefined {
  const last = result.periods[result.periods.length - 1];
  if (!last?.through || !last.start || result.grain === 'all') return undefined;
  const start = periodStart(last.start)!;
  const days = periodStart(last.through)! - start + 1;
  const prevStart = periodStartOf(start - 1, result.grain);
  return { from: dayText(prevStart), to: dayText(Math.min(prevStart + days - 1, start - 1)) };
}

/** The KPIs whose latest period (total or a breakdown group) is partial: those a like-for-like run computes. */
export function kpisToCompare(result: EvalResult): string[] {
  return result.kpis.filter((k) => [k.latest, ...k.breakdowns.flatMap((b) => b.rows.map((r) => r.latest))].some((l) => l.through)).map((k) => k.id);
}

/**
 * Sets `previous`, `change` and `compared: 'same_days'` on each partial latest from `previous`,
 * the results over the range {@link likeForLikeRange} gave; `reason` when there are none (an
 * engine that cannot compute them), else a note per KPI that reads earlier periods.
 */
export function applyLikeForLike(result: EvalResult, scope: Scope, previous: EvalResult | undefined, range: { from: string; to: string }, reason?: string): void {
  const days = `${range.from} … ${range.to}`;
  for (const k of result.kpis) {
    const def = scope.names.get(k.id);
    const earlier = def?.kind === 'kpi' ? readsEarlierPeriods(def, scope, true) : undefined;
    const before = previous?.kpis.find((x) => x.id === k.id);
    const apply = (latest: Latest, series: Point[] | undefined) => {
      if (!latest.through) return;
      if (earlier) latest.comparedNote = `the period is partial, and \`${k.id}\` ${earlier}: it is not compared with part of the previous period`;
      else if (!before) latest.comparedNote = `the period is partial; ${reason ?? 'the same days of the previous period were not computed'}`;
      else {
        compare(latest, series?.[0]?.value ?? null, 'same_days');
        latest.comparedNote = `compared with ${days}, the same days of the previous period`;
      }
    };
    apply(k.latest, before?.series);
    for (const b of k.breakdowns) {
      const rows = before?.breakdowns.find((x) => x.dimension === b.dimension)?.rows;
      for (const row of b.rows) apply(row.latest, rows?.find((x) => x.group === row.group)?.series ?? []);
    }
  }
}
