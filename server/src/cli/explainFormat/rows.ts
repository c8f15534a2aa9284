import { formatValue } from '../../engine/format';
import type { EvalResult, KpiResult } from '../../engine/results';
import type { DimensionParts, Explanation, GroupPart, InputPart, InputParts } from '../../explain';
import { formatDelta, formatShare } from '../../explain';

/** Groups shown per dimension; the rest are summed on one line. */
export const SHOWN_GROUPS = 12;

/** A table of parts: header, rows, and the total line. Right-aligned columns are numbers. */
export interface PartsTable {
  title: string;
  header: string[];
  right: boolean[];
  rows: string[][];
}

const VS: Record<Explanation['vs'], string> = { prev: 'the period before', yoy: 'the same period a year before', period: 'the period named' };

/** `2026-10 vs 2026-09 (the period before): 2.87% → 2.51% (−0.36 pp)` */
export function headline(e: Explanation, k: KpiResult, result: EvalResult): string {
  if (!e.period) return 'no periods to compare';
  const v = (x: number | null) => formatValue(x, k, result.locale);
  const change = e.change === null ? 'no change to explain' : formatDelta(e.change, k, result.locale);
  return `${e.period} vs ${e.base} (${VS[e.vs]}): ${v(e.baseValue)} → ${v(e.value)} (${change})`;
}

/** What the method is, in one line. */
export function methodLine(e: Explanation): string {
  if (e.kind === 'additive') return 'A sum: each group\'s part is its own change; the parts of each breakdown add up to the change.';
  if (e.kind === 'ratio') {
    const r = e.ratio!;
    return `A ratio of sums, ${r.scale !== 1 ? `${r.scale} × ` : ''}(${r.numerator}) / (${r.denominator}): each group's part is a rate effect (its own ratio moved) and a mix effect (its share of ${r.denominator} moved, measured against the average ratio).`;
  }
  return 'A formula over other metrics and KPIs: each input\'s part is its Shapley value, its effect averaged over every order in which the inputs could move.';
}

export function dimensionTable(d: DimensionParts, e: Explanation, k: KpiResult, result: EvalResult): PartsTable {
  const locale = result.locale;
  const v = (x: number | null | undefined) => (x === null || x === undefined ? '—' : formatValue(x, k, locale));
  const delta = (x: number) => formatDelta(x, k, locale);
  // Groups without data in either period (and so without a part) are left out of the table.
  const groups = d.groups.filter((g) => g.before !== null || g.after !== null || g.contribution !== 0);
  const shown = groups.slice(0, SHOWN_GROUPS);
  const rest = groups.slice(SHOWN_GROUPS);
  const name = (g: GroupPart) => (g.group === null ? `(no ${d.dimension})` : g.group);
  if (e.kind === 'ratio') {
    const header = ['group', `share of ${e.ratio!.denominator}`, e.kpi, 'rate effect', 'mix effect', 'part'];
    const rows = shown.map((g) => [name(g), `${formatShare(g.shareBefore!, locale)} → ${formatShare(g.shareAfter!, locale)}`, `${v(g.before)} → ${v(g.after)}`, delta(g.rate!), delta(g.mix!), delta(g.contribution)]);
    if (rest.length) rows.push([`${rest.length} more group${rest.length > 1 ? 's' : ''}`, '', '', delta(sum(rest, (g) => g.rate!)), delta(sum(rest, (g) => g.mix!)), delta(sum(rest, (g) => g.contribution))]);
    if (notable(d.residual, e)) rows.push(['unexplained', '', '', '', '', delta(d.residual)]);
    rows.push(['total', '', `${v(e.baseValue)} → ${v(e.value)}`, delta(sum(d.groups, (g) => g.rate!)), delta(sum(d.groups, (g) => g.mix!)), delta(e.change!)]);
    return { title: `By ${d.dimension}`, header, right: [false, true, true, true, true, true], rows };
  }
  const header = ['group', e.base, e.period, 'part'];
  const rows = shown.map((g) => [name(g), v(g.before), v(g.after), delta(g.contribution)]);
  if (rest.length) rows.push([`${rest.length} more group${rest.length > 1 ? 's' : ''}`, '', '', delta(sum(rest, (g) => g.contribution))]);
  if (notable(d.residual, e)) rows.push(['unexplained', '', '', delta(d.residual)]);
  rows.push(['total', v(e.baseValue), v(e.value), delta(e.change!)]);
  return { title: `By ${d.dimension}`, header, right: [false, true, true, true], rows };
}

export function inputsTable(inputs: InputParts, e: Explanation, k: KpiResult, result: EvalResult): PartsTable {
  const locale = result.locale;
  const v = (x: number | null, i: InputPart) => (x === null ? '—' : formatValue(x, i, locale));
  const delta = (x: number) => formatDelta(x, k, locale);
  const rows = inputs.inputs.map((i) => [i.input, v(i.before, i), v(i.after, i), i.contribution === null ? '—' : delta(i.contribution)]);
  if (notable(inputs.residual, e)) rows.push(['unexplained', '', '', delta(inputs.residual)]);
  rows.push(['total', formatValue(e.baseValue, k, locale), formatValue(e.value, k, locale), delta(e.change!)]);
  return { title: 'By input', header: ['input', e.base, e.period, 'part'], right: [false, true, true, true], rows };
}

/** Every table of an explanation, in order: dimensions, then inputs. */
export function partsTables(e: Explanation, k: KpiResult, result: EvalResult): PartsTable[] {
  if (e.change === null) return [];
  const out = e.dimensions.map((d) => dimensionTable(d, e, k, result));
  if (e.inputs) out.push(inputsTable(e.inputs, e, k, result));
  return out;
}

function notable(residual: number, e: Explanation): boolean {
  return Math.abs(residual) > 1e-9 * Math.max(1, Math.abs(e.value ?? 0), Math.abs(e.baseValue ?? 0));
}

function sum<T>(xs: T[], f: (x: T) => number): number {
  return xs.reduce((s, x) => s + f(x), 0);
}
