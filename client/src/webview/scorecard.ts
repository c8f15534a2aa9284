import { formatValue } from '../../../server/src/engine/format';
import type { EvalResult, KpiResult } from '../../../server/src/engine/results';
import type { Ui } from './actions';
import { periodCell, statusCell, targetCell } from './cells';
import { detail } from './detail';
import { el, linkButton, type Mount } from './dom';
import { groupRows } from './groupRows';
import { partialPeriods } from './partial';
import { placeOf, problemList } from './problems';
import { chartKey } from './chartKey';
import { changeText } from './status';
import { trend, type TrendContext } from './trend';
import { yearBefore } from './yoy';

const COLUMNS = ['KPI', 'Latest', 'Period', 'vs prev', 'Target', 'Status', 'Trend'];

/**
 * The scorecard: one row per KPI, keyboard-focusable, with a compact chart; under it the KPI's
 * groups when the Breakdown control picks a dimension, and its problems. The selected KPI opens
 * a row with its full chart and breakdowns.
 */
export function scorecard(result: EvalResult, ui: Ui, mounts: Mount[]): HTMLElement {
  const ctx: TrendContext = { partial: partialPeriods(result), locale: result.locale };
  const by = ui.state.controls.by;
  const body = el('tbody');
  for (const k of result.kpis) {
    const selected = ui.state.selected === k.id;
    body.append(kpiRow(k, selected, ui, ctx));
    if (by) body.append(...groupRows(k, by, ui, ctx, COLUMNS.length));
    if (k.problems.length) body.append(el('tr', { class: 'kpi-problems', attrs: { 'data-problems-of': k.id } }, el('td', { attrs: { colspan: COLUMNS.length } }, problemList(k.problems, ui.actions, result.spec.file))));
    if (selected) body.append(el('tr', { class: 'detail-row' }, el('td', { attrs: { colspan: COLUMNS.length } }, detail(k, ui, mounts, ctx))));
  }
  return el(
    'section',
    { class: 'kpis', attrs: { 'aria-label': 'KPIs' } },
    el('h2', {}, 'KPIs', by ? el('span', { class: 'by-note' }, ' by ', el('code', {}, by)) : null),
    result.kpis.length ? chartKey({ partial: ctx.partial.size > 0, lastYear: reachesBackAYear(result) }) : null,
    result.kpis.length
      ? el('table', { class: `scorecard${by ? ' broken-down' : ''}` }, el('thead', {}, el('tr', {}, ...COLUMNS.map((c, i) => el('th', { class: i === 1 || i === 3 ? 'num' : '', attrs: { scope: 'col' } }, c)))), body)
      : el('p', { class: 'note' }, 'This spec defines no KPIs.'),
  );
}

function kpiRow(k: KpiResult, selected: boolean, ui: Ui, ctx: TrendContext): HTMLTableRowElement {
  const l = k.latest;
  const toggle = () => ui.actions.select(selected ? undefined : k.id);
  const row = el(
    'tr',
    {
      class: `kpi${selected ? ' selected' : ''}${k.problems.length ? ' has-problems' : ''}${l.through ? ' partial' : ''}`,
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
    el('td', { class: 'c-value num' }, formatValue(l.value, k, ctx.locale)),
    periodCell(l, ctx.locale),
    el('td', { class: 'c-change num' }, changeText(l, k, ctx.locale)),
    targetCell(l, k, ctx.locale),
    statusCell(l),
    el('td', { class: 'c-trend' }, trend(k, k.series, l, ctx)),
  );
  return row;
}

/** Whether the periods shown reach back far enough for some to have the same period a year before. */
function reachesBackAYear(result: EvalResult): boolean {
  const keys = new Set(result.periods.map((p) => p.key));
  return result.periods.some((p) => keys.has(yearBefore(p.key) ?? ''));
}
