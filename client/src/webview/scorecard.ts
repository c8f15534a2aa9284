import { formatBound, formatValue } from '../../../server/src/engine/format';
import type { EvalResult, KpiResult } from '../../../server/src/engine/results';
import type { Ui } from './actions';
import { detail } from './detail';
import { el, linkButton, type Mount } from './dom';
import { placeOf, problemList } from './problems';
import { sparkline } from './sparkline';
import { changeText, statusBadge } from './status';

const COLUMNS = ['KPI', 'Latest', 'Period', 'vs prev', 'Target', 'Status', 'Trend'];

/**
 * The scorecard: one row per KPI, keyboard-focusable; the selected KPI opens a row with its chart
 * and breakdowns below it, and a KPI's problems sit right under its row.
 */
export function scorecard(result: EvalResult, ui: Ui, mounts: Mount[]): HTMLElement {
  const body = el('tbody');
  for (const k of result.kpis) {
    const selected = ui.state.selected === k.id;
    body.append(kpiRow(k, selected, ui));
    if (k.problems.length) body.append(el('tr', { class: 'kpi-problems', attrs: { 'data-problems-of': k.id } }, el('td', { attrs: { colspan: COLUMNS.length } }, problemList(k.problems, ui.actions, result.spec.file))));
    if (selected) body.append(el('tr', { class: 'detail-row' }, el('td', { attrs: { colspan: COLUMNS.length } }, detail(k, ui, mounts))));
  }
  return el(
    'section',
    { class: 'kpis', attrs: { 'aria-label': 'KPIs' } },
    el('h2', {}, 'KPIs'),
    result.kpis.length
      ? el('table', { class: 'scorecard' }, el('thead', {}, el('tr', {}, ...COLUMNS.map((c, i) => el('th', { class: i === 1 || i === 3 ? 'num' : '', attrs: { scope: 'col' } }, c)))), body)
      : el('p', { class: 'note' }, 'This spec defines no KPIs.'),
  );
}

function kpiRow(k: KpiResult, selected: boolean, ui: Ui): HTMLTableRowElement {
  const l = k.latest;
  const toggle = () => ui.actions.select(selected ? undefined : k.id);
  const row = el(
    'tr',
    {
      class: `kpi${selected ? ' selected' : ''}${k.problems.length ? ' has-problems' : ''}`,
      title: k.description,
      attrs: { tabindex: 0, 'data-kpi': k.id, 'data-key': `row-${k.id}`, 'aria-expanded': String(selected) },
      on: {
        click: toggle,
        keydown: (e) => {
          // Only the row's own keys: Enter on the id's button inside reveals instead.
          if (e.target !== row || (e.key !== 'Enter' && e.key !== ' ')) return;
          e.preventDefault();
          toggle();
        },
      },
    },
    el(
      'td',
      { class: 'c-kpi' },
      k.title ? el('span', { class: 'title' }, k.title) : null,
      linkButton(k.id, () => ui.actions.reveal(placeOf({ file: k.file, ...k.at })), { class: k.title ? 'kpi-id' : 'kpi-id only', title: `Show ${k.id} in the spec`, attrs: { 'data-key': `id-${k.id}` } }),
    ),
    el('td', { class: 'c-value num' }, formatValue(l.value, k)),
    el('td', { class: 'c-period' }, l.period ?? '—'),
    el('td', { class: 'c-change num' }, changeText(l, k)),
    el('td', { class: 'c-target' }, formatBound(l.target, k)),
    el('td', { class: 'c-status' }, statusBadge(l.status)),
    el('td', { class: 'c-trend' }, sparkline(k.series, l.status, `trend of ${k.id}`)),
  );
  return row;
}
