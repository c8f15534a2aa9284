import type { ColumnType } from '../data/table';
import { Context } from '../language/analysis/context';
import { isRelational, Relations, type RelColumn } from '../language/analysis/relations';
import type { LookupDef, SourceDef } from '../language/model';
import type { Span } from '../language/span';
import { nameSpan } from './definitionTarget';
import { columnsOf, sourceShape, type ColumnInfo } from './completionData';
import type { Snapshot } from './snapshot';

/**
 * The columns of sources with relations as the editor features see them: the checker's
 * `Relations` (analysis/relations.ts) built for one file, so that a name resolves exactly as
 * the checker resolves it there (lookup targets in that file's scope).
 */

/** A Relations for the snapshot's file; cheap to make, it works lazily and memoises. */
export function relationsOf(snap: Snapshot): Relations {
  const ctx = new Context(snap.ws, snap.spec, snap.scope);
  return new Relations(ctx, (src) => (src.from ? undefined : sourceShape(snap.ws, src)));
}

/** The column a name ends at, past every lookup hop: a data, key, aggregate or derived column. */
export function endOf(col: RelColumn): RelColumn {
  let c = col;
  while (c.origin === 'lookup') c = c.column;
  return c;
}

/** The lookups a name goes through, in order: `deal.owner.team` → [deal, owner]. */
export function hopsOf(col: RelColumn): { source: SourceDef; lookup: LookupDef; target: SourceDef }[] {
  const out: { source: SourceDef; lookup: LookupDef; target: SourceDef }[] = [];
  let c = col;
  while (c.origin === 'lookup') {
    out.push({ source: c.source, lookup: c.lookup, target: c.target });
    c = c.column;
  }
  return out;
}

/**
 * Each dot-separated part of a column name where it is written: `deal.won_date` written at
 * `span` (quotes or backticks around it allowed) gives the spans of `deal` and `won_date`.
 */
export function segmentSpans(text: string, span: Span, name: string): Span[] {
  const at = nameSpan(text, span, name);
  const exact = text.slice(at.offset, at.offset + at.length) === name;
  const parts = name.split('.');
  if (!exact) return parts.length === 1 ? [at] : [];
  const out: Span[] = [];
  let offset = at.offset;
  for (const p of parts) {
    out.push({ offset, length: p.length });
    offset += p.length + 1;
  }
  return out;
}

/** The index of the part holding the offset (a cursor right after a part counts for it). */
export function segmentAt(segments: Span[], offset: number): number {
  for (let i = 0; i < segments.length; i++) if (offset <= segments[i]!.offset + segments[i]!.length) return i;
  return segments.length - 1;
}

export interface RelColumnInfo extends ColumnInfo {
  /** Where the column comes from, for a completion's detail: `lookup deal → deals`, `derived`, `min(date)`. */
  origin?: string;
}

/**
 * Every column of a source for completion, with its type: the data columns (as before), and
 * on a source with relations its key, aggregates, derived and looked-up columns. Undefined
 * when the columns of a source without relations cannot be known.
 */
export function columnInfos(snap: Snapshot, rel: Relations, src: SourceDef): RelColumnInfo[] | undefined {
  if (!isRelational(src)) return columnsOf(snap.ws, src);
  // Data columns that cannot be known (a table, an unreadable file) leave the derived ones.
  const names = rel.columnNames(src) ?? [...src.derive.keys()];
  const data = src.from ? undefined : columnsOf(snap.ws, src);
  const out: RelColumnInfo[] = [];
  for (const name of names) {
    const col = rel.column(src, name);
    if (!col) continue;
    const type: ColumnType | undefined = rel.type(col);
    const info: RelColumnInfo = { name, pinned: col.origin === 'data' && !!data?.find((c) => c.name === name)?.pinned };
    if (type) info.type = type;
    const origin = originText(col);
    if (origin) info.origin = origin;
    out.push(info);
  }
  return out;
}

/** A short line on where a non-data column comes from. */
export function originText(col: RelColumn): string | undefined {
  switch (col.origin) {
    case 'data':
      return undefined;
    case 'key':
      return `key of ${col.source.id}`;
    case 'aggregate':
      return col.def.formula.text;
    case 'derive':
      return `derived: ${col.def.formula.text}`;
    case 'lookup':
      return `lookup ${col.lookup.name} → ${col.target.id}`;
  }
}
