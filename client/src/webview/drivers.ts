import { formatValue } from '../../../server/src/engine/format';
import type { KpiResult } from '../../../server/src/engine/results';
import type { DimensionParts, Explanation, GroupPart, InputPart } from '../../../server/src/explain/model';
import { formatDelta, formatShare } from '../../../server/src/explain/wording';
import type { ExplainResult } from '../../../server/src/protocol';
import type { DriversChoice } from '../preview/messages';
import type { Ui } from './actions';
import { el } from './dom';
import { explainStore } from './explainStore';
import { partialText } from './partial';

/** Groups (or inputs) drawn per chart, the largest parts; the rest share one row, as in `kpispec explain`. */
const SHOWN = 12;

type Shape = ExplainResult['kpi'];

/**
 * Why the selected KPI moved (docs/explain.md): a period picker, the change and the sentence
 * naming its top drivers, then a chart per breakdown dimension: one horizontal bar per group,
 * its part of the change from a zero line, ranked. A ratio's bar is its rate effect (solid)
 * and its mix effect (striped), with a tick at their sum; any other formula's change split over
 * its inputs is one chart of its own. Green moves the KPI the way its `direction` wants, red
 * the other way. The explanation comes from the host (explainStore.ts); every string from the
 * spec or the data is a text node.
 */
export function drivers(k: KpiResult, ui: Ui, locale?: string): HTMLElement {
  const grain = ui.state.controls.grain ?? '';
  const saved = ui.state.drivers;
  const choice: DriversChoice = { grain, vs: saved?.vs ?? 'prev', ...(saved?.grain === grain && saved.period ? { period: saved.period } : {}) };
  const asked = explainStore.get(k.id, choice);
  const shown = asked.state === 'ready' ? asked.answer ?? undefined : asked.state === 'loading' ? asked.previous : undefined;
  const body: (HTMLElement | null)[] = [];
  if (asked.state === 'failed') body.push(el('p', { class: 'note drivers-error', attrs: { role: 'alert' } }, `The change could not be explained: ${asked.error ?? 'unknown error'}`));
  else if (asked.state === 'ready' && !asked.answer) body.push(el('p', { class: 'note' }, 'Nothing to explain here.'));
  else if (!shown) body.push(el('p', { class: 'note drivers-loading' }, 'Working out why it moved…'));
  if (shown && asked.state !== 'failed') body.push(explained(shown, locale, asked.state === 'loading'));
  return el(
    'section',
    { class: 'drivers', attrs: { 'data-drivers': k.id, 'aria-label': `Why ${k.id} moved`, 'aria-busy': String(asked.state === 'loading') } },
    el('div', { class: 'drivers-head' }, el('h4', {}, 'Why it moved'), pickers(k, ui, choice, shown)),
    ...body,
  );
}

/** The period explained (the latest complete one by default) and what it is compared with. */
function pickers(k: KpiResult, ui: Ui, choice: DriversChoice, shown: ExplainResult | undefined): HTMLElement {
  const periods = [...(shown?.periods ?? [])].reverse();
  if (choice.period && !periods.some((p) => p.key === choice.period)) periods.unshift({ key: choice.period });
  const pick = (next: Partial<DriversChoice>) => ui.actions.drivers({ ...choice, ...next, grain: choice.grain });
  const period = el(
    'select',
    {
      attrs: { name: 'drivers-period', 'data-key': `drivers-period-${k.id}`, 'aria-label': 'Period explained' },
      on: { change: (e) => { const v = (e.target as HTMLSelectElement).value; pick({ period: v || undefined }); } },
    },
    el('option', { attrs: { value: '', selected: !choice.period } }, shown && !choice.period && shown.explanation.period ? `${shown.explanation.period} (latest complete)` : 'latest complete period'),
    ...periods.map((p) => el('option', { attrs: { value: p.key, selected: p.key === choice.period } }, p.through ? `${p.key} (${partialText(p.through, shown?.locale)})` : p.key)),
  );
  const vs = el(
    'select',
    {
      attrs: { name: 'drivers-vs', 'data-key': `drivers-vs-${k.id}`, 'aria-label': 'Compared with' },
      on: { change: (e) => pick({ vs: (e.target as HTMLSelectElement).value === 'yoy' ? 'yoy' : 'prev' }) },
    },
    el('option', { attrs: { value: 'prev', selected: choice.vs === 'prev' } }, 'the period before'),
    el('option', { attrs: { value: 'yoy', selected: choice.vs === 'yoy' } }, 'the same period a year before'),
  );
  return el('div', { class: 'drivers-pickers' }, el('label', {}, el('span', { class: 'label' }, 'Period '), period), el('label', {}, el('span', { class: 'label' }, 'vs '), vs));
}

