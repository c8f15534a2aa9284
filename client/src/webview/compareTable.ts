import { changeLines } from '../../../server/src/cli/diffFormat/describe';
import type { Change, Entry } from '../../../server/src/diff/result';
import { el } from './dom';
import { statusBadge } from './status';

/**
 * The compare view's table of KPIs to review: each KPI by title and id, what changed as old →
 * new (a target's steps, a formula), its latest value before and after (once when unchanged) and
 * its status before and after.
 */
export function kpiTable(entries: Entry[], open: (e: Entry) => HTMLElement): HTMLElement {
  const head = el('tr', {}, ...['KPI', 'what changed', 'latest value', 'status'].map((h, i) => el('th', { class: i === 2 ? 'num' : '', attrs: { scope: 'col' } }, h)));
  const rows = entries.map((e) =>
    el(
      'tr',
      { class: 'kpi', attrs: { 'data-kpi': e.id } },
      el('td', { class: 'c-kpi' }, e.title ? el('span', { class: 'title' }, e.title) : null, open(e)),
      el('td', { class: 'c-what' }, ...whatChanged(e)),
      valueCell(e),
      statusCell(e),
    ),
  );
  return el('table', { class: 'diff-table' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function whatChanged(e: Entry): Node[] {
  switch (e.change) {
    case 'added':
      return [el('span', { class: 'what added' }, 'added')];
    case 'removed':
      return [el('span', { class: 'what removed' }, 'removed')];
    case 'affected':
      return [el('span', { class: 'what' }, 'through '), el('code', {}, e.path!.slice(1).join(' ← '))];
    case 'renamed':
      return [el('div', { class: 'aspect' }, 'renamed from ', el('code', {}, e.oldId!)), ...e.changes.map(aspect)];
    default:
      return e.changes.map(aspect);
  }
}

/** One aspect as old → new; a list-like one (target steps, `by`) item by item. */
function aspect(c: Change): HTMLElement {
  // An undated target or warn is one step keyed `always`: old → new in one line.
  const only = c.items?.length === 1 && c.items[0]!.key === 'always' ? c.items[0]! : undefined;
  if (only) return el('div', { class: 'aspect', attrs: { 'data-aspect': c.aspect } }, el('span', { class: 'label' }, `${c.aspect}: `), oldNew(only.before, only.after));
  if (c.items?.length) {
    return el('div', { class: 'aspect', attrs: { 'data-aspect': c.aspect } }, el('span', { class: 'label' }, `${c.aspect}: `), ...c.items.map((i) => el('div', { class: 'item' }, el('span', { class: 'label' }, `${i.key} `), oldNew(i.before, i.after))));
  }
  // Same words as `kpispec diff` where there are no sides to show.
  if (c.before === undefined && c.after === undefined) return el('div', { class: 'aspect' }, changeLines(c, (s) => s).line);
  return el('div', { class: 'aspect', attrs: { 'data-aspect': c.aspect } }, el('span', { class: 'label' }, `${c.aspect}: `), oldNew(c.before, c.after));
}

function oldNew(before: string | undefined, after: string | undefined): HTMLElement {
  return el(
    'span',
    { class: 'old-new' },
    before === undefined ? el('span', { class: 'none' }, '(none)') : el('del', { class: 'old' }, el('code', {}, before)),
    el('span', { class: 'arrow', attrs: { 'aria-label': 'becomes' } }, ' → '),
    after === undefined ? el('span', { class: 'none' }, '(none)') : el('ins', { class: 'new' }, el('code', {}, after)),
  );
}

function valueCell(e: Entry): HTMLElement {
  const b = e.impact?.before;
  const a = e.impact?.after;
  if (!b && !a) return el('td', { class: 'num' }, '—');
  if (b && a && b.text === a.text) return el('td', { class: 'num' }, a.text, el('span', { class: 'note' }, ' unchanged'));
  return el('td', { class: 'num' }, b ? el('span', { class: 'old' }, b.text) : '—', ' → ', a ? el('span', { class: 'new' }, a.text) : '—');
}

function statusCell(e: Entry): HTMLElement {
  const i = e.impact;
  const cell = el('td', { class: 'c-status' });
  if (i?.before) cell.append(statusBadge(i.before.status));
  if (i?.before && i.after && i.before.status !== i.after.status) cell.append(' → ');
  if (i?.after && (!i.before || i.before.status !== i.after.status)) cell.append(statusBadge(i.after.status));
  return cell;
}
