// The Lineage view's graph work, without the DOM: what feeds what, which part to draw, and where
// each node goes. Pure, so tests call it directly.
import type { LineageGraph, LineageGraphEdge, LineageGraphNode } from '../../../server/src/protocol';

type Kind = LineageGraphNode['kind'];

/** The columns, upstream first. */
export const COLUMNS: { kind: Kind; title: string }[] = [
  { kind: 'source', title: 'Sources' },
  { kind: 'metric', title: 'Metrics' },
  { kind: 'kpi', title: 'KPIs' },
  { kind: 'goal', title: 'Goals' },
];
const COLUMN_OF: Record<Kind, number> = { source: 0, metric: 1, kpi: 2, goal: 3 };

/** More nodes than this, and the view draws the neighbourhood of one definition instead of the whole graph. */
export const NODE_LIMIT = 150;

/** What feeds a node (transitively) and what it feeds; with each node's distance from it. */
export interface Reach {
  up: Map<string, number>;
  down: Map<string, number>;
}

/** Everything `key` depends on (up) and everything that depends on it (down), each with its distance in edges. */
export function reach(graph: LineageGraph, key: string): Reach {
  const ins = new Map<string, string[]>();
  const outs = new Map<string, string[]>();
  for (const e of graph.edges) {
    (ins.get(e.to) ?? ins.set(e.to, []).get(e.to)!).push(e.from);
    (outs.get(e.from) ?? outs.set(e.from, []).get(e.from)!).push(e.to);
  }
  const walk = (links: Map<string, string[]>) => {
    const seen = new Map<string, number>();
    let front = [key];
    for (let d = 1; front.length; d++) {
      const next: string[] = [];
      for (const k of front) {
        for (const n of links.get(k) ?? []) {
          if (n === key || seen.has(n)) continue;
          seen.set(n, d);
          next.push(n);
        }
      }
      front = next;
    }
    return seen;
  };
  return { up: walk(ins), down: walk(outs) };
}

/** Whether an edge lies on a path through the focus: both ends upstream of it (or it), or both downstream (or it). */
export function onPath(e: LineageGraphEdge, focus: string, r: Reach): boolean {
  const up = (k: string) => k === focus || r.up.has(k);
  const down = (k: string) => k === focus || r.down.has(k);
  return (up(e.from) && up(e.to)) || (down(e.from) && down(e.to));
}

/** The part of a lineage the view draws. */
export interface Shown {
  graph: LineageGraph;
  /** The whole lineage is drawn. */
  whole: boolean;
  /** Drawn around this definition (when not whole). */
  around?: string;
  /** How many definitions the neighbourhood holds (the focus included), all of them drawn or not. */
  neighbourhood?: number;
}

/**
 * The whole lineage up to `limit` nodes. Over it, the neighbourhood of `focus` (what it depends on
 * and what depends on it), nearest first, at most `limit` nodes; nothing without a focus.
 */
export function shownPart(graph: LineageGraph, focus: string | undefined, limit = NODE_LIMIT): Shown {
  if (graph.nodes.length <= limit) return { graph, whole: true };
  if (focus === undefined || !graph.nodes.some((n) => n.key === focus)) return { graph: { nodes: [], edges: [] }, whole: false };
  const r = reach(graph, focus);
  const distance = new Map<string, number>([[focus, 0]]);
  for (const side of [r.up, r.down]) for (const [k, d] of side) distance.set(k, Math.min(d, distance.get(k) ?? Infinity));
  // The nearest first; among equals, the order of the lineage (upstream first, as written).
  const order = new Map(graph.nodes.map((n, i) => [n.key, i]));
  const kept = new Set([...distance.keys()].sort((a, b) => distance.get(a)! - distance.get(b)! || order.get(a)! - order.get(b)!).slice(0, limit));
  return {
    graph: { nodes: graph.nodes.filter((n) => kept.has(n.key)), edges: graph.edges.filter((e) => kept.has(e.from) && kept.has(e.to)) },
    whole: false,
    around: focus,
    neighbourhood: distance.size,
  };
}

