import type { Point, Status } from '../../../server/src/engine/results';
import { svg } from './dom';

const W = 96;
const H = 22;
const PAD = 2.5;
/** More points than this are noise at sparkline size; the chart shows them all. */
const MAX_POINTS = 24;

/**
 * A tiny trend line of the last periods: own SVG (a library would be heavier than the job), gaps
 * where a period has no value, the last point coloured by status. Colours come from CSS classes,
 * so a theme change needs no redraw.
 */
export function sparkline(series: Point[], status: Status, label: string): SVGSVGElement {
  const points = series.slice(-MAX_POINTS);
  const root = svg('svg', { class: 'spark', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label });
  const known = points.map((p) => p.value).filter((v): v is number => v !== null);
  if (!known.length) return root;
  const min = Math.min(...known);
  const max = Math.max(...known);
  const x = (i: number) => (points.length === 1 ? W / 2 : PAD + (i * (W - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => (max === min ? H / 2 : H - PAD - ((v - min) * (H - 2 * PAD)) / (max - min));
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p.value === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(p.value).toFixed(1)}`;
    pen = true;
  });
  root.append(svg('path', { class: 'spark-line', d }));
  const lastIndex = points.map((p) => p.value !== null).lastIndexOf(true);
  const last = points[lastIndex]!;
  root.append(svg('circle', { class: `spark-dot s-${status}`, cx: x(lastIndex).toFixed(1), cy: y(last.value!).toFixed(1), r: 2.2 }));
  return root;
}
