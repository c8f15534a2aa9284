import { formatChange, formatCount, formatValue, relationCounts, skippedCounts, sparkline } from '../../engine/format';
import type { EvalResult, KpiResult, Status } from '../../engine/results';
import { textWidth } from '../format/stylish';
import { goalsText } from './goals';
import { problemsOnce } from './problems';
import { latestNotes, partialLegend, periodCell, statusCell, targetCell } from './partial';

const COLORS: Record<Status, string> = { met: '\u001b[32m', at_risk: '\u001b[33m', missed: '\u001b[31m', no_target: '\u001b[2m', no_data: '\u001b[2m' };
const RESET = '\u001b[0m';
const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';

/** The scorecard as a person reads it in a terminal: goals, then one line per KPI. */
export function tableFormat(result: EvalResult, color: boolean): string {
  const paint = (code: string, text: string) => (color ? code + text + RESET : text);
  const out: string[] = [];
  const first = result.periods[0]?.key;
  const last = result.periods[result.periods.length - 1]?.key;
  const range = first ? (first === last ? first : `${first} … ${last}`) : 'no data';
  out.push(paint(BOLD, result.spec.name ?? result.spec.file) + paint(DIM, `  ·  ${result.grain}  ·  ${range}  ·  ${result.timezone}`));
  for (const s of result.sources) {
    const span = s.from ? `${s.from} … ${s.to}` : 'no dated rows';
    out.push(paint(DIM, `  ${s.id}: ${formatCount(s.rows, result.locale)} row${s.rows === 1 ? '' : 's'}${relationCounts(s, result.locale)}${skippedCounts(s, result.locale)}, ${span}${s.problems.length ? `, ${s.problems.length} data problem${s.problems.length > 1 ? 's' : ''}` : ''}`));
  }
  if (result.goals.length) {
    out.push('', paint(BOLD, 'Goals'));
    out.push(...goalsText(result, paint, COLORS, DIM));
  }
  out.push('', paint(BOLD, 'KPIs'));
  const rows = result.kpis.map((k) => row(k, result.locale));
  const header = ['KPI', 'latest', 'period', 'vs prev', 'target', 'status', 'trend'];
  const widths = header.map((h, i) => Math.max(textWidth(h), ...rows.map((r) => textWidth(r.cells[i]!))));
  out.push(('  ' + header.map((h, i) => pad(h, widths[i]!, i === 1 || i === 3)).join('  ')).trimEnd());
  for (const r of rows) {
    const cells = r.cells.map((c, i) => pad(c, widths[i]!, i === 1 || i === 3));
    cells[5] = paint(COLORS[r.status], cells[5]!);
    out.push('  ' + cells.join('  ').trimEnd());
  }
  const legend = partialLegend(result);
  if (legend) out.push('', paint(DIM, `  ${legend}`));
  const notes = latestNotes(result);
  if (notes.length) {
    out.push('', paint(BOLD, 'Notes'));
    for (const n of notes) out.push(paint(DIM, `  ${n}`));
  }
  const problems = problemsOnce(result);
  if (problems.length) {
    out.push('', paint(BOLD, 'Problems'));
    for (const p of problems) out.push(`  ${p.severity === 'error' ? paint(COLORS.missed, 'error') : paint(COLORS.at_risk, 'warning')}  ${p.file}${p.line ? `:${p.line}:${p.column}` : ''}  ${p.message}`);
  }
  return out.join('\n') + '\n';
}

function row(k: KpiResult, locale: string | undefined): { cells: string[]; status: Status } {
  const l = k.latest;
  const name = k.title ? `${k.id}  ${k.title}` : k.id;
  return {
    status: l.status,
    cells: [
      truncate(name, 48),
      formatValue(l.value, k, locale),
      periodCell(l),
      formatChange(l.change, l.changeRatio, k, locale),
      targetCell(l, k, locale),
      statusCell(l),
      sparkline(k.series.slice(-12).map((p) => p.value)),
    ],
  };
}

function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return out + '…';
}

function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return right ? fill + text : text + fill;
}

