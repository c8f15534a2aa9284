import { lineageOf, mergeLineages, type Lineage, type LineageNode } from '../language/lineage';
import type { Workspace } from '../language/workspace';
import { targetAt } from './definitionTarget';
import type { Snapshot } from './snapshot';
import type { Span } from '../language/span';

/** A definition in the call hierarchy: sources, metrics, KPIs and goals, linked by what feeds what. */
export interface HierarchyItem {
  node: LineageNode;
  /** The whole definition. */
  span: Span;
}

/** A neighbour, with where the link is written (in the caller's file: the item for outgoing, the neighbour for incoming). */
export interface HierarchyCall {
  item: HierarchyItem;
  at: Span[];
}

/** The definition at an offset: its id, or a name that refers to it (a formula name, a `source:`, a goal's KPI). */
export function prepareCallHierarchy(snap: Snapshot, offset: number): HierarchyItem[] {
  const t = targetAt(snap, offset);
  if (t?.kind !== 'definition') return [];
  const { def } = t;
  return [{ node: { key: `${def.kind}:${def.id}`, kind: def.kind, id: def.id, ...(def.title ? { title: def.title } : {}), file: def.file, span: def.idSpan }, span: def.span }];
}

/** The lineage over every spec file the server knows: callers may be in files that import this one. */
export function workspaceLineage(ws: Workspace, files: string[]): Lineage {
  return mergeLineages(files.filter((f) => ws.load(f).parsed).map((f) => lineageOf(ws.scope(f))));
}

/** What uses the item: the metrics that read a source, the KPIs that name a metric or KPI, the goals a KPI serves. */
export function incomingCalls(ws: Workspace, lineage: Lineage, key: string): HierarchyCall[] {
  return neighbours(ws, lineage, key, 'in');
}

/** What the item uses: its source, the metrics and KPIs its formula names, a goal's KPIs, a rollup's or lookup's sources. */
export function outgoingCalls(ws: Workspace, lineage: Lineage, key: string): HierarchyCall[] {
  return neighbours(ws, lineage, key, 'out');
}

function neighbours(ws: Workspace, lineage: Lineage, key: string, way: 'in' | 'out'): HierarchyCall[] {
  const byKey = new Map(lineage.nodes.map((n) => [n.key, n]));
  const out = new Map<string, HierarchyCall>();
  const spans = new Map<string, Map<string, Span>>();
  /** The whole entry of a node's definition (the id alone when it cannot be found again). */
  const wholeSpan = (node: LineageNode): Span => {
    let inFile = spans.get(node.file);
    if (!inFile) spans.set(node.file, (inFile = new Map((ws.load(node.file).parsed?.spec.definitions ?? []).map((d) => [`${d.kind}:${d.id}`, d.span]))));
    return inFile.get(node.key) ?? node.span;
  };
  for (const e of lineage.edges) {
    const other = way === 'in' ? (e.from === key ? e.to : undefined) : e.to === key ? e.from : undefined;
    const node = other === undefined ? undefined : byKey.get(other);
    if (!node) continue;
    const call = out.get(node.key) ?? { item: { node, span: wholeSpan(node) }, at: [] };
    call.at.push(e.at);
    out.set(node.key, call);
  }
  return [...out.values()];
}
