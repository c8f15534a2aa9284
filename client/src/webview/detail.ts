import { formatValue } from '../../../server/src/engine/format';
import type { Breakdown, KpiResult } from '../../../server/src/engine/results';
import type { Ui } from './actions';
import { mountChart } from './chart';
import { el, type Mount } from './dom';
import { sparkline } from './sparkline';
import { changeText, statusBadge } from './status';

/** The selected KPI: what it is, its whole series as a chart with target and warn band, and its breakdowns. */
export function detail(k: KpiResult, ui: Ui, mounts: Mount[]): HTMLElement {
  const hasData = k.series.some((p) => p.value !== null);
  const chart = el('div', { class: 'chart', attrs: { role: 'img', 'aria-label': chartLabel(k) } });
  if (hasData) mounts.push(() => mountChart(chart, k));
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
    hasData ? chart : el('p', { class: 'note' }, 'No period has a value to chart.'),
    ...k.breakdowns.map((b) => breakdownTable(b, k)),
    k.breakdowns.length ? null : el('p', { class: 'note' }, 'No breakdown: give the KPI a `by:` list, or pick a dimension under Breakdown.'),
  );
}

function chartLabel(k: KpiResult): string {
  const first = k.series[0]?.period;
  const last = k.series[k.series.length - 1]?.period;
  return `${k.id} over ${k.series.length} periods${first ? `, ${first} to ${last}` : ''}; latest ${formatValue(k.latest.value, k)}`;
}

function breakdownTable(b: Breakdown, k: KpiResult): HTMLElement {
  return el(
    'div',
    { class: 'breakdown', attrs: { 'data-dimension': b.dimension } },
    el('h4', {}, 'by ', el('code', {}, b.dimension)),
    el(
      'table',
      { class: 'breakdown-table' },
      el('thead', {}, el('tr', {}, ...['Group', 'Latest', 'vs prev', 'Status', 'Trend'].map((c, i) => el('th', { class: i === 1 || i === 2 ? 'num' : '', attrs: { scope: 'col' } }, c)))),
      el(
        'tbody',
        {},
        ...b.rows.map((r) =>
          el(
            'tr',
            {},
            el('td', { class: 'c-group' }, r.group === null ? el('span', { class: 'empty-group', title: 'rows where the dimension is empty' }, '(empty)') : r.group),
            el('td', { class: 'c-value num' }, formatValue(r.latest.value, k), r.latest.period && r.latest.period !== k.latest.period ? el('span', { class: 'note' }, ` (${r.latest.period})`) : null),
            el('td', { class: 'c-change num' }, changeText(r.latest, k)),
            el('td', { class: 'c-status' }, statusBadge(r.latest.status)),
            el('td', { class: 'c-trend' }, sparkline(r.series, r.latest.status, `trend of ${k.id} for ${r.group ?? 'empty'}`)),
          ),
        ),
      ),
    ),
  );
}
