// The preview's browser bundle: receives results from the panel (extension host), renders them,
// and posts the reader's choices back. esbuild writes the imported CSS beside the script.
import 'uplot/dist/uPlot.min.css';
import './preview.css';
import type { HostMessage, PreviewState, WebviewMessage } from '../preview/messages';
import { applyDelta } from '../../../server/src/engine/delta';
import type { EvaluateResult } from '../../../server/src/protocol';
import type { Actions } from './actions';
import { DriversFocus } from './driversFocus';
import { explainStore } from './explainStore';
import { Sequence } from './sequence';
import { restoreState } from './state';
import { View, type Shown } from './view';
import { vscode } from './vscodeApi';

const app = document.getElementById('app')!;
const view = new View(app);
const sequence = new Sequence();
let state: PreviewState | undefined = restoreState(vscode, app);
let shown: Shown = { kind: 'waiting' };

const post = (message: WebviewMessage) => vscode.postMessage(message);
/** The driver chart "Explain this change" asked for (driversFocus.ts). */
const driversFocus = new DriversFocus();

/** Every state change is saved at once, so a reload (or a hidden panel shown again) starts from it. */
function update(next: PreviewState, scrollTo?: string): void {
  state = next;
  vscode.setState(next);
  draw(scrollTo);
}

function draw(scrollTo?: string): void {
  try {
    view.render(shown, state && { state, actions }, scrollTo);
    driversFocus.drawn(shown, state, actions);
  } catch (e) {
    // A rendering bug must not leave a blank panel: say so, as text.
    console.error(e);
    view.render({ kind: 'unavailable', title: 'The preview could not show these results', detail: String((e as Error)?.message ?? e) }, undefined);
  }
}

const actions: Actions = {
  controls(controls) {
    if (!state) return;
    update({ ...state, controls });
    post({ type: 'controls', controls });
  },
  select(kpi, scroll) {
    if (!state) return;
    update({ ...state, selected: kpi }, scroll && kpi ? `row-${kpi}` : undefined);
    post(kpi === undefined ? { type: 'select' } : { type: 'select', kpi });
  },
  reveal(place) {
    post({ type: 'reveal', ...place });
  },
  goalRange(goal, range) {
    if (!state) return;
    update({ ...state, goalRanges: { ...state.goalRanges, [goal]: range } });
    post({ type: 'goalRange', goal, range });
  },
  lock(locked) {
    if (!state) return;
    update({ ...state, locked });
    post({ type: 'lock', locked });
  },
  exportAs(format) {
    post({ type: 'export', format });
  },
  view(next) {
    if (!state) return;
    update({ ...state, view: next });
    post({ type: 'view', view: next });
  },
  drivers(choice) {
    if (!state) return;
    update({ ...state, drivers: choice });
  },
};
// Driver charts ask the host for explanations as they are drawn, and draw again with the answers.
explainStore.connect(post, () => draw());

function receive(m: HostMessage): void {
  if (typeof m !== 'object' || m === null) return;
  switch (m.type) {
    case 'results':
    case 'delta': {
      if (!sequence.accept(m.seq)) return;
      const result = m.type === 'results' ? m.result : applied(m.delta);
      if (!result) {
        post({ type: 'resend' });
        return;
      }
      shown = { kind: 'results', result, fileName: m.fileName };
      // Another spec: the old selection, ranges and cursor mean nothing there.
      const same = state?.uri === m.uri;
      const selected = same ? state?.selected : undefined;
      const goalRanges = same ? state?.goalRanges : undefined;
      if (!same) view.follow({}, false);
      view.setBusy(false);
      // Explanations are of the results they were asked with; the periods picked, of the spec.
      explainStore.reset(same);
      const drivers = same ? state?.drivers : undefined;
      // The view (scorecard or lineage) is the reader's, whatever the spec.
      const shownView = state?.view;
      update({ uri: m.uri, locked: m.locked, controls: m.controls ?? {}, ...(selected === undefined ? {} : { selected }), ...(goalRanges === undefined ? {} : { goalRanges }), ...(shownView === undefined ? {} : { view: shownView }), ...(drivers === undefined ? {} : { drivers }) });
      return;
    }
    case 'busy':
      if (sequence.accept(m.seq)) view.setBusy(true);
      return;
    case 'unavailable':
      if (!sequence.accept(m.seq)) return;
      shown = { kind: 'unavailable', title: m.title, detail: m.detail };
      view.setBusy(false);
      draw();
      return;
    case 'locked':
      if (state && state.locked !== m.locked) update({ ...state, locked: m.locked });
      return;
    case 'cursor':
      view.follow({ kpi: m.kpi, goal: m.goal, metric: m.metric, source: m.source }, true);
      return;
    case 'lineage':
      view.lineage.set(m.uri, m.lineage, m.error);
      return;
    case 'explanation':
      explainStore.received(m.id, m.answer, m.error);
      return;
    case 'showDrivers':
      driversFocus.want(m.uri, m.kpi);
      // The driver chart is in the scorecard: leave the lineage view for it.
      if (state?.view === 'lineage') actions.view('scorecard');
      else draw();
      return;
  }
}

/** The results a delta makes from those shown, or undefined when it is for other results. */
function applied(delta: Extract<HostMessage, { type: 'delta' }>['delta']): EvaluateResult | undefined {
  const held = shown.kind === 'results' ? shown.result : undefined;
  if (!held || held.resultId !== delta.base) return undefined;
  return { ...applyDelta(held, delta), resultId: delta.epoch };
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => receive(event.data));
draw();
post(state ? { type: 'ready', state } : { type: 'ready' });
