import { formatBound } from '../../../server/src/engine/format';
import type { KpiResult, Latest } from '../../../server/src/engine/results';
import { el } from './dom';
import { partialMarker } from './partial';
import { paceBadge, statusBadge } from './status';

type Shape = Pick<KpiResult, 'format' | 'currency' | 'decimals' | 'direction'>;

/** The cells a KPI row and a group row share: period, target and status, partial periods included. */

/** The period, and on a partial one how far the data goes; blank for a group in the KPI's own period (`hideSame`). */
export function periodCell(latest: Latest, locale?: string, hideSame?: string): HTMLTableCellElement {
  // A group in the KPI's own period says nothing new: its period and marker are the KPI's.
  if (hideSame !== undefined && latest.period === hideSame) return el('td', { class: 'c-period' });
  return el('td', { class: 'c-period' }, latest.period ?? '—', latest.through ? partialMarker(latest.through, locale) : null);
}

/**
 * The target in force at the shown grain; on a partial period also the pro-rated one it is
 * judged against; where a declared target has no honest conversion, why there is no verdict.
 */
export function targetCell(latest: Latest, k: Shape, locale?: string): HTMLTableCellElement {
  return el(
    'td',
    { class: 'c-target' },
    latest.noTarget ? el('span', { class: 'no-target', title: latest.noTarget }, 'n/a at this grain') : formatBound(latest.target, k, locale),
    latest.noTarget ? el('span', { class: 'sr' }, `: ${latest.noTarget}`) : null,
    latest.paceTarget ? el('span', { class: 'pace-target', title: 'the target pro-rated to the days the data covers' }, `to date ${formatBound(latest.paceTarget, k, locale)}`) : null,
  );
}

export function statusCell(latest: Latest): HTMLTableCellElement {
  return el('td', { class: 'c-status' }, statusBadge(latest.status), latest.pace ? paceBadge(latest.pace) : null);
}
