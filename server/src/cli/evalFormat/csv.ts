import type { EvalResult } from '../../engine/results';

/** One row per KPI, breakdown group and period: a table for spreadsheets. Values are raw numbers. */
export function csvFormat(result: EvalResult): string {
  const lines = ['kpi,dimension,group,period,value,target_min,target_max,status'];
  for (const k of result.kpis) {
    const emit = (dimension: string, group: string | null, series: typeof k.series) => {
      for (const p of series) {
        lines.push([k.id, dimension, group ?? '', p.period, p.value ?? '', p.target?.min ?? '', p.target?.max ?? '', p.status].map(cell).join(','));
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
