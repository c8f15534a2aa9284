import { formatValue } from '../../../server/src/engine/format';
import type { KpiResult } from '../../../server/src/engine/results';
import type { Ui } from './actions';
import { periodCell, statusCell, targetCell } from './cells';
import { el } from './dom';
import { changeText } from './status';
import { trend, type TrendContext } from './trend';

/** Groups listed under a KPI's row; the rest are one click away in the KPI's detail. */
export const GROUPS_SHOWN = 12;

/**
 * The rows under a KPI when the Breakdown control picks a dimension: one per group, with the
 * same columns as the KPI (the period only where it differs). A KPI that cannot be broken down
 * by it has none; its problems, right below, say why.
 */
export function groupRows(k: KpiResult, by: string, ui: Ui, ctx: TrendContext, columns: number): HTMLTableRowElement[] {
  const b = k.breakdowns.find((x) => x.dimension === by);
  if (!b) return [];
  const rows = b.rows.slice(0, GROUPS_SHOWN).map((r) => {
    const name = r.group ?? '(empty)';
    return el(
      'tr',
      { class: 'group-row', attrs: { 'data-group-of': k.id, 'data-group': name } },
      el('td', { class: 'c-kpi c-group' }, r.group === null ? el('span', { class: 'empty-group', title: 'rows where the dimension is empty' }, name) : name),
      el('td', { class: 'c-value num' }, formatValue(r.latest.value, k, ctx.locale)),
      periodCell(r.latest, ctx.locale, k.latest.period),
      el('td', { class: 'c-change num' }, changeText(r.latest, k, ctx.locale)),
      targetCell(r.latest, k, ctx.locale),
      statusCell(r.latest),
      el('td', { class: 'c-trend' }, trend(k, r.series, r.latest, ctx, { who: `${by} ${name}` })),
    );
  });
  const more = b.rows.length - GROUPS_SHOWN;
  if (more > 0) {
    rows.push(
      el('tr', { class: 'group-row more', attrs: { 'data-group-of': k.id } },
        el('td', { attrs: { colspan: columns } },
          el('button', { class: 'link', attrs: { type: 'button', 'data-key': `more-${k.id}` }, on: { click: (e) => { e.stopPropagation(); ui.actions.select(k.id, true); } } }, `${more} more group${more > 1 ? 's' : ''}: open ${k.id}`))),
    );
  }
  if (!b.rows.length) rows.push(el('tr', { class: 'group-row none', attrs: { 'data-group-of': k.id } }, el('td', { class: 'note', attrs: { colspan: columns } }, `no ${by} has data`)));
  return rows;
}
