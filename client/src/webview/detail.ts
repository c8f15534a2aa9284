import { formatValue } from '../../../server/src/engine/format';
import type { Breakdown, KpiResult } from '../../../server/src/engine/results';
import type { Ui } from './actions';
import { periodCell, statusCell } from './cells';
import { mountChart } from './chart';
import { el, type Mount } from './dom';
import { drivers } from './drivers';
import { partialText } from './partial';
import { changeText } from './status';
import { trend, type TrendContext } from './trend';

/** The selected KPI: what it is, its whole series as a chart with target, warn band and last year, why it moved (drivers.ts), and its breakdowns. */
export function detail(k: KpiResult, ui: Ui, mounts: Mount[], ctx: TrendContext): HTMLElement {
  const hasData = k.series.some((p) => p.value !== null);
  const chart = el('div', { class: 'chart', attrs: { role: 'img', 'aria-label': chartLabel(k, ctx) } });
  if (hasData) mounts.push(() => mountChart(chart, k, ctx));
  const l = k.latest;
  return el(
    'div',
    { class: 'detail', attrs: { 'data-detail': k.id } },
    el(
      'div',
      { class: 'detail-head' },
      el('h3', {}, k.title || k.id),
      el('button', { class: 'secondary close', title: 'Close the chart', attrs: { type: 'button', 'data-key': 'close-detail' }, on: { click: (e) => { e.stopPropagation(); ui.actions.select(undefined); } } }, 'Close'),
    ),
    k.description ? el('p', { class: 'description' }, k.description) : null,
    el('p', { class: 'formula' }, el('span', { class: 'label' }, 'formula '), el('code', {}, k.formula), el('span', { class: 'label' }, ' · unit '), k.unit, el('span', { class: 'label' }, ` · ${k.direction === 'up' ? 'higher is better' : 'lower is better'}`)),
    l.through && l.period ? el('p', { class: 'note partial-note' }, `${l.period} is ${partialText(l.through, ctx.locale)}: `, l.paceTarget ? 'it is judged against the target pro-rated to those days.' : 'its value is not the whole period’s.', l.comparedNote ? ` ${l.comparedNote}` : '') : null,
    l.noTarget ? el('p', { class: 'note no-target-note' }, `No verdict at this grain: ${l.noTarget}`) : null,
    hasData ? chart : el('p', { class: 'note' }, 'No period has a value to chart.'),
    hasData ? drivers(k, ui, ctx.locale) : null,
    ...k.breakdowns.map((b) => breakdownTable(b, k, ctx)),
    k.breakdowns.length ? null : el('p', { class: 'note' }, 'No breakdown: give the KPI a `by:` list, or pick a dimension under Breakdown.'),
  );
}

function chartLabel(k: KpiResult, ctx: TrendContext): string {
  const first = k.series[0]?.period;
  const last = k.series[k.series.length - 1]?.period;
  const through = k.latest.period ? ctx.partial.get(k.latest.period) : undefined;
  return `${k.id} over ${k.series.length} periods${first ? `, ${first} to ${last}` : ''}; latest ${formatValue(k.latest.value, k, ctx.locale)}${through ? ` (${partialText(through, ctx.locale)})` : ''}`;
}

function breakdownTable(b: Breakdown, k: KpiResult, ctx: TrendContext): HTMLElement {
  return el(
    'div',
    { class: 'breakdown', attrs: { 'data-dimension': b.dimension } },
    el('h4', {}, 'by ', el('code', {}, b.dimension)),
    el(
      'table',
      { class: 'breakdown-table' },
      el('thead', {}, el('tr', {}, ...['Group', 'Latest', 'Period', 'vs prev', 'Status', 'Trend'].map((c, i) => el('th', { class: i === 1 || i === 3 ? 'num' : '', attrs: { scope: 'col' } }, c)))),
      el(
        'tbody',
        {},
        ...b.rows.map((r) =>
          el(
            'tr',
            {},
            el('td', { class: 'c-group' }, r.group === null ? el('span', { class: 'empty-group', title: 'rows where the dimension is empty' }, '(empty)') : r.group),
            el('td', { class: 'c-value num' }, formatValue(r.latest.value, k, ctx.locale)),
            periodCell(r.latest, ctx.locale, k.latest.period),
            el('td', { class: 'c-change num' }, changeText(r.latest, k, ctx.locale)),
            statusCell(r.latest),
            el('td', { class: 'c-trend' }, trend(k, r.series, r.latest, ctx, { who: r.group ?? 'empty', width: 120, height: 24 })),
          ),
        ),
      ),
    ),
  );
}
