import { formatChange, STATUS_MARK, STATUS_TEXT } from '../../../server/src/engine/format';
import type { KpiResult, Latest, Status, Track } from '../../../server/src/engine/results';
import { el } from './dom';

/** A status as colour, a mark and words, so it reads without colour (and in high contrast). */
export function statusBadge(status: Status): HTMLElement {
  return el('span', { class: `status s-${status}` }, el('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, STATUS_MARK[status]), STATUS_TEXT[status]);
}

/** A status mark alone (goal members); the words stay for screen readers and the tooltip. */
export function statusMark(status: Status): HTMLElement {
  return el('span', { class: `status-mark s-${status}`, title: STATUS_TEXT[status] }, el('span', { attrs: { 'aria-hidden': 'true' } }, STATUS_MARK[status]), el('span', { class: 'sr' }, STATUS_TEXT[status]));
}

export const TRACK_TEXT: Record<Track, string> = { on_track: 'on track', at_risk: 'at risk', off_track: 'off track' };
const TRACK_MARK: Record<Track, string> = { on_track: '✔', at_risk: '▲', off_track: '✖' };

/** Where a projection lands at the due date, as a mark and words. */
export function trackBadge(track: Track, compact = false): HTMLElement {
  return el(
    'span',
    { class: `track t-${track}${compact ? ' compact' : ''}`, title: TRACK_TEXT[track] },
    el('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, TRACK_MARK[track]),
    compact ? el('span', { class: 'sr' }, TRACK_TEXT[track]) : TRACK_TEXT[track],
  );
}

/** On a partial period: whether the value so far keeps pace with the pro-rated target. */
export function paceBadge(pace: NonNullable<Latest['pace']>): HTMLElement {
  const on = pace === 'on_pace';
  return el('span', { class: `pace ${on ? 'on' : 'behind'}`, title: on ? 'so far at least the pro-rated target' : 'so far below the pro-rated target' }, on ? 'on pace' : 'behind pace');
}

type Shape = Pick<KpiResult, 'format' | 'currency' | 'decimals' | 'direction'>;

/**
 * The change against the previous period: an arrow, the CLI's text, and good or bad by the
 * KPI's direction. A change that shows as zero gets neither arrow nor colour. On a partial
 * period it says how it compared: the same days of the previous period, or not at all.
 */
export function changeText(latest: Latest, kpi: Shape, locale?: string): HTMLElement {
  const { change } = latest;
  if (latest.compared === 'none') {
    return el('span', { class: 'change none', title: latest.comparedNote ?? 'no like-for-like comparison for a partial period' }, '—', el('span', { class: 'compared' }, ' no like-for-like'));
  }
  const sameDays = latest.compared === 'same_days' ? el('span', { class: 'compared', title: 'compared with the same number of days at the start of the previous period' }, ' same days') : null;
  if (change === null) return el('span', { class: 'change' }, '—');
  const text = formatChange(change, latest.changeRatio, kpi, locale);
  // `±0.0 pp`, `+0.0%`, `−¥0.00`: no digit but zeros is no change as far as the reader can see.
  if (change === 0 || !/[1-9]/.test(text)) return el('span', { class: 'change flat', title: 'unchanged' }, formatChange(0, latest.changeRatio === null ? null : 0, kpi, locale), sameDays);
  const better = (change > 0) === (kpi.direction === 'up');
  return el(
    'span',
    { class: `change ${better ? 'good' : 'bad'}`, title: better ? 'better than the period before' : 'worse than the period before' },
    el('span', { attrs: { 'aria-hidden': 'true' } }, (change > 0 ? '↑' : '↓') + ' '),
    text,
    el('span', { class: 'sr' }, better ? ' (better)' : ' (worse)'),
    sameDays,
  );
}