/** A node where it is drawn: its box's left, top, width and height. */
export interface PlacedNode {
  node: LineageGraphNode;
  column: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedEdge {
  edge: LineageGraphEdge;
  /** An SVG path: a curve from the right of `from` to the left of `to`, or an arc beside the column when both are in one. */
  d: string;
  sameColumn: boolean;
}

export interface Layout {
  width: number;
  height: number;
  columns: { title: string; kind: Kind; x: number; w: number; count: number }[];
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/**
 * `left`: room before the first column for the arcs between sources (rollups, lookups); a box is
 * `minBox` to `maxBox` wide, `boxPad` more than its longest id where there is room.
 */
export const SIZES = { pad: 8, left: 22, head: 26, pitch: 26, node: 20, minWidth: 360, minBox: 56, maxBox: 300, boxPad: 20 };

/**
 * Places the nodes in four columns (sources, metrics, KPIs, goals), each column ordered to keep
 * its edges short and uncrossed (barycentres, swept both ways), the longest column evenly spaced
 * and the others near what they connect to. Each column is as wide as its longest id needs
 * (`idWidth`), shares of the room left over going to the wider ones; short of room, the widest
 * are cut to one width.
 */
export function layout(graph: LineageGraph, width: number, idWidth: (id: string) => number = (id) => id.length * 7.2): Layout {
  const W = Math.max(SIZES.minWidth, Math.floor(width));
  const gap = Math.round(Math.max(24, Math.min(72, W * 0.06)));
  const cols: LineageGraphNode[][] = [[], [], [], []];
  for (const n of graph.nodes) cols[COLUMN_OF[n.kind]]!.push(n);

  const room = W - SIZES.left - SIZES.pad - 3 * gap;
  const want = cols.map((list) => Math.min(SIZES.maxBox, Math.max(SIZES.minBox, ...list.map((n) => idWidth(n.id) + SIZES.boxPad))));
  const wanted = want.reduce((a, b) => a + b, 0);
  // Narrower than wanted: the widest columns cut to one width, the narrow ones kept whole.
  // Wider: the rest shared by want (titles fill it).
  let cap = Infinity;
  if (wanted > room) {
    const sorted = [...want].sort((a, b) => a - b);
    let left = room;
    for (let i = 0; i < 4; i++) {
      if (sorted[i]! * (4 - i) >= left) {
        cap = left / (4 - i);
        break;
      }
      left -= sorted[i]!;
    }
  }
  const widths = want.map((w) => Math.max(SIZES.minBox, Math.floor(wanted > room ? Math.min(w, cap) : w + ((room - wanted) * w) / wanted)));
  const xs = widths.map((_, c) => SIZES.left + widths.slice(0, c).reduce((a, b) => a + b + gap, 0));
  const colX = (c: number) => xs[c]!;
  const column = new Map(graph.nodes.map((n) => [n.key, COLUMN_OF[n.kind]]));
  const links = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!column.has(e.from) || !column.has(e.to)) continue;
    (links.get(e.from) ?? links.set(e.from, []).get(e.from)!).push(e.to);
    (links.get(e.to) ?? links.set(e.to, []).get(e.to)!).push(e.from);
  }

  // Order: a node's rank is the mean rank of its neighbours in the column swept from.
  const rank = new Map<string, number>();
  const setRanks = (c: number) => cols[c]!.forEach((n, i) => rank.set(n.key, cols[c]!.length > 1 ? i / (cols[c]!.length - 1) : 0.5));
  for (let c = 0; c < 4; c++) setRanks(c);
  const sortBy = (c: number, from: (other: number) => boolean) => {
    const key = new Map<string, number>();
    for (const n of cols[c]!) {
      const ranks = (links.get(n.key) ?? []).filter((k) => from(column.get(k)!)).map((k) => rank.get(k)!);
      key.set(n.key, ranks.length ? ranks.reduce((a, b) => a + b, 0) / ranks.length : rank.get(n.key)!);
    }
    cols[c]!.sort((a, b) => key.get(a.key)! - key.get(b.key)! || rank.get(a.key)! - rank.get(b.key)!);
    setRanks(c);
  };
  for (let sweep = 0; sweep < 3; sweep++) {
    for (let c = 1; c < 4; c++) sortBy(c, (o) => o < c);
    for (let c = 2; c >= 0; c--) sortBy(c, (o) => o > c);
  }
  for (let c = 1; c < 4; c++) sortBy(c, (o) => o < c);

