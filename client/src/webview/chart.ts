import uPlot from 'uplot';
import { formatValue } from '../../../server/src/engine/format';
import type { Bound, KpiResult } from '../../../server/src/engine/results';
import { partialText } from './partial';
import { onThemeChange, themeColor, themeFont } from './theme';
import type { TrendContext } from './trend';
import { lastYearValues } from './yoy';

const HEIGHT = 220;

/**
 * The selected KPI's full series with its target and warn band, the same periods a year before
 * and a partial last period dashed (with its pro-rated target), drawn by uPlot (canvas; it sets
 * sizes through the CSSOM, which the CSP allows). Periods are category positions 0..n-1 labelled
 * by key, since weeks, quarters and `all` are not timestamps. Returns a function that removes it.
 */
export function mountChart(container: HTMLElement, kpi: KpiResult, ctx: TrendContext): () => void {
  let plot: uPlot | undefined;
  const extras = extraSeries(kpi, ctx);
  const draw = () => {
    plot?.destroy();
    plot = new uPlot(options(kpi, width(container), extras, ctx), data(kpi, extras), container);
  };
  draw();
  // Colours are read at draw time, so a theme change means drawing again.
  const stopTheme = onThemeChange(draw);
  const resize = new ResizeObserver(() => {
    const w = width(container);
    if (plot && Math.abs(plot.width - w) > 1) plot.setSize({ width: w, height: HEIGHT });
  });
  resize.observe(container);
  return () => {
    stopTheme();
    resize.disconnect();
    plot?.destroy();
  };
}

function width(container: HTMLElement): number {
  return Math.max(200, container.clientWidth);
}

type BoundLine = { key: keyof Bound; of: 'target' | 'warn' };
const LINES: BoundLine[] = [
  { key: 'min', of: 'target' },
  { key: 'max', of: 'target' },
  { key: 'min', of: 'warn' },
  { key: 'max', of: 'warn' },
];

/** The bound lines some period of the series has: only those become series. */
function linesOf(kpi: KpiResult): BoundLine[] {
  return LINES.filter((l) => kpi.series.some((p) => p[l.of]?.[l.key] !== undefined));
}

/**
 * Series beside the KPI's own: its partial last period (a dashed segment from the period
 * before), the pro-rated target of that period, and the same periods last year.
 */
interface Extras {
  /** The index of the partial period, if the series ends in one with a value. */
  partialAt?: number;
  partial?: (number | null)[];
  pace?: (number | null)[];
  lastYear?: (number | null)[];
}

function extraSeries(kpi: KpiResult, ctx: TrendContext): Extras {
  const s = kpi.series;
  const out: Extras = { lastYear: lastYearValues(s, s) };
  const at = s.map((p) => p.value !== null).lastIndexOf(true);
  if (at < 0 || !ctx.partial.has(s[at]!.period)) return out;
  const before = s.slice(0, at).map((p) => p.value !== null).lastIndexOf(true);
  out.partialAt = at;
  out.partial = s.map((p, i) => (i === at || i === before ? p.value : null));
  const pace = s[at]!.paceTarget;
  const bound = pace?.min ?? pace?.max;
  if (bound !== undefined) out.pace = s.map((_, i) => (i === at ? bound : null));
  return out;
}

function data(kpi: KpiResult, extras: Extras): uPlot.AlignedData {
  const xs = kpi.series.map((_, i) => i);
  // The partial period's value is drawn by its own dashed series.
  const values = kpi.series.map((p, i) => (i === extras.partialAt ? null : p.value));
  const bounds = linesOf(kpi).map((l) => kpi.series.map((p) => p[l.of]?.[l.key] ?? null));
  const more = [extras.partial, extras.pace, extras.lastYear].filter((v): v is (number | null)[] => v !== undefined);
  return [xs, values, ...bounds, ...more];
}

