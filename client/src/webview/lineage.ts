// The preview's Lineage view: sources → metrics → KPIs → goals as an SVG graph built with DOM
// calls (spec text in text nodes only), coloured by the theme through lineage.css.
import './lineage.css';
import type { PreviewView } from '../preview/messages';
import type { LineageGraph, LineageGraphNode } from '../../../server/src/protocol';
import type { Ui } from './actions';
import { el, svg, type Mount } from './dom';
import { placeOf } from './problems';
import { COLUMNS, fit, layout, NODE_LIMIT, onPath, reach, shownPart, type Layout, type Reach } from './lineageLayout';

/** The definition under the editor's cursor, as the host last said (view.ts's Cursor). */
export interface LineageCursor {
  kpi?: string;
  goal?: string;
  metric?: string;
  source?: string;
}

const KIND_NAME: Record<LineageGraphNode['kind'], string> = { source: 'source', metric: 'metric', kpi: 'KPI', goal: 'goal' };

/** The Scorecard / Lineage switch, for the controls bar. */
export function viewSwitch(ui: Ui): HTMLElement {
  const current: PreviewView = ui.state.view ?? 'scorecard';
  const button = (view: PreviewView, label: string, title: string) =>
    el(
      'button',
      {
        class: `toggle${current === view ? ' on' : ''}`,
        title,
        attrs: { type: 'button', 'aria-pressed': String(current === view), 'data-key': `view-${view}` },
        on: { click: () => current !== view && ui.actions.view(view) },
      },
      label,
    );
  return el(
    'div',
    { class: 'picker view-switch' },
    el('span', { class: 'label', attrs: { id: 'view-switch-label' } }, 'View'),
    el(
      'div',
      { class: 'segmented', attrs: { role: 'group', 'aria-labelledby': 'view-switch-label' } },
      button('scorecard', 'Scorecard', 'Goals and the scorecard'),
      button('lineage', 'Lineage', 'What each KPI is computed from: sources → metrics → KPIs → goals'),
    ),
  );
}

/**
 * The Lineage view's section. It lives across the page's re-renders: the lineage comes in its own
 * message, the cursor moves the highlight without drawing the page again, and the graph is laid
 * out for the width it is given (again when that changes).
 */
export class LineagePane {
  private data?: { uri: string; lineage: LineageGraph | null; error?: string };
  /** The definition to highlight (or draw around): the cursor's, or one picked in a large spec. */
  private focusKey?: string;
  private mounted?: { box: HTMLElement; ui: Ui };
  /** What is drawn now, to move the highlight without drawing again. */
  private drawn?: { graph: LineageGraph; whole: boolean; svg: SVGSVGElement; nodes: Map<string, SVGGElement>; edges: SVGPathElement[] };
  private width = 0;

  /** The lineage of a spec arrived (or why there is none). */
  set(uri: string, lineage: LineageGraph | null, error?: string): void {
    this.data = { uri, lineage, error };
    this.draw();
  }

  /** The editor's cursor moved onto another definition (or off every definition). */
  follow(cursor: LineageCursor, scroll: boolean): void {
    const key = cursor.kpi !== undefined ? `kpi:${cursor.kpi}` : cursor.goal !== undefined ? `goal:${cursor.goal}` : cursor.metric !== undefined ? `metric:${cursor.metric}` : cursor.source !== undefined ? `source:${cursor.source}` : undefined;
    if (key === this.focusKey) return;
    this.focusKey = key;
    if (!this.mounted) return;
    // The whole graph stays as drawn and the highlight moves; a neighbourhood is drawn anew.
    if (this.drawn?.whole) this.highlight(scroll);
    else this.draw(scroll);
  }

  /** The section, filled once it is in the page (the graph is laid out for its width). */
  section(ui: Ui, mounts: Mount[]): HTMLElement {
    const box = el('div', { class: 'lineage-body' });
    mounts.push(() => {
      this.mounted = { box, ui };
      this.width = box.clientWidth;
      this.draw();
      const resized = new ResizeObserver(() => {
        if (Math.abs(box.clientWidth - this.width) < 2) return;
        this.width = box.clientWidth;
        this.draw();
      });
      resized.observe(box);
      return () => {
        resized.disconnect();
        if (this.mounted?.box === box) this.mounted = undefined;
      };
    });
    return el('section', { class: 'lineage', attrs: { 'aria-label': 'Lineage' } }, el('h2', {}, 'Lineage'), box);
  }

  private focus(graph: LineageGraph, ui: Ui): string | undefined {
    const has = (key: string | undefined) => key !== undefined && graph.nodes.some((n) => n.key === key);
    if (has(this.focusKey)) return this.focusKey;
    // Else the KPI open in the scorecard, if any.
    const selected = ui.state.selected === undefined ? undefined : `kpi:${ui.state.selected}`;
    return has(selected) ? selected : undefined;
  }

