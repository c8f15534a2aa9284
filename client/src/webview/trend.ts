import { formatBound, formatValue } from '../../../server/src/engine/format';
import type { KpiResult, Latest, Point } from '../../../server/src/engine/results';
import { miniChart } from './minichart';
import { partialText } from './partial';
import { yearBefore } from './yoy';

/** What a trend chart needs besides the series: the partial periods and the locale dates are shown in. */
export interface TrendContext {
  partial: Map<string, string>;
  locale?: string;
}

type Shape = Pick<KpiResult, 'id' | 'format' | 'currency' | 'decimals' | 'direction'>;

/** A KPI's (or one group's) compact chart, named in words for screen readers and as its tooltip. */
export function trend(k: Shape, series: Point[], latest: Latest, ctx: TrendContext, options: { who?: string; periods?: number; width?: number; height?: number; lastYear?: boolean } = {}): SVGSVGElement {
  const periods = options.periods ?? 12;
  const shown = series.slice(-periods);
  const words = [`${k.id}${options.who ? ` for ${options.who}` : ''}`];
  if (shown.length) words.push(`${shown.length} period${shown.length > 1 ? 's' : ''}, ${shown[0]!.period} to ${shown[shown.length - 1]!.period}`);
  if (latest.period) {
    const through = ctx.partial.get(latest.period);
    words.push(`latest ${formatValue(latest.value, k, ctx.locale)} in ${latest.period}${through ? ` (${partialText(through, ctx.locale)})` : ''}`);
    if (latest.target) words.push(`target ${formatBound(latest.target, k, ctx.locale)}`);
    const ago = yearBefore(latest.period);
    const before = ago === undefined ? undefined : series.find((p) => p.period === ago);
    if (before && before.value !== null) words.push(`${ago}: ${formatValue(before.value, k, ctx.locale)}`);
  }
  return miniChart(series, { status: latest.status, label: words.join('; '), partial: ctx.partial, periods, width: options.width, height: options.height, lastYear: options.lastYear });
}