/** The change, the sentence, the method, a chart per dimension (or one of the inputs) and the notes. */
function explained(answer: ExplainResult, locale: string | undefined, stale: boolean): HTMLElement {
  const x = answer.explanation;
  const k = answer.kpi;
  const scale = Math.max(Math.abs(x.value ?? 0), Math.abs(x.baseValue ?? 0));
  const parts: (HTMLElement | null)[] = [];
  if (x.change !== null) {
    parts.push(el(
      'p',
      { class: 'drivers-change' },
      el('span', { class: 'periods' }, `${x.period} vs ${x.base}${x.vs === 'yoy' ? ' (a year before)' : ''}: `),
      `${formatValue(x.baseValue, k, locale)} → ${formatValue(x.value, k, locale)} `,
      el('strong', { class: `delta ${tone(x.change, k)}` }, formatDelta(x.change, k, locale, scale)),
    ));
  }
  parts.push(el('p', { class: 'drivers-summary' }, x.summary));
  if (x.change !== null) parts.push(el('p', { class: 'note drivers-method' }, method(x)));
  if (x.change !== null && (x.dimensions.length || x.inputs)) parts.push(legend(x, k));
  for (const d of x.dimensions) parts.push(dimensionChart(d, x, k, locale, scale));
  if (x.inputs && !x.dimensions.length) parts.push(inputChart(x.inputs.inputs, x.inputs.residual, x, k, locale, scale));
  if (x.notes.length) parts.push(el('ul', { class: 'note drivers-notes' }, ...x.notes.map((n) => el('li', {}, n))));
  return el('div', { class: `drivers-body${stale ? ' stale' : ''}`, attrs: stale ? { title: 'Updating…' } : {} }, ...parts);
}

function method(x: Explanation): string {
  if (x.kind === 'ratio' && x.ratio) {
    return `A ratio, (${x.ratio.numerator}) / (${x.ratio.denominator}): each group's part is its rate effect (its own ratio moved) plus its mix effect (its share of ${x.ratio.denominator} moved, against the average).`;
  }
  if (x.kind === 'additive') return x.dimensions.length ? "A sum: each group's part is its own change." : "A sum, split over its formula's inputs.";
  return "Not a sum or a ratio of sums: the change is split over the formula's inputs (each input's average effect, Shapley values).";
}

function legend(x: Explanation, k: Shape): HTMLElement {
  const up = k.direction === 'up';
  return el(
    'p',
    { class: 'drivers-legend note' },
    el('span', { class: 'key' }, el('span', { class: 'swatch good', attrs: { 'aria-hidden': 'true' } }), up ? 'raised it (good)' : 'lowered it (good)'),
    el('span', { class: 'key' }, el('span', { class: 'swatch bad', attrs: { 'aria-hidden': 'true' } }), up ? 'lowered it' : 'raised it'),
    x.kind === 'ratio' ? el('span', { class: 'key' }, el('span', { class: 'swatch rate', attrs: { 'aria-hidden': 'true' } }), 'rate effect') : null,
    x.kind === 'ratio' ? el('span', { class: 'key' }, el('span', { class: 'swatch mix', attrs: { 'aria-hidden': 'true' } }), 'mix effect') : null,
    x.kind === 'ratio' ? el('span', { class: 'key' }, el('span', { class: 'swatch net', attrs: { 'aria-hidden': 'true' } }), 'their sum') : null,
  );
}

/** A bar's pieces: from, to, and what they are. */
interface Piece {
  from: number;
  to: number;
  kind: 'part' | 'rate' | 'mix' | 'total';
}

interface Row {
  label: string;
  /** A second line, in pieces that wrap apart: the values before and after (and a ratio's shares). */
  detail?: string[];
  empty?: boolean;
  code?: boolean;
  cls?: string;
  contribution: number | null;
  rate?: number;
  mix?: number;
  pieces: Piece[];
  net?: number;
}

