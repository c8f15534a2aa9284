import { isRelational, type Relations, type RelColumn } from '../language/analysis/relations';
import type { LookupDef, SourceDef } from '../language/model';
import { containsOffset, cover, type Span } from '../language/span';
import { kpiOfBy, nameSpan, sourcesOfKpi } from './definitionTarget';
import { referenceAt, referencesOf, type Reference } from './references';
import { endOf, hopsOf, relationsOf, segmentAt, segmentSpans } from './relationColumns';
import type { Snapshot } from './snapshot';

/**
 * What a name at the cursor means through relations, for hover, definition, references and
 * rename: a lookup (its entry under `lookups:`, the `deal` of `deal.won_date`, the lookup of
 * `matched(deal)`), or a column that is not simply one of the source's data: a looked-up
 * column (the `won_date` of `deal.won_date`), a derived column, a rollup's aggregate or key
 * column (their entries or a name that resolves to one). Plain data columns are left to the
 * column features of before.
 */
export type RelTarget =
  | {
    kind: 'lookup';
    /** The source the lookup belongs to. */
    source: SourceDef;
    lookup: LookupDef;
    /** The exact name at the cursor. */
    span: Span;
    ref?: Reference;
    /** On the lookup's own entry. */
    declaration?: boolean;
  }
  | {
    kind: 'column';
    /** The column as the name resolves where it is written (through lookups). */
    col: RelColumn;
    /** The column the name ends at: data, key, aggregate or derived. */
    end: RelColumn;
    span: Span;
    ref?: Reference;
    declaration?: boolean;
  };

export function relationTargetAt(snap: Snapshot, offset: number, refs: Reference[] = referencesOf(snap), rel: Relations = relationsOf(snap)): RelTarget | undefined {
  const decl = declarationAt(snap, offset);
  if (decl) return decl;
  const ref = referenceAt(refs, offset);
  if (!ref || (ref.kind !== 'column' && ref.kind !== 'lookup')) return undefined;
  return resolveRef(snap, ref, offset, rel);
}

/** The sources a column reference is about: its own, or for a KPI's `by` those the KPI reads. */
export function sourcesOfRef(snap: Snapshot, ref: Reference): SourceDef[] {
  if (ref.sources) return ref.sources;
  const kpi = kpiOfBy(snap, ref.span.offset);
  return kpi ? sourcesOfKpi(snap.ws, kpi) : [];
}

/** What a column or lookup reference means at an offset within it (each part of `deal.won_date` its own). */
export function resolveRef(snap: Snapshot, ref: Reference, offset: number, rel: Relations): RelTarget | undefined {
  const sources = sourcesOfRef(snap, ref);
  if (ref.kind === 'lookup') {
    for (const src of sources) {
      const lookup = src.lookups.get(ref.name);
      if (lookup) return { kind: 'lookup', source: src, lookup, span: nameSpan(snap.text, ref.span, ref.name), ref };
    }
    return undefined;
  }
  const segments = segmentSpans(snap.text, ref.span, ref.name);
  for (const src of sources) {
    const col = isRelational(src) ? rel.column(src, ref.name) : undefined;
    if (!col) continue;
    const end = endOf(col);
    const hops = hopsOf(col);
    if (!hops.length && end.origin === 'data') return undefined;
    const i = segments.length ? segmentAt(segments, offset) : hops.length;
    if (i < hops.length) return { kind: 'lookup', source: hops[i]!.source, lookup: hops[i]!.lookup, span: segments[i]!, ref };
    const span = segments.length > hops.length ? cover(segments[hops.length]!, segments[segments.length - 1]!) : nameSpan(snap.text, ref.span, ref.name);
    return { kind: 'column', col, end, span, ref };
  }
  return undefined;
}

/** On the name of a lookup, derived column or aggregate where it is defined. */
function declarationAt(snap: Snapshot, offset: number): RelTarget | undefined {
  for (const def of snap.spec.definitions) {
    if (def.kind !== 'source' || !containsOffset(def.span, offset)) continue;
    for (const l of def.lookups.values()) {
      if (containsOffset(l.nameSpan, offset)) return { kind: 'lookup', source: def, lookup: l, span: nameSpan(snap.text, l.nameSpan, l.name), declaration: true };
    }
    for (const d of def.derive.values()) {
      if (!containsOffset(d.nameSpan, offset)) continue;
      const col: RelColumn = { origin: 'derive', source: def, name: d.name, def: d };
      return { kind: 'column', col, end: col, span: nameSpan(snap.text, d.nameSpan, d.name), declaration: true };
    }
    if (!def.from) continue;
    for (const a of def.aggregate.values()) {
      if (!containsOffset(a.nameSpan, offset)) continue;
      const col: RelColumn = { origin: 'aggregate', source: def, name: a.name, def: a };
      return { kind: 'column', col, end: col, span: nameSpan(snap.text, a.nameSpan, a.name), declaration: true };
    }
  }
  return undefined;
}
