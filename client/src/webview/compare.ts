// The "Compare KPIs with Git" view's browser bundle: renders a semantic diff (what `kpispec diff`
// reports) with the preview's styles. Every spec string becomes a text node.
import './preview.css';
import { KIND_NAME, KIND_TITLE, changeLines, summaryLine } from '../../../server/src/cli/diffFormat/describe';
import type { DiffResult, Entry } from '../../../server/src/diff/result';
import type { DefKind } from '../../../server/src/language/model';
import type { CompareHostMessage, CompareWebviewMessage } from '../preview/messages';
import { el, linkButton } from './dom';
import { kpiTable } from './compareTable';

declare function acquireVsCodeApi(): { postMessage(message: CompareWebviewMessage): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

window.addEventListener('message', (event: MessageEvent<CompareHostMessage>) => {
  const m = event.data;
  if (m.type === 'busy') {
    app.classList.add('busy');
    app.setAttribute('aria-busy', 'true');
    if (!app.childElementCount) app.replaceChildren(el('p', { class: 'note' }, `Comparing with ${m.base}…`));
    return;
  }
  app.classList.remove('busy');
  app.setAttribute('aria-busy', 'false');
  if (m.type === 'unavailable') app.replaceChildren(el('section', { class: 'unavailable', attrs: { role: 'alert' } }, el('h2', {}, m.title), el('p', {}, m.detail)));
  else app.replaceChildren(...render(m.base, m.result, m.unsaved));
});
vscode.postMessage({ type: 'ready' });

function render(base: string, r: DiffResult, unsaved: string[]): Node[] {
  const out: Node[] = [
    el('h1', {}, `KPIs: working tree${unsaved.length ? ' with unsaved edits' : ''} vs ${base}`),
    el('p', { class: 'meta' }, summaryLine(r) ?? 'No definition changed.', ' ', linkButton('Compare again', () => vscode.postMessage({ type: 'refresh' }), { class: 'refresh' })),
  ];
  if (unsaved.length) out.push(el('p', { class: 'note unsaved' }, `Compared as the editor holds them, unsaved: ${unsaved.join(', ')}.`));
  for (const side of [r.before, r.after]) {
    if (!side.problems.length) continue;
    out.push(el('section', { class: 'spec-problems' },
      el('h2', {}, `${side.label}${side.broken ? ' does not parse' : ': problems'}`),
      el('ul', {}, ...side.problems.map((p) => el('li', {}, `${p.file}:${p.line}:${p.column} ${p.message} (${p.rule})`)))));
  }
  if (r.breaking.length) {
    out.push(el('section', { class: 'breaking' }, el('h2', {}, `Breaking changes (${r.breaking.length})`),
      el('ul', {}, ...r.breaking.map((b) => el('li', {}, b.message)))));
  }
  const kpis = r.entries.filter((e) => e.kind === 'kpi');
  if (kpis.length) out.push(el('section', {}, el('h2', {}, 'KPIs'), kpiTable(kpis, (e) => open(e))));
  for (const kind of ['goal', 'kpi', 'metric', 'source'] as DefKind[]) {
    const entries = r.entries.filter((e) => e.kind === kind);
    if (entries.length) out.push(el('section', { class: 'details' }, el('h2', {}, `${KIND_TITLE[kind]}: what changed`), ...entries.map(details)));
  }
  return out;
}

function details(e: Entry): HTMLElement {
  const title = `${KIND_NAME[e.kind]} ${e.title ? `${e.title} · ` : ''}${e.change === 'renamed' ? `${e.oldId} → ${e.id}` : e.id} (${e.change})`;
  const lines = e.changes.map((c) => {
    const { line, items } = changeLines(c, (s) => s);
    return el('li', {}, line, items.length ? el('ul', {}, ...items.map((item) => el('li', {}, item))) : null);
  });
  if (e.because) lines.push(el('li', {}, `affected through ${e.because}`));
  return el('details', { attrs: { open: '' } }, el('summary', {}, title, ' ', e.change === 'removed' ? null : open(e, 'open')), el('ul', {}, ...lines));
}

/** A link that opens the definition in the editor (not for removed ones: they are gone). */
function open(e: Entry, label = e.id): HTMLElement {
  if (e.change === 'removed') return el('code', {}, e.id);
  return linkButton(label, () => vscode.postMessage({ type: 'open', file: e.file, id: e.id }), { class: 'kpi-id', title: `Show ${e.id} in ${e.file}` });
}
