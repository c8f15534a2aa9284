import type { BreakdownRow, EvalResult, Point } from '../engine/results';
import { GROUPS_KEPT, POINT_BUDGET, type EvaluateResult } from '../protocol';

/** Values in the results: one per period of each KPI's series and of each breakdown group's. */
export function pointsOf(result: EvalResult): number {
  let n = 0;
  for (const k of result.kpis) {
    n += k.series.length;
    for (const b of k.breakdowns) for (const row of b.rows) n += row.series.length;
  }
  return n;
}

/**
 * The results within `budget` values, said in `truncated` when they were cut: first every
 * breakdown keeps its groups with the largest latest values, then every series its last
 * periods (at least one). Latest values and statuses are the full results' own. Changes
 * `result`, but not the KPI results in it (they may be kept for the next evaluation).
 */
export function withinBudget(result: EvalResult, budget = POINT_BUDGET): EvaluateResult {
  const total = pointsOf(result);
  if (total <= budget) return result;
  const cuts: string[] = [];
  let groupsLeft = 0;
  // KPI results may be shared with kept results (engine/reuse.ts): cut copies, never the originals.
  result.kpis = result.kpis.map((k) => {
    if (!k.breakdowns.some((b) => b.rows.length > GROUPS_KEPT)) return k;
    return {
      ...k,
      breakdowns: k.breakdowns.map((b) => {
        if (b.rows.length <= GROUPS_KEPT) return b;
        groupsLeft += b.rows.length - GROUPS_KEPT;
        return { ...b, rows: largest(b.rows, GROUPS_KEPT) };
      }),
    };
  });
  if (groupsLeft) cuts.push(`breakdowns show their ${GROUPS_KEPT} groups with the largest latest values (${count(groupsLeft)} groups left out)`);
  let kept = pointsOf(result);
  if (kept > budget) {
    const series = result.kpis.reduce((n, k) => n + 1 + k.breakdowns.reduce((m, b) => m + b.rows.length, 0), 0);
    const periods = Math.max(1, Math.floor(budget / series));
    const all = result.periods.length;
    if (periods < all) {
      result.periods = result.periods.slice(-periods);
      const shown = new Set(result.periods.map((p) => p.key));
      const cut = (series: Point[]) => series.filter((p) => shown.has(p.period));
      result.kpis = result.kpis.map((k) => ({
        ...k,
        series: cut(k.series),
        breakdowns: k.breakdowns.map((b) => ({ ...b, rows: b.rows.map((row) => ({ ...row, series: cut(row.series) })) })),
      }));
      cuts.push(`every series shows its last ${count(periods)} of ${count(all)} periods`);
      kept = pointsOf(result);
    }
  }
  const reason = `Summarised: the full results have ${count(total)} values, over the preview's budget of ${count(budget)}; ${cuts.join(', and ')}. `
    + 'Latest values and statuses are complete. Choose a coarser grain, fewer periods or another breakdown to see everything, or run kpispec eval.';
  return Object.assign(result, { truncated: { reason, kept, total } });
}

/** The `n` rows with the largest latest values (no value last), in their order. */
function largest(rows: BreakdownRow[], n: number): BreakdownRow[] {
  const size = (r: BreakdownRow) => (r.latest.value === null ? -1 : Math.abs(r.latest.value));
  const keep = new Set(rows.map((r, i) => ({ s: size(r), i })).sort((a, b) => b.s - a.s || a.i - b.i).slice(0, n).map((x) => x.i));
  return rows.filter((_, i) => keep.has(i));
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
