import type { RelColumn } from '../language/analysis/relations';
import type { Workspace } from '../language/workspace';
import { columnLocations } from './definitionColumns';
import { kpiOfBy, nameSpan, sourcesOfKpi, targetAt } from './definitionTarget';
import { referencesOf } from './references';
import { hopsOf } from './relationColumns';
import { relationTargetAt } from './relationTarget';
import type { Snapshot } from './snapshot';
import type { Location } from './types';

/**
 * Go to definition. From a formula name, a goal member, a metric's `source:`, a rollup's
 * `from:` or a lookup's `source:` to the id of the definition it resolves to (in any file of
 * the import closure); from an id to itself; from an `imports:` or `file:` path to that file
 * (when it exists); from a column name (`column:`, `time:`, `dimensions:`, `key:`, `on:`,
 * `columns:` keys, names in `where`, `derive` and `aggregate`, a KPI's `by:`) to the column in
 * the data: its cell in a CSV header line, the start of a JSON file, or its key in the first
 * inline row that has it. Through relations: from a lookup's name (`deal` in `deal.won_date`,
 * `matched(deal)`) to its entry under `lookups:`; from a looked-up column to that entry and to
 * the column of the looked-up source; from a derived or aggregate column to its entry, and
 * from a rollup's key column to its `key:`. Nothing for functions and unresolved names.
 */
export function definition(snap: Snapshot, offset: number): Location[] {
  const refs = referencesOf(snap);
  const rt = relationTargetAt(snap, offset, refs);
  if (rt?.kind === 'lookup') return [{ file: rt.source.file, span: rt.lookup.nameSpan }];
  if (rt?.kind === 'column') {
    const hops = hopsOf(rt.col);
    const out: Location[] = hops.length ? [{ file: hops[0]!.source.file, span: hops[0]!.lookup.nameSpan }] : [];
    for (const l of columnPlaces(snap.ws, rt.end)) if (!out.some((o) => o.file === l.file && o.span.offset === l.span.offset)) out.push(l);
    return out;
  }
  const t = targetAt(snap, offset, refs);
  if (!t) return [];
  switch (t.kind) {
    case 'definition':
      return [{ file: t.def.file, span: t.def.idSpan }];
    case 'path': {
      const file = t.ref.resolved;
      return file !== undefined && snap.ws.host.realpath(file) !== undefined ? [{ file, span: { offset: 0, length: 0 } }] : [];
    }
    case 'column': {
      let sources = t.ref.sources;
      if (!sources) {
        const kpi = kpiOfBy(snap, offset);
        sources = kpi ? sourcesOfKpi(snap.ws, kpi) : [];
      }
      return columnLocations(snap.ws, sources, t.ref.name);
    }
    default:
      return [];
  }
}

/** Where a column of a source is defined: the data's header, a derived or aggregate entry, a rollup's `key:` item. */
export function columnPlaces(ws: Workspace, col: RelColumn): Location[] {
  const src = col.source;
  switch (col.origin) {
    case 'data':
      return columnLocations(ws, [src], col.name);
    case 'derive':
    case 'aggregate':
      return [{ file: src.file, span: col.def.nameSpan }];
    case 'key': {
      const k = src.key.find((x) => x.value === col.name);
      const text = ws.load(src.file).parsed?.spec.text;
      return k ? [{ file: src.file, span: text === undefined ? k.span : nameSpan(text, k.span, k.value) }] : [];
    }
    case 'lookup':
      return columnPlaces(ws, col.column);
  }
}
