import type { EvalResult } from '../../engine/results';

/**
 * One row per KPI, breakdown group and period: a table for spreadsheets. Values are raw numbers;
 * targets are converted to the grain. The last columns: the day a partial period's data ends,
 * the target pro-rated to it and the pace, and why a target gives no verdict.
 */
export function csvFormat(result: EvalResult): string {
  const lines = ['kpi,dimension,group,period,value,target_min,target_max,status,through,pace_target_min,pace_target_max,pace,no_target'];
  const last = result.periods[result.periods.length - 1];
  const through = (period: string) => (last?.through && last.key === period ? last.through : '');
  for (const k of result.kpis) {
    const emit = (dimension: string, group: string | null, series: typeof k.series) => {
      for (const p of series) {
        lines.push([k.id, dimension, group ?? '', p.period, p.value ?? '', p.target?.min ?? '', p.target?.max ?? '', p.status,
          through(p.period), p.paceTarget?.min ?? '', p.paceTarget?.max ?? '', p.pace ?? '', p.noTarget ?? ''].map(cell).join(','));
      }
    };
    emit('', '', k.series);
    for (const b of k.breakdowns) for (const r of b.rows) emit(b.dimension, r.group, r.series);
  }
  return lines.join('\n') + '\n';
}

function cell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
