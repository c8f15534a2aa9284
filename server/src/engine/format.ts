import type { Bound, KpiResult, SourceResult, Status } from './results';

const SYMBOLS: Record<string, string> = { CNY: '¥', JPY: '¥', USD: '$', EUR: '€', GBP: '£', KRW: '₩', INR: '₹', HKD: 'HK$', TWD: 'NT$', SGD: 'S$', AUD: 'A$', CAD: 'C$' };
const NO_CENTS = new Set(['JPY', 'KRW']);

type Shape = Pick<KpiResult, 'format' | 'currency' | 'decimals'>;

function grouped(v: number, decimals: number): string {
  return v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A KPI value as a person reads it: `23.70%`, `¥1,234.56`, `2m 05s`, `12,345`. */
export function formatValue(value: number | null, kpi: Shape): string {
  if (value === null) return '—';
  switch (kpi.format) {
    case 'percent':
      return `${grouped(value * 100, kpi.decimals ?? 2)}%`;
    case 'currency': {
      const code = kpi.currency ?? '';
      const symbol = SYMBOLS[code];
      const text = grouped(Math.abs(value), kpi.decimals ?? (NO_CENTS.has(code) ? 0 : 2));
      return `${value < 0 ? '-' : ''}${symbol ?? (code ? code + ' ' : '')}${text}`;
    }
    case 'duration':
      return duration(value);
    default:
      return grouped(value, kpi.decimals ?? (Number.isInteger(value) ? 0 : Math.abs(value) < 10 ? 2 : 1));
  }
}

function duration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.round(Math.abs(seconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h) return `${sign}${h}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${sign}${m}m ${String(s).padStart(2, '0')}s`;
  return `${sign}${s}s`;
}

/** The change against the previous period: percentage points for percent KPIs, else relative. */
export function formatChange(change: number | null, changeRatio: number | null, kpi: Shape): string {
  if (change === null) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  if (kpi.format === 'percent') return `${sign}${grouped(Math.abs(change) * 100, 1)} pp`;
  if (changeRatio === null) return `${sign}${formatValue(Math.abs(change), kpi)}`;
  return `${sign}${grouped(Math.abs(changeRatio) * 100, 1)}%`;
}

/** `≥ 2.50%`, `≤ 40.00%`, `2.00% – 3.00%`, or `—`. */
export function formatBound(bound: Bound | undefined, kpi: Shape): string {
  if (!bound) return '—';
  if (bound.min !== undefined && bound.max !== undefined) return `${formatValue(bound.min, kpi)} – ${formatValue(bound.max, kpi)}`;
  if (bound.min !== undefined) return `≥ ${formatValue(bound.min, kpi)}`;
  if (bound.max !== undefined) return `≤ ${formatValue(bound.max, kpi)}`;
  return '—';
}

export const STATUS_TEXT: Record<Status, string> = { met: 'met', at_risk: 'at risk', missed: 'missed', no_target: 'no target', no_data: 'no data' };
export const STATUS_MARK: Record<Status, string> = { met: '✔', at_risk: '▲', missed: '✖', no_target: '·', no_data: '?' };

const BARS = '▁▂▃▄▅▆▇█';

/** A small trend from a series (nulls as spaces). */
export function sparkline(values: (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  if (!known.length) return '';
  const min = Math.min(...known);
  const max = Math.max(...known);
  return values.map((v) => (v === null ? ' ' : BARS[max === min ? 3 : Math.round(((v - min) / (max - min)) * (BARS.length - 1))])).join('');
}

/** `, 12 left out (10 with an empty \`date\`, 2 inside an unclosed quote)`: rows no KPI counts. */
export function skippedCounts(s: SourceResult): string {
  if (!s.skipped?.length) return '';
  const n = s.skipped.reduce((a, x) => a + x.rows, 0);
  return `, ${n.toLocaleString('en-US')} left out (${s.skipped.map((x) => `${x.rows.toLocaleString('en-US')} ${x.reason.startsWith('inside') || x.reason.startsWith('not') ? '' : 'with '}${x.reason}`).join(', ')})`;
}

/** ` (one per key of 5,120 rows of hits; lookup deal: 212 of 230 matched)`: how a source's rows came about. */
export function relationCounts(s: SourceResult): string {
  const parts: string[] = [];
  const n = (x: number) => x.toLocaleString('en-US');
  if (s.rollup) parts.push(`one per key of ${n(s.rollup.fromRows)} rows of ${s.rollup.from}${s.rollup.unkeyed ? `, ${n(s.rollup.unkeyed)} without a key` : ''}`);
  for (const l of s.lookups ?? []) parts.push(`lookup ${l.name}: ${n(l.matched)} of ${n(l.matched + l.unmatched)} matched`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}
