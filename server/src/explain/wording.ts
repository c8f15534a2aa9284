import { formatValue } from '../engine/format';
import { localeNumber } from '../engine/localeFormat';
import type { KpiResult } from '../engine/results';
import type { Driver } from './model';

/** How a value is shown: a KPI's format, currency and decimals (engine/format.ts). */
export type ValueShape = Pick<KpiResult, 'format' | 'currency' | 'decimals'>;

/** A change or part below this (relative to the values compared) is no change: ±0. */
const NEGLIGIBLE = 1e-12;

/**
 * A change or a part of one, signed: percentage points for a percent KPI (`−0.31 pp`, two
 * decimals: parts are small), else in the KPI's own format (`+¥1,200.00`, `−0.12`, `+5m 00s`).
 */
export function formatDelta(x: number, kpi: ValueShape, locale?: string, scale = 1): string {
  const zero = Math.abs(x) <= NEGLIGIBLE * Math.max(1, Math.abs(scale));
  const size = zero ? 0 : Math.abs(x);
  const shown = (v: number) => (kpi.format === 'percent' ? points(v, locale) : formatValue(v, kpi, locale));
  const text = shown(size);
  // A part that rounds to nothing is shown without a direction: `±0.00 pp`, not `−0.00 pp`.
  const sign = zero || text === shown(0) ? '±' : x > 0 ? '+' : '−';
  return `${sign}${text}`;
}

/** `0.31 pp` for 0.0031. */
function points(v: number, locale?: string): string {
  return `${(locale && localeNumber(v * 100, locale, 2, { style: 'decimal' }, false)) || (v * 100).toFixed(2)} pp`;
}

/** A share of a denominator: `24.0%`. */
export function formatShare(s: number, locale?: string): string {
  return formatValue(s, { format: 'percent', decimals: 1 }, locale);
}

/** `conversion rate` for `conversion_rate`: the id as words. */
export function noun(id: string): string {
  return id.replace(/_/g, ' ');
}

/** A group as named in a sentence: its value, with its dimension when the value is ambiguous, or `no channel` for empty values. */
export function groupLabel(dimension: string, group: string | null, withDimension: boolean): string {
  if (group === null) return `no ${dimension}`;
  return withDimension ? `${dimension} ${group}` : group;
}

export function moved(before: number | null, after: number | null): string {
  const a = before ?? 0;
  const b = after ?? 0;
  return b > a ? 'rose' : b < a ? 'fell' : 'held';
}

/** `from ¥1,000.00 to ¥1,200.00`, `from nothing to 12`. */
export function fromTo(before: number | null, after: number | null, shape: ValueShape, locale?: string): string {
  const v = (x: number | null) => (x === null ? 'nothing' : formatValue(x, shape, locale));
  return `from ${v(before)} to ${v(after)}`;
}

/** The drivers a summary names: the largest, and the next ones while at least a fifth of it, three at most. */
export function topDrivers(drivers: readonly Driver[], limit = 3): Driver[] {
  const first = drivers[0];
  if (!first) return [];
  return drivers.slice(0, limit).filter((d) => Math.abs(d.contribution) >= Math.abs(first.contribution) / 5);
}

/** Ranked by absolute part, largest first; parts that are no change are left out. */
export function ranked(drivers: Driver[], scale: number): Driver[] {
  return drivers
    .filter((d) => Math.abs(d.contribution) > NEGLIGIBLE * Math.max(1, Math.abs(scale)))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

/** `−0.40 pp: mobile conversion rate fell from 2.90% to 2.20% (−0.31 pp); …`. */
export function summarize(change: number, kpi: ValueShape, drivers: readonly Driver[], locale?: string, scale = 1): string {
  const head = formatDelta(change, kpi, locale, scale);
  const top = topDrivers(drivers);
  return top.length ? `${head}: ${top.map((d) => d.text).join('; ')}.` : `${head}.`;
}