  private draw(scroll = false): void {
    this.drawn = undefined;
    if (!this.mounted) return;
    const { box, ui } = this.mounted;
    const data = this.data?.uri === ui.state.uri ? this.data : undefined;
    if (!data) return box.replaceChildren(el('p', { class: 'note waiting' }, 'Loading the lineage…'));
    if (!data.lineage) return box.replaceChildren(el('p', { class: 'note lineage-error', attrs: { role: 'alert' } }, `The lineage could not be shown: ${data.error ?? 'no answer'}`));
    const whole = data.lineage;
    if (!whole.nodes.length) return box.replaceChildren(el('p', { class: 'note' }, 'This spec defines no sources, metrics, KPIs or goals yet.'));
    const focus = this.focus(whole, ui);
    const part = shownPart(whole, focus);
    const counts = COLUMNS.map((c) => `${whole.nodes.filter((n) => n.kind === c.kind).length} ${c.title.toLowerCase().replace('kpis', 'KPIs')}`).join(' → ');
    const summary = el('p', { class: 'meta lineage-summary' }, `${counts} · ${whole.edges.length} links. Click a definition to show it in the spec; the one under the editor’s cursor is highlighted with what it depends on and what depends on it.`);
    const children: Node[] = [summary];
    if (!part.whole) children.push(this.note(whole, part.around, part.neighbourhood ?? 0, part.graph.nodes.length));
    if (part.graph.nodes.length) {
      const drawing = this.graph(part.graph, ui);
      this.drawn = { ...drawing, graph: part.graph, whole: part.whole };
      children.push(el('div', { class: 'lineage-scroll' }, drawing.svg));
    }
    // A re-draw (new lineage after an edit, another width) keeps the keyboard on its box.
    const focused = box.contains(document.activeElement) ? (document.activeElement as HTMLElement | SVGElement).dataset.key : undefined;
    box.replaceChildren(...children);
    if (focused) box.querySelector<SVGGElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
    this.highlight(scroll);
  }

  /** Why only a part is drawn, and a picker for the definition to draw around. */
  private note(whole: LineageGraph, around: string | undefined, neighbourhood: number, shown: number): HTMLElement {
    const node = whole.nodes.find((n) => n.key === around);
    const name = node ? `${KIND_NAME[node.kind]} ${node.id}` : '';
    const text = node
      ? `This spec has ${whole.nodes.length} definitions, more than the ${NODE_LIMIT} drawn at once: shown is what ${name} depends on and what depends on it (${shown < neighbourhood ? `the ${shown} nearest of ${neighbourhood}` : `${neighbourhood} definitions`}). Move the editor’s cursor to another definition, or pick one:`
      : `This spec has ${whole.nodes.length} definitions, more than the ${NODE_LIMIT} drawn at once. Put the editor’s cursor on a KPI to see what it depends on and what depends on it, or pick one:`;
    const picker = el(
      'select',
      { attrs: { name: 'lineage-focus', 'data-key': 'lineage-focus', 'aria-label': 'Draw the lineage around' }, on: { change: () => this.pick(picker.value) } },
      el('option', { attrs: { value: '' } }, '—'),
      ...[...COLUMNS].reverse().map((c) => el('optgroup', { attrs: { label: c.title } }, ...whole.nodes.filter((n) => n.kind === c.kind).map((n) => el('option', { attrs: { value: n.key } }, n.id)))),
    );
    picker.value = around ?? '';
    return el('p', { class: 'lineage-note', attrs: { role: 'note' } }, el('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, '▲ '), text, ' ', picker);
  }

  private pick(key: string): void {
    this.focusKey = key || undefined;
    this.draw(true);
  }

  /** The SVG: column headings, edges under nodes, one focusable group per node. */
  private graph(graph: LineageGraph, ui: Ui): { svg: SVGSVGElement; nodes: Map<string, SVGGElement>; edges: SVGPathElement[] } {
    const measure = measurer();
    const lay: Layout = layout(graph, this.width, (id) => measure(id, 'id'));
    const root = svg('svg', { class: 'lineage-graph', width: lay.width, height: lay.height, viewBox: `0 0 ${lay.width} ${lay.height}`, role: 'group', 'aria-label': `Lineage graph: ${graph.nodes.length} definitions, ${graph.edges.length} links` });
    const defs = svg('defs');
    for (const [id, cls] of [['lin-arrow', 'lin-arrowhead'], ['lin-arrow-lit', 'lin-arrowhead lit']]) {
      const marker = svg('marker', { id: id!, viewBox: '0 0 6 6', refX: 5, refY: 3, markerWidth: 6, markerHeight: 6, orient: 'auto' });
      marker.append(svg('path', { d: 'M0 0L6 3L0 6z', class: cls! }));
      defs.append(marker);
    }
    root.append(defs);
    for (const c of lay.columns) {
      const head = svg('text', { class: 'lin-head', x: c.x, y: 16 });
      head.append(c.title);
      const count = svg('tspan', { class: 'lin-count', dx: 6 });
      count.append(String(c.count));
      head.append(count);
      root.append(head);
    }
    const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
    const edgeLayer = svg('g', { class: 'lin-edges' });
    const edges: SVGPathElement[] = [];
    for (const e of lay.edges) {
      const path = svg('path', { class: `lin-edge${e.sameColumn ? ' same' : ''}`, d: e.d, 'marker-end': 'url(#lin-arrow)', 'data-from': e.edge.from, 'data-to': e.edge.to });
      const title = svg('title');
      title.append(`${byKey.get(e.edge.from)?.id} → ${byKey.get(e.edge.to)?.id} (${e.edge.how})`);
      path.append(title);
      edgeLayer.append(path);
      edges.push(path);
    }
    root.append(edgeLayer);
    const nodes = new Map<string, SVGGElement>();
    const nodeLayer = svg('g', { class: 'lin-nodes' });
    for (const p of lay.nodes) {
      const n = p.node;
      const label = `${KIND_NAME[n.kind]} ${n.id}${n.title ? ` (${n.title})` : ''}`;
      const reveal = () => ui.actions.reveal(placeOf({ file: n.file, line: n.line, column: n.column, offset: n.offset }));
      const g = svg('g', { class: `lin-node k-${n.kind}`, tabindex: 0, role: 'button', 'aria-label': `${label}: show in the spec`, 'data-lineage': n.key, 'data-key': `lineage-${n.key}`, transform: `translate(${p.x} ${p.y})` });
      g.addEventListener('click', reveal);
      g.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        reveal();
      });
      const tip = svg('title');
      tip.append(`${label}\n${n.file.split(/[\\/]/).pop()}:${n.line}`);
      g.append(tip, svg('rect', { class: 'lin-box', width: p.w, height: p.h, rx: n.kind === 'kpi' ? p.h / 2 : 3 }));
      const text = svg('text', { class: 'lin-label', x: n.kind === 'kpi' ? 9 : 6, y: p.h / 2 + 4 });
      const room = p.w - (n.kind === 'kpi' ? 18 : 12);
      const id = fit(n.id, room, (s) => measure(s, 'id'));
      const idSpan = svg('tspan', { class: 'lin-id' });
      idSpan.append(id);
      text.append(idSpan);
      // The title after the id, where the box has room for some of it.
      const left = room - measure(id, 'id') - 8;
      const title = n.title && id === n.id && left > 40 ? fit(n.title, left, (s) => measure(s, 'title')) : '';
      if (title) {
        const titleSpan = svg('tspan', { class: 'lin-title', dx: 8 });
        titleSpan.append(title);
        text.append(titleSpan);
      }
      g.append(text);
      nodeLayer.append(g);
      nodes.set(n.key, g);
    }
    root.append(nodeLayer);
    return { svg: root, nodes, edges };
  }