  // Heights: the longest column evenly, the others near their neighbours, in order, never overlapping.
  const rows = Math.max(1, ...cols.map((c) => c.length));
  const top = SIZES.pad + SIZES.head;
  const bottom = top + (rows - 1) * SIZES.pitch;
  const y = new Map<string, number>();
  const longest = cols.findIndex((c) => c.length === rows);
  cols[longest]!.forEach((n, i) => y.set(n.key, top + i * SIZES.pitch));
  const place = (c: number, placed: (k: string) => boolean) => {
    const list = cols[c]!;
    const want = new Map<string, number>();
    let last = top - SIZES.pitch;
    for (const n of list) {
      const ys = (links.get(n.key) ?? []).filter((k) => column.get(k) !== c && placed(k)).map((k) => y.get(k)!);
      const at = ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : last + SIZES.pitch;
      want.set(n.key, at);
      last = at;
    }
    list.sort((a, b) => want.get(a.key)! - want.get(b.key)!);
    const at = list.map((n) => want.get(n.key)!);
    for (let i = 0; i < at.length; i++) at[i] = Math.max(at[i]!, i ? at[i - 1]! + SIZES.pitch : top);
    for (let i = at.length - 1; i >= 0; i--) at[i] = Math.min(at[i]!, i < at.length - 1 ? at[i + 1]! - SIZES.pitch : bottom);
    list.forEach((n, i) => y.set(n.key, Math.round(at[i]!)));
    setRanks(c);
  };
  const done = new Set([longest]);
  for (let c = longest + 1; c < 4; c++) place(c, (k) => done.has(column.get(k)!)), done.add(c);
  for (let c = longest - 1; c >= 0; c--) place(c, (k) => done.has(column.get(k)!)), done.add(c);
  for (let c = 0; c < 4; c++) if (c !== longest) place(c, () => true);

  const nodes: PlacedNode[] = [];
  const at = new Map<string, PlacedNode>();
  cols.forEach((list, c) => list.forEach((node) => {
    const p = { node, column: c, x: colX(c), y: y.get(node.key)!, w: widths[c]!, h: SIZES.node };
    nodes.push(p);
    at.set(node.key, p);
  }));
  const edges: PlacedEdge[] = [];
  for (const edge of graph.edges) {
    const a = at.get(edge.from);
    const b = at.get(edge.to);
    if (!a || !b) continue;
    const ay = a.y + a.h / 2;
    const by = b.y + b.h / 2;
    if (a.column === b.column) {
      // Beside the column, on its left, bulging further the further apart the two are.
      const bulge = Math.min((a.column ? gap : SIZES.left) - 4, 10 + Math.abs(by - ay) * 0.2);
      edges.push({ edge, d: `M${a.x} ${ay}C${a.x - bulge} ${ay} ${b.x - bulge} ${by} ${b.x - 2} ${by}`, sameColumn: true });
    } else {
      const x1 = a.x + a.w;
      const x2 = b.x - 2;
      const mid = (x2 - x1) / 2;
      edges.push({ edge, d: `M${x1} ${ay}C${x1 + mid} ${ay} ${x2 - mid} ${by} ${x2} ${by}`, sameColumn: false });
    }
  }
  return {
    width: Math.max(W, colX(3) + widths[3]! + SIZES.pad),
    height: bottom + SIZES.node + SIZES.pad,
    columns: COLUMNS.map((col, c) => ({ title: col.title, kind: col.kind, x: colX(c), w: widths[c]!, count: cols[c]!.length })),
    nodes,
    edges,
  };
}

/** Text cut to fit `px` as `measure` measures it, ending in an ellipsis: SVG text neither wraps nor ellipsises. */
export function fit(text: string, px: number, measure: (s: string) => number): string {
  if (measure(text) <= px) return text;
  const chars = [...text];
  // The longest start that fits with its ellipsis.
  let lo = 0;
  let hi = chars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(`${chars.slice(0, mid).join('')}…`) <= px) lo = mid;
    else hi = mid - 1;
  }
  const out = chars.slice(0, lo).join('').trimEnd();
  return out ? `${out}…` : '';
}
