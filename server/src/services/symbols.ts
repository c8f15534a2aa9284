import type { Definition, DefKind } from '../language/model';
import { getPair } from '../language/yaml/tree';
import type { Snapshot } from './snapshot';
import type { SymbolNode } from './types';

const SECTIONS: { key: string; kind: DefKind; name: string }[] = [
  { key: 'sources', kind: 'source', name: 'Sources' },
  { key: 'metrics', kind: 'metric', name: 'Metrics' },
  { key: 'kpis', kind: 'kpi', name: 'KPIs' },
  { key: 'goals', kind: 'goal', name: 'Goals' },
];

/**
 * The outline of a file: one node per section present (Sources, Metrics, KPIs, Goals, in
 * written order), each holding its entries in written order with a one-line detail: a
 * source's file (or its inline rows), a metric's `source · agg · column`, a KPI's formula, a
 * goal's horizon.
 */
export function documentSymbols(snap: Snapshot): SymbolNode[] {
  const out: SymbolNode[] = [];
  for (const s of SECTIONS) {
    const pair = getPair(snap.spec.root, s.key);
    if (!pair) continue;
    const children = snap.spec.definitions.filter((d) => d.kind === s.kind).map(entry);
    out.push({ name: s.name, kind: 'section', span: pair.span, selection: pair.key.span, children });
  }
  return out.sort((a, b) => a.span.offset - b.span.offset);
}

function entry(def: Definition): SymbolNode {
  const node: SymbolNode = { name: def.id, kind: def.kind, span: def.span, selection: def.idSpan, children: [] };
  const detail = detailOf(def);
  if (detail) node.detail = detail;
  return node;
}

export function detailOf(def: Definition): string | undefined {
  switch (def.kind) {
    case 'source':
      return def.path ? def.path.value : def.rows ? `${def.rows.value.length} inline row${def.rows.value.length === 1 ? '' : 's'}` : undefined;
    case 'metric': {
      const parts = [def.source?.value, def.agg?.value, def.column?.value].filter((p): p is string => !!p);
      return parts.length ? parts.join(' · ') : undefined;
    }
    case 'kpi':
      return def.formula ? oneLine(def.formula.text) : undefined;
    case 'goal':
      return def.horizon?.value;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