  /** Marks the focus, what it depends on (up) and what depends on it (down); the rest dims. */
  private highlight(scroll: boolean): void {
    const drawn = this.drawn;
    if (!drawn || !this.mounted) return;
    const focus = this.focus(drawn.graph, this.mounted.ui);
    const r: Reach | undefined = focus === undefined ? undefined : reach(drawn.graph, focus);
    drawn.svg.classList.toggle('has-focus', !!r);
    for (const [key, g] of drawn.nodes) {
      g.classList.toggle('focus', key === focus);
      g.classList.toggle('up', !!r?.up.has(key));
      g.classList.toggle('down', !!r?.down.has(key));
      g.classList.toggle('lit', key === focus || !!r?.up.has(key) || !!r?.down.has(key));
    }
    for (const path of drawn.edges) {
      const lit = !!r && onPath({ from: path.dataset.from!, to: path.dataset.to!, how: 'names' }, focus!, r);
      path.classList.toggle('lit', lit);
      path.setAttribute('marker-end', lit ? 'url(#lin-arrow-lit)' : 'url(#lin-arrow)');
    }
    // Lit edges over the others.
    const layer = drawn.svg.querySelector('.lin-edges');
    if (layer) for (const path of drawn.edges) if (path.classList.contains('lit')) layer.append(path);
    const target = focus === undefined ? undefined : drawn.nodes.get(focus);
    if (scroll && target && !inView(target)) target.scrollIntoView({ block: 'center', inline: 'nearest' });
  }
}

/** Whether an element shows whole in the window. */
function inView(e: Element): boolean {
  const r = e.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
}

/** Text widths in the fonts the stylesheet gives ids (the editor's, 12px) and titles (the UI's, 11px), from a canvas. */
function measurer(): (text: string, what: 'id' | 'title') => number {
  const ctx = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(document.body);
  const fonts = {
    id: `12px ${style.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace'}`,
    title: `11px ${style.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif'}`,
  };
  return (text, what) => {
    if (!ctx) return text.length * (what === 'id' ? 7.5 : 11);
    ctx.font = fonts[what];
    return ctx.measureText(text).width;
  };
}
