import { formatChange, formatCount, formatValue, relationCounts, skippedCounts } from '../../engine/format';
import type { EvalResult } from '../../engine/results';
import { goalsMarkdown } from './goals';
import { latestNotes, partialLegend, periodCell, statusCell, targetCell } from './partial';

/** The scorecard as Markdown: goals and a KPI table, for a report or a pull request. */
export function markdownFormat(result: EvalResult): string {
  const esc = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
  const out = [`## ${esc(result.spec.name ?? result.spec.file)}`, ''];
  const first = result.periods[0]?.key;
  const last = result.periods[result.periods.length - 1]?.key;
  out.push(`Grain: ${result.grain} · periods: ${first ? `${first} … ${last}` : 'none'} · time zone: ${result.timezone}`, '');
  if (result.sources.length) {
    out.push('| Source | Rows | Dates |', '|---|---:|---|');
    for (const s of result.sources) out.push(`| \`${s.id}\` ${esc(s.file)} | ${formatCount(s.rows, result.locale)}${esc(relationCounts(s, result.locale) + skippedCounts(s, result.locale))} | ${s.from ? `${s.from} … ${s.to}` : '—'} |`);
    out.push('');
  }
  if (result.goals.length) {
    out.push(...goalsMarkdown(result, esc));
    out.push('');
  }
  out.push('| KPI | Latest | Period | vs previous | Target | Status |', '|---|---:|---|---:|---|---|');
  for (const k of result.kpis) {
    const l = k.latest;
    out.push(`| \`${k.id}\` ${k.title ? esc(k.title) : ''} | ${formatValue(l.value, k, result.locale)} | ${periodCell(l)} | ${formatChange(l.change, l.changeRatio, k, result.locale)} | ${targetCell(l, k, result.locale)} | ${statusCell(l)} |`);
  }
  const legend = partialLegend(result);
  if (legend) out.push('', esc(legend));
  const notes = latestNotes(result);
  if (notes.length) out.push('', ...notes.map((n) => `- ${esc(n)}`));
  return out.join('\n') + '\n';
}