/** Rate then mix, stacked when they go the same way, each from zero when they do not. */
function ratioPieces(rate: number, mix: number): Piece[] {
  if (rate === 0 || mix === 0 || Math.sign(rate) === Math.sign(mix)) return [{ from: 0, to: rate, kind: 'rate' }, { from: rate, to: rate + mix, kind: 'mix' }];
  return [{ from: 0, to: rate, kind: 'rate' }, { from: 0, to: mix, kind: 'mix' }];
}

function groupRow(g: GroupPart, ratio: boolean, k: Shape, locale: string | undefined): Row {
  const values = `${g.before === null ? 'nothing' : formatValue(g.before, k, locale)} → ${g.after === null ? 'nothing' : formatValue(g.after, k, locale)}`;
  const share = ratio ? [`share ${formatShare(g.shareBefore ?? 0, locale)} → ${formatShare(g.shareAfter ?? 0, locale)}`] : [];
  const base = { label: g.group ?? '(empty)', empty: g.group === null, detail: [values, ...share], contribution: g.contribution };
  if (!ratio) return { ...base, pieces: [{ from: 0, to: g.contribution, kind: 'part' }] };
  return { ...base, rate: g.rate ?? 0, mix: g.mix ?? 0, pieces: ratioPieces(g.rate ?? 0, g.mix ?? 0), net: g.contribution };
}

function dimensionChart(d: DimensionParts, x: Explanation, k: Shape, locale: string | undefined, scale: number): HTMLElement {
  const ratio = x.kind === 'ratio';
  // Groups without data in either period are left out, as in the CLI's table.
  const groups = d.groups.filter((g) => g.before !== null || g.after !== null || g.contribution !== 0);
  const rows = groups.slice(0, SHOWN).map((g) => groupRow(g, ratio, k, locale));
  const rest = groups.slice(SHOWN);
  if (rest.length) {
    const sum = (f: (g: GroupPart) => number) => rest.reduce((s, g) => s + f(g), 0);
    const part = sum((g) => g.contribution);
    const rate = sum((g) => g.rate ?? 0);
    const mix = sum((g) => g.mix ?? 0);
    rows.push({ label: `${rest.length} more group${rest.length > 1 ? 's' : ''}`, cls: 'rest', contribution: part, ...(ratio ? { rate, mix, net: part, pieces: ratioPieces(rate, mix) } : { pieces: [{ from: 0, to: part, kind: 'part' }] }) });
  }
  if (Math.abs(d.residual) > 1e-9 * Math.max(1, scale)) rows.push({ label: 'not split (residual)', cls: 'residual', contribution: d.residual, pieces: [{ from: 0, to: d.residual, kind: 'part' }] });
  rows.push({ label: 'total', cls: 'total', contribution: x.change, pieces: [{ from: 0, to: x.change ?? 0, kind: 'total' }] });
  return chart({ title: ['by ', el('code', {}, d.dimension)], attrs: { 'data-dimension': d.dimension }, rows, ratio, k, locale, scale });
}

function inputChart(inputs: InputPart[], residual: number, x: Explanation, k: Shape, locale: string | undefined, scale: number): HTMLElement {
  const rows: Row[] = inputs.slice(0, SHOWN).map((i) => ({
    label: i.input,
    code: true,
    detail: [i.kind === 'kpi' ? 'KPI' : 'metric', `${i.before === null ? 'nothing' : formatValue(i.before, i, locale)} → ${i.after === null ? 'nothing' : formatValue(i.after, i, locale)}`],
    contribution: i.contribution,
    pieces: i.contribution === null ? [] : [{ from: 0, to: i.contribution, kind: 'part' as const }],
  }));
  if (Math.abs(residual) > 1e-9 * Math.max(1, scale)) rows.push({ label: 'not split (residual)', cls: 'residual', contribution: residual, pieces: [{ from: 0, to: residual, kind: 'part' }] });
  rows.push({ label: 'total', cls: 'total', contribution: x.change, pieces: [{ from: 0, to: x.change ?? 0, kind: 'total' }] });
  return chart({ title: ['by formula input'], attrs: { 'data-inputs': '' }, rows, ratio: false, k, locale, scale });
}

