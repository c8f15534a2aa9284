import { formatChange, STATUS_MARK, STATUS_TEXT } from '../../../server/src/engine/format';
import type { KpiResult, Latest, Status } from '../../../server/src/engine/results';
import { el } from './dom';

/** A status as colour, a mark and words, so it reads without colour (and in high contrast). */
export function statusBadge(status: Status): HTMLElement {
  return el('span', { class: `status s-${status}` }, el('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, STATUS_MARK[status]), STATUS_TEXT[status]);
}

/** A status mark alone (goal members); the words stay for screen readers and the tooltip. */
export function statusMark(status: Status): HTMLElement {
  return el('span', { class: `status-mark s-${status}`, title: STATUS_TEXT[status] }, el('span', { attrs: { 'aria-hidden': 'true' } }, STATUS_MARK[status]), el('span', { class: 'sr' }, STATUS_TEXT[status]));
}

type Shape = Pick<KpiResult, 'format' | 'currency' | 'decimals' | 'direction'>;

/** The change against the previous period: an arrow, the CLI's text, and good or bad by the KPI's direction. */
export function changeText(latest: Latest, kpi: Shape): HTMLElement {
  const { change } = latest;
  if (change === null) return el('span', { class: 'change' }, '—');
  const better = change === 0 ? undefined : (change > 0) === (kpi.direction === 'up');
  const arrow = change > 0 ? '↑' : change < 0 ? '↓' : '→';
  const judged = better === undefined ? 'flat' : better ? 'good' : 'bad';
  return el(
    'span',
    { class: `change ${judged}`, title: better === undefined ? 'unchanged' : better ? 'better than the period before' : 'worse than the period before' },
    el('span', { attrs: { 'aria-hidden': 'true' } }, arrow + ' '),
    formatChange(change, latest.changeRatio, kpi),
    better === undefined ? null : el('span', { class: 'sr' }, better ? ' (better)' : ' (worse)'),
  );
}
