import type { EvalResult } from '../../../server/src/engine/results';
import type { PreviewControls, PreviewGrain } from '../preview/messages';
import type { Ui } from './actions';
import { el } from './dom';
import { viewSwitch } from './lineage';

const GRAINS: PreviewGrain[] = ['day', 'week', 'month', 'quarter', 'year'];
const LASTS = [3, 6, 12, 24];

/** Grain, range and breakdown pickers, the lock toggle and the exports. Each change posts the whole controls object. */
export function controlsBar(result: EvalResult, ui: Ui): HTMLElement {
  const { controls, locked } = ui.state;
  const change = (patch: Partial<PreviewControls>) => {
    const next: PreviewControls = { ...controls, ...patch };
    // `undefined` means the spec's own choice; leave such keys out of the message.
    for (const key of Object.keys(next) as (keyof PreviewControls)[]) if (next[key] === undefined) delete next[key];
    ui.actions.controls(next);
  };

  const grain = picker('grain', 'Grain', controls.grain ?? '', [['', `spec default${controls.grain ? '' : ` (${result.grain})`}`], ...GRAINS.map((g) => [g, g] as [string, string])], (v) =>
    change({ grain: (v || undefined) as PreviewGrain | undefined }),
  );
  const lasts = controls.last !== undefined && !LASTS.includes(controls.last) ? [...LASTS, controls.last].sort((a, b) => a - b) : LASTS;
  const range = picker('last', 'Range', controls.last === undefined ? '' : String(controls.last), [['', 'all periods'], ...lasts.map((n) => [String(n), `last ${n} periods`] as [string, string])], (v) =>
    change({ last: v ? Number(v) : undefined }),
  );
  const dims = [...new Set(result.sources.flatMap((s) => s.dimensions ?? []))];
  if (controls.by && !dims.includes(controls.by)) dims.push(controls.by);
  const by = picker('by', 'Breakdown', controls.by ?? '', [['', "each KPI's own"], ...dims.map((d) => [d, d] as [string, string])], (v) => change({ by: v || undefined }));

  const lock = el(
    'button',
    {
      class: `toggle${locked ? ' on' : ''}`,
      title: locked ? 'Locked to this spec: click to follow the active editor' : 'Follows the active editor: click to lock to this spec',
      attrs: { type: 'button', 'aria-pressed': String(locked), 'data-key': 'lock' },
      on: { click: () => ui.actions.lock(!locked) },
    },
    // Words, not an emoji: not every system font has the padlock.
    locked ? 'Locked' : 'Lock',
  );
  const exportButton = (format: 'csv' | 'markdown', label: string) =>
    el('button', { class: 'secondary', title: `Export the shown results as ${label}`, attrs: { type: 'button', 'data-key': `export-${format}` }, on: { click: () => ui.actions.exportAs(format) } }, `Export ${label}`);

  return el('div', { class: 'controls', attrs: { role: 'group', 'aria-label': 'Preview controls' } }, viewSwitch(ui), grain, range, by, el('div', { class: 'buttons' }, lock, exportButton('csv', 'CSV'), exportButton('markdown', 'Markdown')));
}

function picker(key: string, label: string, value: string, options: [string, string][], onChange: (value: string) => void): HTMLLabelElement {
  const select = el('select', { attrs: { 'data-key': `control-${key}`, name: key }, on: { change: () => onChange(select.value) } }, ...options.map(([v, text]) => el('option', { attrs: { value: v } }, text)));
  select.value = value;
  return el('label', { class: 'picker' }, el('span', { class: 'label' }, label), select);
}
