import { localeDay, localeNumber } from './localeFormat';
import type { Bound, KpiResult, SourceResult, Status } from './results';

const SYMBOLS: Record<string, string> = { CNY: '¥', JPY: '¥', USD: '$', EUR: '€', GBP: '£', KRW: '₩', INR: '₹', HKD: 'HK$', TWD: 'NT$', SGD: 'S$', AUD: 'A$', CAD: 'C$' };
const NO_CENTS = new Set(['JPY', 'KRW']);

type Shape = Pick<KpiResult, 'format' | 'currency' | 'decimals'>;

function grouped(v: number, decimals: number): string {
  return v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** How many decimals a value of this KPI shows: its `decimals`, else by format (and size, for plain numbers). */
function decimalsOf(value: number, kpi: Shape): number {
  if (kpi.decimals !== undefined) return kpi.decimals;
  if (kpi.format === 'percent') return 2;
  if (kpi.format === 'currency') return NO_CENTS.has(kpi.currency ?? '') ? 0 : 2;
  return Number.isInteger(value) ? 0 : Math.abs(value) < 10 ? 2 : 1;
}

/**
 * A KPI value as a person reads it: `23.70%`, `¥1,234.56`, `2m 05s`, `12,345`. With a `locale`
 * (BCP 47), numbers, money and percents are written as that locale writes them (`1.234,56 €`,
 * `¥123.46万`); durations keep their `2m 05s`. Without one, or one Intl cannot use: as above.
 */
export function formatValue(value: number | null, kpi: Shape, locale?: string): string {
  if (value === null) return '—';
  if (locale && kpi.format !== 'duration') {
    const style = kpi.format === 'percent' ? { style: 'percent' as const } : kpi.format === 'currency' && kpi.currency ? { style: 'currency' as const, currency: kpi.currency } : { style: 'decimal' as const };
    const text = localeNumber(value, locale, decimalsOf(value, kpi), style);
    if (text !== undefined) return text;
  }
  switch (kpi.format) {
    case 'percent':
      return `${grouped(value * 100, decimalsOf(value, kpi))}%`;
    case 'currency': {
      const code = kpi.currency ?? '';
      const symbol = SYMBOLS[code];
      const text = grouped(Math.abs(value), decimalsOf(value, kpi));
      return `${value < 0 ? '-' : ''}${symbol ?? (code ? code + ' ' : '')}${text}`;
    }
    case 'duration':
      return duration(value);
    default:
      return grouped(value, decimalsOf(value, kpi));
  }
}

/** A count as the locale writes it, never in myriads (a count of rows is exact): `12,345`, `12.345`. */
export function formatCount(n: number, locale?: string): string {
  return (locale && localeNumber(n, locale, 0, { style: 'decimal' }, false)) || n.toLocaleString('en-US');
}

/** A day `YYYY-MM-DD` in the locale's medium date style (`31.10.2026`); as written without a locale. */
export function formatDay(day: string, locale?: string): string {
  return (locale && localeDay(day, locale)) || day;
}

/** A sample of how a locale writes a large number and a percent: `123.46万 · 23.70%`. */
export function localeExample(locale: string): string {
  return `${formatValue(1234567.891, { format: 'number' }, locale)} · ${formatValue(0.237, { format: 'percent' }, locale)}`;
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

/** The change against the previous period: percentage points for percent KPIs, else relative (in the locale, when given). */
export function formatChange(change: number | null, changeRatio: number | null, kpi: Shape, locale?: string): string {
  if (change === null) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  if (kpi.format === 'percent') return `${sign}${(locale && localeNumber(Math.abs(change) * 100, locale, 1, { style: 'decimal' }, false)) || grouped(Math.abs(change) * 100, 1)} pp`;
  if (changeRatio === null) return `${sign}${formatValue(Math.abs(change), kpi, locale)}`;
  return `${sign}${(locale && localeNumber(Math.abs(changeRatio), locale, 1, { style: 'percent' })) || `${grouped(Math.abs(changeRatio) * 100, 1)}%`}`;
}

/** `≥ 2.50%`, `≤ 40.00%`, `2.00% – 3.00%`, or `—`. */
export function formatBound(bound: Bound | undefined, kpi: Shape, locale?: string): string {
  if (!bound) return '—';
  if (bound.min !== undefined && bound.max !== undefined) return `${formatValue(bound.min, kpi, locale)} – ${formatValue(bound.max, kpi, locale)}`;
  if (bound.min !== undefined) return `≥ ${formatValue(bound.min, kpi, locale)}`;
  if (bound.max !== undefined) return `≤ ${formatValue(bound.max, kpi, locale)}`;
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
export function skippedCounts(s: SourceResult, locale?: string): string {
  if (!s.skipped?.length) return '';
  const n = s.skipped.reduce((a, x) => a + x.rows, 0);
  return `, ${formatCount(n, locale)} left out (${s.skipped.map((x) => `${formatCount(x.rows, locale)} ${x.reason.startsWith('inside') || x.reason.startsWith('not') ? '' : 'with '}${x.reason}`).join(', ')})`;
}

/** ` (one per key of 5,120 rows of hits; lookup deal: 212 of 230 matched)`: how a source's rows came about. */
export function relationCounts(s: SourceResult, locale?: string): string {
  const parts: string[] = [];
  const n = (x: number) => formatCount(x, locale);
  if (s.rollup) parts.push(`one per key of ${n(s.rollup.fromRows)} rows of ${s.rollup.from}${s.rollup.unkeyed ? `, ${n(s.rollup.unkeyed)} without a key` : ''}`);
  for (const l of s.lookups ?? []) parts.push(`lookup ${l.name}: ${n(l.matched)} of ${n(l.matched + l.unmatched)} matched`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}
