import { formatBound, formatDay, STATUS_MARK, STATUS_TEXT } from '../../engine/format';
import type { EvalResult, KpiResult, Latest } from '../../engine/results';

/** Marks a partial period in the scorecard; {@link partialLegend} says what it means. */
export const PARTIAL_MARK = '◔';

/** `2026-Q4 ◔` for a partial period, else the period. */
export function periodCell(l: Latest): string {
  return l.period === undefined ? '—' : l.through ? `${l.period} ${PARTIAL_MARK}` : l.period;
}

/** The target converted to the grain, and on a partial period the pro-rated share it is judged against: `≥ 180,000 (pace ≥ 60,000)`. */
export function targetCell(l: Latest, k: KpiResult, locale?: string): string {
  const target = formatBound(l.target, k, locale);
  return l.paceTarget ? `${target} (pace ${formatBound(l.paceTarget, k, locale)})` : target;
}

/** `✔ met`, or on a partial period of a sum `✔ on pace` / `✖ behind pace`. */
export function statusCell(l: Latest): string {
  const text = l.pace ? (l.pace === 'on_pace' ? 'on pace' : 'behind pace') : STATUS_TEXT[l.status];
  return `${STATUS_MARK[l.status]} ${text}`;
}

/** What the partial mark means, when a latest period is partial: one line, or none. */
export function partialLegend(result: EvalResult): string | undefined {
  const last = result.periods[result.periods.length - 1];
  if (!last?.through || !result.kpis.some((k) => k.latest.through)) return undefined;
  const same = result.kpis.find((k) => k.latest.compared === 'same_days')?.latest.comparedNote?.match(/^compared with (.*), the same days/)?.[1];
  return `${PARTIAL_MARK} ${last.key} is partial: data through ${formatDay(last.through, result.locale)}. Sums are judged against their target pro-rated to those days (pace); ` +
    (same ? `vs prev compares the same days of the previous period (${same}).` : 'vs prev is not shown against a whole period.');
}

/** Why a KPI's latest period has no verdict or no like-for-like change: `id: reason` lines. */
export function latestNotes(result: EvalResult): string[] {
  const out: string[] = [];
  for (const k of result.kpis) {
    const l = k.latest;
    if (l.noTarget) out.push(`${k.id}: ${l.noTarget}`);
    else if (l.compared === 'none' && l.comparedNote) out.push(`${k.id}: ${l.comparedNote}`);
  }
  return out;
}