/** The table: one row per group, a bar from the zero line, the part in words; its scale is the chart's own. */
function chart(c: { title: (string | HTMLElement)[]; attrs: Record<string, string>; rows: Row[]; ratio: boolean; k: Shape; locale?: string; scale: number }): HTMLElement {
  const ends = c.rows.flatMap((r) => [...r.pieces.flatMap((p) => [p.from, p.to]), r.net ?? 0]);
  const lo = Math.min(0, ...ends);
  const hi = Math.max(0, ...ends);
  const at = (v: number) => (hi > lo ? ((v - lo) / (hi - lo)) * 100 : 0);
  const delta = (v: number) => formatDelta(v, c.k, c.locale, c.scale);
  return el(
    'div',
    { class: 'driver-chart', attrs: c.attrs },
    el('h5', {}, ...c.title),
    el(
      'table',
      { class: 'driver-table' },
      el('colgroup', {}, el('col', { class: 'col-label' }), el('col', { class: 'col-bar' }), el('col', { class: 'col-part' })),
      el('thead', {}, el('tr', {}, el('th', { attrs: { scope: 'col' } }, 'Group'), el('th', { class: 'c-bar', attrs: { scope: 'col' } }, c.ratio ? 'rate + mix' : 'part of the change'), el('th', { class: 'num', attrs: { scope: 'col' } }, 'part'))),
      el(
        'tbody',
        {},
        ...c.rows.map((r) => {
          const split = r.rate !== undefined && r.mix !== undefined ? `rate ${delta(r.rate)} · mix ${delta(r.mix)}` : undefined;
          const words = [`${r.label}: ${r.contribution === null ? 'no defined part' : delta(r.contribution)}`, split, r.detail?.join(' · ')].filter(Boolean).join('; ');
          // Under the part, the split without its unit (the part above has it): `rate −0.20 · mix +0.03`.
          const short = split?.replace(/ pp\b/g, '');
          const track = el('div', { class: 'bar-track', attrs: { 'aria-hidden': 'true' } });
          const zero = el('div', { class: 'bar-zero' });
          zero.style.left = `${at(0)}%`;
          track.append(zero);
          for (const p of r.pieces) {
            const a = Math.min(p.from, p.to);
            const b = Math.max(p.from, p.to);
            if (b - a <= 0) continue;
            const seg = el('div', { class: `bar ${p.kind} ${p.kind === 'total' ? tone(p.to, c.k) : tone(p.to - p.from, c.k)}` });
            seg.style.left = `${at(a)}%`;
            seg.style.width = `${at(b) - at(a)}%`;
            track.append(seg);
          }
          // Rate and mix going opposite ways are drawn apart from zero: a tick marks their sum.
          const apart = r.rate !== undefined && r.mix !== undefined && Math.sign(r.rate) * Math.sign(r.mix) < 0 && Math.abs(at(r.rate) - at(0)) > 1 && Math.abs(at(r.mix) - at(0)) > 1;
          if (r.net !== undefined && apart) {
            const tick = el('div', { class: 'bar-net' });
            tick.style.left = `${at(r.net)}%`;
            track.append(tick);
          }
          return el(
            'tr',
            { class: `driver-row${r.cls ? ` ${r.cls}` : ''}`, title: words, attrs: r.cls ? {} : { 'data-group': r.label } },
            el('td', { class: 'c-label' }, r.code ? el('code', { class: 'group' }, r.label) : el('span', { class: `group${r.empty ? ' empty-group' : ''}` }, r.label), r.detail ? el('span', { class: 'sub' }, ...r.detail.flatMap((d, i) => [i ? ' · ' : null, el('span', { class: 'chunk' }, d)])) : null),
            el('td', { class: 'c-bar' }, track),
            el('td', { class: 'c-part num' }, el('span', { class: `part ${r.contribution === null ? '' : tone(r.contribution, c.k)}` }, r.contribution === null ? '—' : delta(r.contribution)), short ? el('span', { class: 'sub' }, short) : null),
          );
        }),
      ),
    ),
  );
}

/** `good` when `v` moves the KPI the way it should go, `bad` the other way, `flat` for none. */
function tone(v: number, k: Shape): string {
  if (v === 0) return 'flat';
  return (v > 0) === (k.direction === 'up') ? 'good' : 'bad';
}
