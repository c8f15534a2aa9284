import type { Definition, DefKind } from './model';
import { forEachNode } from './analysis/references';
import type { Span } from './span';
import type { Scope } from './workspace';

/** A definition in the lineage; `key` is `kind:id` (a source and a metric may share an id). */
export interface LineageNode {
  key: string;
  kind: DefKind;
  id: string;
  title?: string;
  file: string;
  span: Span;
}

/** `from` feeds `to`: a source a metric reads, a metric or KPI a formula names, a KPI a goal grades. */
export interface LineageEdge {
  from: string;
  to: string;
  how: 'rolls up' | 'looks up' | 'reads' | 'names' | 'key result';
  /** Where `to` names `from` (the first time), in `to`'s file. */
  at: Span;
}

export interface Lineage {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

const ORDER: Record<DefKind, number> = { source: 0, metric: 1, kpi: 2, goal: 3 };

export const lineageKey = (def: Pick<Definition, 'kind' | 'id'>): string => `${def.kind}:${def.id}`;

/**
 * Sources → metrics → KPIs → goals over everything a file sees (its own definitions and its
 * imports'), upstream first. References to ids that resolve to nothing are left out: the
 * checker reports them.
 */
export function lineageOf(scope: Scope): Lineage {
  const defs = [...scope.values()].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const nodes = defs.map((d): LineageNode => ({ key: lineageKey(d), kind: d.kind, id: d.id, ...(d.title ? { title: d.title } : {}), file: d.file, span: d.idSpan }));
  const edges: LineageEdge[] = [];
  const seen = new Set<string>();
  const edge = (from: Definition | undefined, to: Definition, how: LineageEdge['how'], at: Span) => {
    if (!from) return;
    const e = { from: lineageKey(from), to: lineageKey(to), how, at };
    const k = `${e.from}>${e.to}`;
    if (!seen.has(k)) edges.push(e), seen.add(k);
  };
  for (const def of defs) {
    if (def.kind === 'source') {
      if (def.from) edge(scope.sources.get(def.from.value), def, 'rolls up', def.from.span);
      for (const l of def.lookups.values()) if (l.source) edge(scope.sources.get(l.source.value), def, 'looks up', l.source.span);
    } else if (def.kind === 'metric') {
      if (def.source) edge(scope.sources.get(def.source.value), def, 'reads', def.source.span);
    } else if (def.kind === 'kpi') {
      if (def.formula) forEachNode(def.formula.expr, (e) => {
        const named = e.kind === 'name' ? scope.names.get(e.name) : undefined;
        if (named && (named.kind === 'metric' || named.kind === 'kpi')) edge(named, def, 'names', e.span);
      });
    } else {
      for (const m of def.members) {
        const kpi = scope.names.get(m.kpi);
        if (kpi?.kind === 'kpi') edge(kpi, def, 'key result', m.span);
      }
    }
  }
  return { nodes, edges };
}

/** The part of a lineage that feeds the given nodes or is fed by them, the nodes included. */
export function around(lineage: Lineage, keys: string[]): Lineage {
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>();
  const link = (links: Map<string, string[]>, from: string, to: string) => {
    const list = links.get(from);
    if (list) list.push(to);
    else links.set(from, [to]);
  };
  for (const e of lineage.edges) {
    link(upstream, e.to, e.from);
    link(downstream, e.from, e.to);
  }
  const keep = new Set(keys);
  for (const links of [upstream, downstream]) {
    const reached = new Set(keys);
    const queue = [...keys];
    while (queue.length) {
      for (const next of links.get(queue.pop()!) ?? []) {
        if (!reached.has(next)) reached.add(next), keep.add(next), queue.push(next);
      }
    }
  }
  return { nodes: lineage.nodes.filter((n) => keep.has(n.key)), edges: lineage.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

/**
 * One lineage from several (each spec file's): a definition is one node however many files see
 * it, the first seen kept; an edge is kept once.
 */
export function mergeLineages(parts: Iterable<Lineage>): Lineage {
  const whole: Lineage = { nodes: [], edges: [] };
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const part of parts) {
    for (const n of part.nodes) if (!nodes.has(n.key)) nodes.add(n.key), whole.nodes.push(n);
    for (const e of part.edges) if (!edges.has(`${e.from}>${e.to}`)) edges.add(`${e.from}>${e.to}`), whole.edges.push(e);
  }
  return whole;
}
