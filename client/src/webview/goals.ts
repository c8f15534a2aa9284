import type { EvalResult, GoalResult } from '../../../server/src/engine/results';
import type { Ui } from './actions';
import { el, linkButton } from './dom';
import { placeOf } from './problems';
import { statusMark } from './status';

/** One card per goal: its title (a link to the definition), horizon, weighted attainment and members. */
export function goalCards(result: EvalResult, ui: Ui): HTMLElement | null {
  if (!result.goals.length) return null;
  return el('section', { class: 'goals', attrs: { 'aria-label': 'Goals' } }, el('h2', {}, 'Goals'), el('div', { class: 'cards' }, ...result.goals.map((g) => card(g, result, ui))));
}

function card(goal: GoalResult, result: EvalResult, ui: Ui): HTMLElement {
  const att = goal.attainment;
  const percent = att === null ? null : Math.round(att * 100);
  const fill = el('div', { class: 'fill' });
  // A width through the CSSOM: allowed by the CSP, unlike a style attribute.
  fill.style.width = `${percent ?? 0}%`;
  const file = goal.file ?? result.spec.file;
  return el(
    'article',
    { class: 'goal', attrs: { 'data-goal': goal.id } },
    el(
      'div',
      { class: 'goal-head' },
      linkButton(goal.title || goal.id, () => ui.actions.reveal(placeOf({ file, ...goal.at })), { class: 'goal-title', title: `Show goal ${goal.id} in the spec` }),
      goal.horizon ? el('span', { class: 'badge' }, goal.horizon) : null,
    ),
    el(
      'div',
      { class: 'attainment' },
      el('span', { class: 'percent' }, percent === null ? '—' : `${percent}%`),
      el('div', { class: 'bar', attrs: { role: 'progressbar', 'aria-label': 'attainment', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent ?? undefined, 'aria-valuetext': percent === null ? 'no KPI with a target' : `${percent}% attained` } }, fill),
    ),
    percent === null ? el('p', { class: 'note' }, 'no KPI with a target') : null,
    el(
      'ul',
      { class: 'members' },
      ...goal.kpis.map((k) =>
        el(
          'li',
          {},
          el(
            'button',
            { class: 'member', title: `Show ${k.id}`, attrs: { type: 'button', 'data-key': `member-${goal.id}-${k.id}` }, on: { click: () => ui.actions.select(k.id, true) } },
            statusMark(k.status),
            el('span', { class: 'kpi-id' }, k.id),
            k.weight !== 1 ? el('span', { class: 'weight' }, `×${k.weight}`) : null,
          ),
        ),
      ),
    ),
  );
}
