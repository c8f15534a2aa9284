import type { Bound, Point, Status } from '../../../server/src/engine/results';
import { svg } from './dom';
import { lastYearValues } from './yoy';

export interface MiniChartOptions {
  status: Status;
  /** Accessible name and tooltip: what the chart shows, in words. */
  label: string;
  /** Partial period keys (see partial.ts): their point is hollow and reached by a dashed line. */
  partial: Map<string, string>;
  /** How many of the last periods to draw (earlier ones still give the year-ago line). */
  periods?: number;
  width?: number;
  height?: number;
  /** Draw the same periods a year before (default: where the series has them). */
  lastYear?: boolean;
}

const PAD = 3;

/**
 * A compact chart of a series' last periods, small enough for a scorecard row: the values, the
 * target (stepped, as dated targets change), the warn band between the warn and target bounds,
 * the same periods a year before where the series reaches back that far, and the latest point
 * coloured by status; a partial period's point is hollow, reached by a dashed line, with the
 * pro-rated target it is judged against as a tick. Own SVG; colours come from CSS classes, so
 * a theme change needs no redraw.
 */
export function miniChart(series: Point[], o: MiniChartOptions): SVGSVGElement {
  const W = o.width ?? 150;
  const H = o.height ?? 34;
  const shown = series.slice(-(o.periods ?? 12));
  const root = svg('svg', { class: 'mini', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': o.label });
  const tip = svg('title');
  tip.textContent = o.label;
  root.append(tip);
  const lastYear = o.lastYear === false ? undefined : lastYearValues(series, shown);
  const bound = (p: Point, of: 'target' | 'warn' | 'paceTarget', key: keyof Bound) => p[of]?.[key];
  const domain = [
    ...shown.flatMap((p) => [p.value, bound(p, 'target', 'min'), bound(p, 'target', 'max'), bound(p, 'warn', 'min'), bound(p, 'warn', 'max'), bound(p, 'paceTarget', 'min'), bound(p, 'paceTarget', 'max')]),
    ...(lastYear ?? []),
  ].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (!shown.some((p) => p.value !== null) || !domain.length) return root;

  const lo = Math.min(...domain);
  const hi = Math.max(...domain);
  const n = shown.length;
  const step = n > 1 ? (W - 2 * PAD) / (n - 1) : 0;
  const x = (i: number) => (n === 1 ? W / 2 : PAD + i * step);
  const y = (v: number) => (hi === lo ? H / 2 : H - PAD - ((v - lo) * (H - 2 * PAD)) / (hi - lo));
  const half = n > 1 ? step / 2 : W / 2 - PAD;
  const left = (i: number) => Math.max(0, x(i) - half);
  const right = (i: number) => Math.min(W, x(i) + half);
  const f = (v: number) => v.toFixed(1);

  // The warn band: the "at risk" zone between each warn bound and its target bound, period by period.
  for (const key of ['min', 'max'] as const) {
    shown.forEach((p, i) => {
      const t = bound(p, 'target', key);
      const w = bound(p, 'warn', key);
      if (t === undefined || w === undefined) return;
      const top = Math.min(y(t), y(w));
      root.append(svg('rect', { class: 'mc-band', x: f(left(i)), y: f(top), width: f(right(i) - left(i)), height: f(Math.max(0.5, Math.abs(y(t) - y(w)))) }));
    });
    let d = '';
    shown.forEach((p, i) => {
      const t = bound(p, 'target', key);
      if (t !== undefined) d += `M${f(left(i))} ${f(y(t))}H${f(right(i))}`;
    });
    if (d) root.append(svg('path', { class: 'mc-target', d }));
  }

  if (lastYear) root.append(svg('path', { class: 'mc-yoy', d: line(lastYear.map((v, i) => (v === null ? null : [x(i), y(v)]))) }));

  const lastIndex = shown.map((p) => p.value !== null).lastIndexOf(true);
  const last = shown[lastIndex]!;
  const partial = o.partial.has(last.period);
  const whole = shown.map((p, i) => (p.value === null || (partial && i === lastIndex) ? null : ([x(i), y(p.value)] as [number, number])));
  root.append(svg('path', { class: 'mc-line', d: line(whole) }));
  if (partial) {
    const before = shown.slice(0, lastIndex).map((p) => p.value !== null).lastIndexOf(true);
    if (before >= 0) root.append(svg('path', { class: 'mc-partial', d: `M${f(x(before))} ${f(y(shown[before]!.value!))}L${f(x(lastIndex))} ${f(y(last.value!))}` }));
    for (const key of ['min', 'max'] as const) {
      const pace = bound(last, 'paceTarget', key);
      if (pace !== undefined) root.append(svg('path', { class: 'mc-pace', d: `M${f(x(lastIndex) - 4)} ${f(y(pace))}H${f(x(lastIndex) + 4)}` }));
    }
  }
  root.append(svg('circle', { class: `mc-dot s-${o.status}${partial ? ' partial' : ''}`, cx: f(x(lastIndex)), cy: f(y(last.value!)), r: partial ? 2.6 : 2.4 }));
  return root;
}

/** An SVG path through points, lifting the pen over gaps. */
function line(points: ([number, number] | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p[0].toFixed(1)} ${p[1].toFixed(1)}`;
    pen = true;
  }
  return d;
}
