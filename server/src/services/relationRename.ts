import * as path from 'node:path';
import { matchColumn } from '../data/columnNames';
import { isRelational, type Relations, type RelColumn } from '../language/analysis/relations';
import type { DerivedColumn, LookupDef, RollupColumn, SourceDef } from '../language/model';
import { cover, type Span } from '../language/span';
import type { Workspace } from '../language/workspace';
import { nameSpan } from './definitionTarget';
import { referencesOf } from './references';
import { endOf, relationsOf, segmentSpans } from './relationColumns';
import { sourcesOfRef, type RelTarget } from './relationTarget';
import { snapshotsOf, type Snapshot } from './snapshot';
import type { Edit, Location, RenameResult } from './types';

/**
 * References and rename of what relations name: a lookup (its entry, the `deal` of every
 * `deal.x` that goes through it, in its source's formulas, dimensions and keys, in metrics over
 * it, KPIs' `by`, other sources' chains `lead.deal.x` and rollups of it, and `matched(deal)`),
 * and a derived or aggregate column (its entry and every name that resolves to it, looked up
 * or not). Every file whose scope holds the source is searched, each name resolved as the
 * checker resolves it there.
 */

/** What can be renamed: a lookup, or the derived or aggregate column a name ends at. */
export type Named =
  | { kind: 'lookup'; source: SourceDef; def: LookupDef }
  | { kind: 'derive' | 'aggregate'; source: SourceDef; def: DerivedColumn | RollupColumn };

/** The column that defines a name's values: past lookups, and past a rollup's key to the column it groups by. */
export function definingColumn(rel: Relations, col: RelColumn): RelColumn {
  let end = endOf(col);
  for (let guard = 0; end.origin === 'key' && guard < 20; guard++) {
    const from = rel.source(end.source.from?.value);
    const next = from && rel.column(from, end.name);
    if (!next) break;
    end = endOf(next);
  }
  return end;
}

/** What renaming at a target would rename, or why nothing. */
export function namedBy(t: RelTarget, rel: Relations): Named | { error: string } {
  if (t.kind === 'lookup') return { kind: 'lookup', source: t.source, def: t.lookup };
  const end = definingColumn(rel, t.col);
  if (end.origin === 'derive' || end.origin === 'aggregate') return { kind: end.origin, source: end.source, def: end.def };
  if (end.origin === 'data') {
    const where = end.source.path ? `\`${end.source.path.value}\`` : `source \`${end.source.id}\``;
    return { error: `\`${end.name}\` is a column of the data of ${where}, named by its header; rename it there, not in the spec` };
  }
  return { error: `\`${end.name}\` is a key column of rollup \`${end.source.id}\`, named after the column it groups by; rename that column` };
}

/** Where a lookup or column is declared: its name under `lookups:`, `derive:` or `aggregate:`. */
export function declarationOf(ws: Workspace, named: Named): Location {
  const text = ws.load(named.source.file).parsed?.spec.text;
  return { file: named.source.file, span: text === undefined ? named.def.nameSpan : nameSpan(text, named.def.nameSpan, named.def.name) };
}

/** Every place the lookup or column is named but its declaration, sorted by file and offset. */
export function namedLocations(ws: Workspace, files: string[], snap: Snapshot, named: Named): Location[] {
  const out: Location[] = [];
  const seen = new Set<string>();
  const add = (file: string, span: Span) => {
    const key = `${file}\u0000${span.offset}`;
    if (!seen.has(key)) { seen.add(key); out.push({ file, span }); }
  };
  const src = named.source;
  const decl = declarationOf(ws, named);
  seen.add(`${decl.file}\u0000${decl.span.offset}`);
  for (const s of snapshotsOf(ws, [...files, src.file], snap)) {
    if (s.scope.sources.get(src.id) !== src) continue;
    const rel = relationsOf(s);
    for (const ref of referencesOf(s)) {
      if (ref.kind === 'lookup') {
        if (named.kind === 'lookup' && (ref.sources ?? []).some((x) => x.lookups.get(ref.name) === named.def)) add(s.file, nameSpan(s.text, ref.span, ref.name));
        continue;
      }
      if (ref.kind !== 'column' || !mayName(ref.name, named)) continue;
      const segments = segmentSpans(s.text, ref.span, ref.name);
      for (const from of sourcesOfRef(s, ref)) {
        const col = isRelational(from) ? rel.column(from, ref.name) : undefined;
        if (!col) continue;
        let c: RelColumn = col;
        let i = 0;
        for (; c.origin === 'lookup'; i++, c = c.column) {
          if (named.kind === 'lookup' && c.lookup === named.def && segments[i]) add(s.file, segments[i]!);
        }
        if (named.kind === 'lookup') continue;
        const end = definingColumn(rel, c);
        if ((end.origin === 'derive' || end.origin === 'aggregate') && end.def === named.def && segments.length > i) add(s.file, cover(segments[i]!, segments[segments.length - 1]!));
      }
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.span.offset - b.span.offset);
}

/** Whether a written column name can mean the lookup or column at all: most names are left out without resolving them. */
function mayName(name: string, named: Named): boolean {
  const n = named.def.name;
  return named.kind === 'lookup' ? name.startsWith(`${n}.`) || name.includes(`.${n}.`) : name === n || name.endsWith(`.${n}`);
}

/** Renames a lookup or a derived or aggregate column everywhere it is named. */
export function renameNamed(ws: Workspace, files: string[], snap: Snapshot, named: Named, newName: string, checkId: (n: string) => string | undefined): RenameResult {
  const invalid = checkId(newName);
  if (invalid) return { error: invalid };
  if (newName === named.def.name) return { edits: [] };
  const src = named.source;
  const where = path.relative(ws.root, src.file) || path.basename(src.file);
  if (named.kind === 'lookup') {
    if (src.lookups.has(newName)) return { error: `cannot rename lookup \`${named.def.name}\` to \`${newName}\`: source \`${src.id}\` in ${where} already has a lookup \`${newName}\`` };
  } else {
    const rel = relationsOf(snap);
    const names = [...(rel.columnNames(src) ?? []), ...src.derive.keys(), ...(src.from ? src.aggregate.keys() : [])];
    if (matchColumn(newName, names) !== undefined) return { error: `cannot rename \`${named.def.name}\` to \`${newName}\`: source \`${src.id}\` in ${where} already has a column \`${newName}\`` };
  }
  const edits: Edit[] = [declarationOf(ws, named), ...namedLocations(ws, files, snap, named)].map((l) => ({ file: l.file, span: l.span, newText: newName }));
  edits.sort((a, b) => a.file.localeCompare(b.file) || a.span.offset - b.span.offset);
  return { edits };
}