function options(kpi: KpiResult, w: number, extras: Extras, ctx: TrendContext): uPlot.Options {
  const fg = themeColor('--vscode-editor-foreground', '#333');
  const font = themeFont();
  const line = themeColor('--vscode-charts-blue', '#1a85ff');
  const green = themeColor('--vscode-charts-green', '#388a34');
  const yellow = themeColor('--vscode-charts-yellow', '#bf8803');
  const grid = themeColor('--vscode-editor-foreground', '#333', 0.12);
  const periods = kpi.series.map((p) => p.period);
  const shown = (v: number | null) => (v === null || v === undefined ? '—' : formatValue(v, kpi, ctx.locale));
  const lines = linesOf(kpi);
  const latest = Math.max(0, kpi.latest.period ? periods.indexOf(kpi.latest.period) : periods.length - 1);
  const stepped = uPlot.paths.stepped!({ align: 1 });

  const muted = themeColor('--vscode-descriptionForeground', '#717171');
  const throughOf = (i: number | null) => (i === null ? undefined : ctx.partial.get(periods[i] ?? ''));
  const series: uPlot.Series[] = [
    { label: 'period', value: (_u, i) => (i === null ? '—' : `${periods[i] ?? '—'}${throughOf(i) ? ` (${partialText(throughOf(i)!, ctx.locale)})` : ''}`) },
    // At the partial period the legend row of the KPI says its value so far (drawn by the dashed series).
    { label: kpi.id, stroke: line, width: 2, points: { show: periods.length <= 60, size: 5, fill: line }, value: (_u, v, _s, i) => (i !== null && i === extras.partialAt ? `${shown(kpi.series[i]!.value)} so far` : shown(v)) },
    ...lines.map(
      (l): uPlot.Series => ({
        label: `${l.of} ${l.key === 'min' ? '≥' : '≤'}`,
        stroke: l.of === 'target' ? green : yellow,
        width: l.of === 'target' ? 1.5 : 1,
        dash: l.of === 'target' ? [6, 4] : [2, 3],
        paths: stepped,
        points: { show: false },
        value: (_u, v) => shown(v),
      }),
    ),
    ...(extras.partial ? [{ label: `${kpi.id} so far`, stroke: line, width: 2, dash: [4, 3], points: { show: true, size: 7, fill: themeColor('--vscode-editor-background', '#fff'), stroke: line, width: 2 }, value: (_u: uPlot, v: number | null) => shown(v) } satisfies uPlot.Series] : []),
    ...(extras.pace ? [{ label: 'target to date', stroke: green, width: 0, paths: () => null, points: { show: true, size: 9, fill: green, stroke: green }, value: (_u: uPlot, v: number | null) => shown(v) } satisfies uPlot.Series] : []),
    ...(extras.lastYear ? [{ label: 'a year before', stroke: muted, width: 1.25, dash: [3, 3], points: { show: false }, value: (_u: uPlot, v: number | null) => shown(v) } satisfies uPlot.Series] : []),
  ];
  // The warn band is the "at risk" zone between the warn bound and the target bound.
  const index = (key: keyof Bound, of: BoundLine['of']) => 2 + lines.findIndex((l) => l.key === key && l.of === of);
  const bands: uPlot.Band[] = [];
  const band = themeColor('--vscode-charts-yellow', '#bf8803', 0.16);
  if (index('min', 'target') > 1 && index('min', 'warn') > 1) bands.push({ series: [index('min', 'target'), index('min', 'warn')], fill: band });
  if (index('max', 'target') > 1 && index('max', 'warn') > 1) bands.push({ series: [index('max', 'warn'), index('max', 'target')], fill: band });

  const axis = (extra: uPlot.Axis): uPlot.Axis => ({ stroke: fg, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, ...extra });
  return {
    width: w,
    height: HEIGHT,
    series,
    bands,
    cursor: { drag: { x: false, y: false } },
    // The legend shows the latest period's values unless the pointer is over another period.
    hooks: {
      ready: [
        (u) => {
          u.setLegend({ idx: latest });
          // The dashed segment is part of the KPI's line: no legend row of its own.
          if (extras.partial) u.root.querySelectorAll('.u-legend .u-series')[2 + lines.length]?.classList.add('u-merged');
        },
      ],
      setCursor: [
        (u) => {
          if (u.cursor.idx === null || u.cursor.idx === undefined) u.setLegend({ idx: latest });
        },
      ],
    },
    scales: { x: { time: false, range: (_u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]) } },
    axes: [
      axis({ space: 64, incrs: [1, 2, 3, 4, 6, 12, 24, 52, 104], values: (_u, splits) => splits.map((i) => periods[i] ?? '') }),
      axis({ size: (_u, values) => 16 + 7 * Math.max(4, ...(values ?? []).map((v) => String(v).length)), values: (_u, splits, _a, _s, incr) => splits.map((v) => axisLabel(v, incr, kpi, ctx.locale)) }),
    ],
  };
}

/** Axis labels with as many decimals as the tick step needs, in the KPI's own format. */
function axisLabel(v: number, incr: number, kpi: KpiResult, locale: string | undefined): string {
  if (kpi.format === 'duration') return formatValue(v, kpi);
  const step = Math.abs(kpi.format === 'percent' ? incr * 100 : incr);
  let decimals = 0;
  while (decimals < 4 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6) decimals++;
  return formatValue(v, { ...kpi, decimals }, locale);
}
