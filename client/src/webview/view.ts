import type { EvaluateResult } from '../../../server/src/protocol';
import type { Ui } from './actions';
import { el, type Mount } from './dom';
import { goalCards } from './goals';
import { header } from './header';
import { LineagePane } from './lineage';
import { problemList } from './problems';
import { scorecard } from './scorecard';

/** What the page shows: nothing yet, the newest results, or why there are none. */
export type Shown =
  | { kind: 'waiting' }
  | { kind: 'results'; result: EvaluateResult; fileName: string }
  | { kind: 'unavailable'; title: string; detail: string };

/** The definition under the editor's cursor, as the host last said. */
export interface Cursor {
  kpi?: string;
  goal?: string;
  /** A metric or source: only the Lineage view highlights them. */
  metric?: string;
  source?: string;
}

/**
 * Renders the whole page from scratch on each change (40 KPIs take a few milliseconds), then puts
 * focus back on the element that had it, so keyboard use survives a re-render.
 */
export class View {
  private disposers: (() => void)[] = [];
  private cursor: Cursor = {};
  private readonly content = el('div', { class: 'content' });
  private readonly busyNote = el('div', { class: 'busy-note', attrs: { role: 'status', 'aria-live': 'polite' } });
  /** The Lineage view: its lineage and highlight outlive re-renders. */
  readonly lineage = new LineagePane();

  constructor(private readonly app: HTMLElement) {
    app.replaceChildren(this.busyNote, this.content);
  }

  render(shown: Shown, ui: Ui | undefined, scrollTo?: string): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-key]')?.dataset.key;
    for (const dispose of this.disposers.splice(0)) dispose();
    const mounts: Mount[] = [];
    this.content.replaceChildren(...this.build(shown, ui, mounts));
    this.disposers = mounts.map((mount) => mount());
    const find = (key: string) => this.content.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (focused) find(focused)?.focus({ preventScroll: true });
    if (scrollTo) {
      const target = find(scrollTo);
      target?.scrollIntoView({ block: 'nearest' });
      target?.focus({ preventScroll: true });
    }
    this.mark(false);
  }

  /**
   * Highlights the KPI row (or goal card) under the editor's cursor and, with `scroll`, brings it
   * into view when it is not: like the Markdown preview, the page follows the editor. The
   * highlight survives re-renders; the scroll happens only when the cursor moves.
   */
  follow(cursor: Cursor, scroll: boolean): void {
    this.cursor = cursor;
    this.mark(scroll);
    this.lineage.follow(cursor, scroll);
  }

  private mark(scroll: boolean): void {
    for (const old of this.content.querySelectorAll('.at-cursor')) old.classList.remove('at-cursor');
    const { kpi, goal } = this.cursor;
    const target = kpi
      ? this.content.querySelector<HTMLElement>(`tr.kpi[data-kpi="${CSS.escape(kpi)}"]`)
      : goal
        ? this.content.querySelector<HTMLElement>(`.goal[data-goal="${CSS.escape(goal)}"]`)
        : null;
    if (!target) return;
    target.classList.add('at-cursor');
    if (scroll && !inView(target)) target.scrollIntoView({ block: 'center' });
  }

  /** Dims the results while a newer evaluation runs (they stay readable). */
  setBusy(busy: boolean): void {
    this.app.classList.toggle('busy', busy);
    this.app.setAttribute('aria-busy', String(busy));
    this.busyNote.textContent = busy ? 'Computing…' : '';
  }

  private build(shown: Shown, ui: Ui | undefined, mounts: Mount[]): Node[] {
    if (shown.kind === 'waiting') return [el('p', { class: 'note waiting' }, 'Waiting for results…')];
    if (shown.kind === 'unavailable') return [el('section', { class: 'unavailable', attrs: { role: 'alert' } }, el('h2', {}, shown.title), el('p', {}, shown.detail))];
    const { result, fileName } = shown;
    if (!ui) return [];
    const problems = [...result.problems, ...result.sources.flatMap((s) => s.problems)];
    return [
      header(result, fileName, ui),
      // A summarised answer says what it left out, right under what it was computed over.
      result.truncated ? el('p', { class: 'truncated', attrs: { role: 'note' } }, el('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, '▲ '), result.truncated.reason) : null,
      problems.length ? el('section', { class: 'spec-problems', attrs: { 'aria-label': 'Problems' } }, el('h2', {}, `Problems (${problems.length})`), problemList(problems, ui.actions, result.spec.file)) : null,
      ...(ui.state.view === 'lineage' ? [this.lineage.section(ui, mounts)] : [goalCards(result, ui), scorecard(result, ui, mounts)]),
    ].filter((n): n is HTMLElement => n !== null);
  }
}

/** Whether an element shows whole, below the scorecard's sticky header row. */
function inView(e: HTMLElement): boolean {
  const r = e.getBoundingClientRect();
  const sticky = document.querySelector('.scorecard > thead')?.getBoundingClientRect().height ?? 0;
  return r.top >= sticky && r.bottom <= window.innerHeight;
}
