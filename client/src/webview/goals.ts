import { formatBound, formatDay, formatValue, STATUS_TEXT } from '../../../server/src/engine/format';
import { percentText } from '../../../server/src/engine/goalFormat';
import type { EvalResult, GoalResult, KeyResult, KpiResult } from '../../../server/src/engine/results';
import type { Ui } from './actions';
import { el, linkButton } from './dom';
import { goalRange, RANGE_TEXT, rangePeriods } from './horizon';
import { partialPeriods } from './partial';
import { placeOf } from './problems';
import { statusMark, TRACK_TEXT, trackBadge } from './status';
import { trend, type TrendContext } from './trend';

/**
 * One card per goal: its title (a link to the definition), horizon and due date, the graded
 * attainment as a bar coloured by how the goal stands, and one line per key result with its
 * trend over the goal's range, its score and where its projection lands.
 */
export function goalCards(result: EvalResult, ui: Ui): HTMLElement | null {
  if (!result.goals.length) return null;
  const ctx: TrendContext = { partial: partialPeriods(result), locale: result.locale };
  const kpis = new Map(result.kpis.map((k) => [k.id, k]));
  return el('section', { class: 'goals', attrs: { 'aria-label': 'Goals' } }, el('h2', {}, 'Goals'), el('div', { class: 'cards' }, ...result.goals.map((g) => card(g, result, kpis, ui, ctx))));
}

/**
 * How the goal stands, for the bar's colour: its track toward the due date when it has one,
 * else its attainment graded as OKRs are (0.7 and up green, 0.4 and up yellow, below red).
 */
function standing(goal: GoalResult, percent: number | null): string {
  if (goal.track) return `t-${goal.track}`;
  if (percent === null) return 'g-none';
  return percent >= 70 ? 'g-high' : percent >= 40 ? 'g-mid' : 'g-low';
}

function card(goal: GoalResult, result: EvalResult, kpis: Map<string, KpiResult>, ui: Ui, ctx: TrendContext): HTMLElement {
  const att = goal.attainment;
  const percent = att === null ? null : Math.round(att * 100);
  const fill = el('div', { class: 'fill' });
  // A width through the CSSOM: allowed by the CSP, unlike a style attribute.
  fill.style.width = `${Math.min(100, Math.max(0, percent ?? 0))}%`;
  const file = goal.file ?? result.spec.file;
  const range = goalRange(goal, ui.state.goalRanges);
  const other = range === 'short' ? 'long' : 'short';
  const graded = goal.kpis.filter((k) => k.status !== 'no_target' && k.status !== 'no_data');
  const met = graded.filter((k) => k.status === 'met').length;
  return el(
    'article',
    { class: `goal ${standing(goal, percent)}`, attrs: { 'data-goal': goal.id, 'data-key': `goal-${goal.id}`, tabindex: -1 } },
    el(
      'div',
      { class: 'goal-head' },
      linkButton(goal.title || goal.id, () => ui.actions.reveal(placeOf({ file, ...goal.at })), { class: 'goal-title', title: `Show goal ${goal.id} in the spec` }),
      goal.horizon ? el('span', { class: 'badge', title: `horizon: ${goal.horizon}` }, goal.horizon) : null,
    ),
    el(
      'div',
      { class: 'attainment' },
      el('span', { class: 'percent' }, percentText(att, ctx.locale)),
      el('div', { class: 'bar', attrs: { role: 'progressbar', 'aria-label': 'attainment', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent ?? undefined, 'aria-valuetext': percent === null ? 'not graded' : `${percent}% attained${goal.track ? `, ${TRACK_TEXT[goal.track]}` : ''}` } }, fill),
      goal.track ? trackBadge(goal.track) : null,
    ),
    el(
      'p',
      { class: 'goal-meta' },
      percent === null ? 'no key result can be graded' : graded.length ? `${met} of ${graded.length} met` : 'no key result has a target',
      goal.due ? ` · due ${formatDay(goal.due, ctx.locale)}` : '',
      ' · ',
      el('button', { class: 'link range', title: `Show the ${RANGE_TEXT[other]} instead`, attrs: { type: 'button', 'data-key': `range-${goal.id}`, 'data-range': range }, on: { click: () => ui.actions.goalRange(goal.id, other) } }, RANGE_TEXT[range]),
    ),
    el('ul', { class: 'members' }, ...goal.kpis.map((k) => keyResult(goal, k, kpis.get(k.id), range, result, ui, ctx))),
  );
}

function keyResult(goal: GoalResult, kr: KeyResult, k: KpiResult | undefined, range: 'short' | 'long', result: EvalResult, ui: Ui, ctx: TrendContext): HTMLLIElement {
  const score = kr.score === null || kr.score === undefined ? null : Math.round(kr.score * 100);
  const why = [
    `${kr.id}: ${STATUS_TEXT[kr.status]}`,
    score !== null ? `score ${score}%` : kr.scoreNote ? `not graded: ${kr.scoreNote}` : null,
    k && kr.baseline !== undefined && kr.baseline !== null ? `from ${formatValue(kr.baseline, k, ctx.locale)}` : null,
    k && kr.target !== undefined && kr.target !== null ? `toward ${formatValue(kr.target, k, ctx.locale)}` : k?.latest.target ? `target ${formatBound(k.latest.target, k, ctx.locale)}` : null,
    k && kr.projected !== undefined && kr.projected !== null ? `projected ${formatValue(kr.projected, k, ctx.locale)}${goal.due ? ` by ${formatDay(goal.due, ctx.locale)}` : ''}` : null,
    kr.track ? TRACK_TEXT[kr.track] : null,
  ].filter((s): s is string => !!s);
  return el(
    'li',
    { class: 'key-result', title: why.join(' · ') },
    el(
      'button',
      { class: 'member', title: `Show ${kr.id}`, attrs: { type: 'button', 'data-key': `member-${goal.id}-${kr.id}` }, on: { click: () => ui.actions.select(kr.id, true) } },
      statusMark(kr.status),
      el('span', { class: 'kpi-id' }, kr.id),
      kr.weight !== 1 ? el('span', { class: 'weight' }, `×${kr.weight}`) : null,
    ),
    k ? trend(k, k.series, k.latest, ctx, { periods: rangePeriods(range, result.grain), width: 64, height: 20, lastYear: false }) : el('span'),
    el('span', { class: 'score' }, score === null ? '—' : `${score}%`),
    kr.track ? trackBadge(kr.track, true) : el('span', { class: 'track none' }),
    el('span', { class: 'sr' }, why.join('; ')),
  );
}
