import * as path from 'node:path';
import { forEachNode } from '../language/analysis/references';
import type { Definition, Formula, SourceDef } from '../language/model';
import type { Span } from '../language/span';
import type { Snapshot } from './snapshot';

export type ReferenceKind =
  /** A name in a KPI formula: a metric or a KPI. */
  | 'formula'
  /** A metric's `source:`. */
  | 'source'
  /** A KPI id under a goal's `kpis:`. */
  | 'goal-member'
  /** A column of a source's data: `column:`, names in `where`, `time:`, `dimensions:`, `columns:` keys, a KPI's `by:`. */
  | 'column'
  /** A function name in a formula. */
  | 'function'
  /** A path in `imports:` or a source's `file:`. */
  | 'path';

export interface Reference {
  file: string;
  span: Span;
  name: string;
  kind: ReferenceKind;
  /** What the name resolves to (metric, KPI or source), if anything. */
  target?: Definition;
  /** For columns: the sources whose data the column belongs to. */
  sources?: SourceDef[];
  /** For paths: the absolute path named. */
  resolved?: string;
}

/** Every reference written in a snapshot's file, resolved in its scope. */
export function referencesOf(snap: Snapshot): Reference[] {
  const out: Reference[] = [];
  const { spec, scope, file } = snap;
  const formulaRefs = (f: Formula | undefined, kind: 'formula' | 'column', sources?: SourceDef[]) => {
    if (!f) return;
    forEachNode(f.expr, (e) => {
      if (e.kind === 'name') {
        const ref: Reference = { file, span: e.span, name: e.name, kind };
        if (kind === 'formula') {
          const target = scope.names.get(e.name) ?? scope.sources.get(e.name);
          if (target) ref.target = target;
        } else if (sources) ref.sources = sources;
        out.push(ref);
      } else if (e.kind === 'call') out.push({ file, span: e.calleeSpan, name: e.callee, kind: 'function' });
    });
  };
  for (const imp of spec.imports) out.push({ file, span: imp.span, name: imp.value, kind: 'path', resolved: path.resolve(path.dirname(file), imp.value) });
  for (const def of spec.definitions) {
    if (def.kind === 'source') {
      if (def.path) out.push({ file, span: def.path.span, name: def.path.value, kind: 'path', resolved: path.resolve(path.dirname(file), def.path.value) });
      const cols = (name: string, span: Span) => out.push({ file, span, name, kind: 'column', sources: [def] });
      if (def.time) cols(def.time.value, def.time.span);
      for (const d of def.dimensions) cols(d.value, d.span);
      for (const [name, c] of def.columns) cols(name, c.nameSpan);
    } else if (def.kind === 'metric') {
      const src = def.source ? scope.sources.get(def.source.value) : undefined;
      if (def.source) {
        const ref: Reference = { file, span: def.source.span, name: def.source.value, kind: 'source' };
        const target = src ?? scope.names.get(def.source.value);
        if (target) ref.target = target;
        out.push(ref);
      }
      if (def.column) out.push({ file, span: def.column.span, name: def.column.value, kind: 'column', ...(src ? { sources: [src] } : {}) });
      formulaRefs(def.where, 'column', src ? [src] : undefined);
    } else if (def.kind === 'kpi') {
      formulaRefs(def.formula, 'formula');
      for (const b of def.by) out.push({ file, span: b.span, name: b.value, kind: 'column' });
    } else if (def.kind === 'goal') {
      for (const m of def.members) {
        const ref: Reference = { file, span: m.span, name: m.kpi, kind: 'goal-member' };
        const target = scope.names.get(m.kpi);
        if (target) ref.target = target;
        out.push(ref);
      }
    }
  }
  return out;
}

/** The reference whose span holds the offset (ends included, so a cursor right after a name counts). */
export function referenceAt(refs: Reference[], offset: number): Reference | undefined {
  return refs.find((r) => offset >= r.span.offset && offset <= r.span.offset + r.span.length);
}

/** The definition whose id is at the offset. */
export function definitionAt(snap: Snapshot, offset: number): Definition | undefined {
  return snap.spec.definitions.find((d) => offset >= d.idSpan.offset && offset <= d.idSpan.offset + d.idSpan.length);
}
