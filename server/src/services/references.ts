import * as path from 'node:path';
import { forEachNode } from '../language/analysis/references';
import type { Expr } from '../language/formula/ast';
import { isColumnArg } from '../language/formula/functions';
import type { Definition, Formula, Located, SourceDef } from '../language/model';
import type { Span } from '../language/span';
import type { Snapshot } from './snapshot';

export type ReferenceKind =
  /** A name in a KPI formula: a metric or a KPI. */
  | 'formula'
  /** A metric's `source:`, a rollup's `from:`, a lookup's `source:`. */
  | 'source'
  /** A KPI id under a goal's `kpis:`. */
  | 'goal-member'
  /**
   * A column of a source: `column:`, names in `where`, `derive` and `aggregate` formulas,
   * `time:`, `dimensions:`, `key:`, a lookup's `on:`, `columns:` keys, a KPI's `by:`. Looked-up
   * columns are one reference, `deal.won_date`.
   */
  | 'column'
  /** The lookup named in `matched(deal)`. */
  | 'lookup'
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
  /** For columns and lookups: the sources whose columns (or lookups) the name is one of. */
  sources?: SourceDef[];
  /** A function of a rollup's `aggregate` (`min(date)` there is the rollup's `min`). */
  aggregate?: boolean;
  /** For paths: the absolute path named. */
  resolved?: string;
}

/** Every reference written in a snapshot's file, resolved in its scope. */
export function referencesOf(snap: Snapshot): Reference[] {
  const out: Reference[] = [];
  const { spec, scope, file } = snap;
  const formulaRefs = (f: Formula | undefined) => {
    if (!f) return;
    forEachNode(f.expr, (e) => {
      if (e.kind === 'name') {
        const ref: Reference = { file, span: e.span, name: e.name, kind: 'formula' };
        const target = scope.names.get(e.name) ?? scope.sources.get(e.name);
        if (target) ref.target = target;
        out.push(ref);
      } else if (e.kind === 'call') out.push({ file, span: e.calleeSpan, name: e.callee, kind: 'function' });
    });
  };
  // A row formula names columns, but for the lookup of `matched(deal)` and the grain of `period(date, month)`.
  const rowRefs = (f: Formula | undefined, sources: SourceDef[] | undefined, aggregate = false) => {
    if (!f) return;
    const roles = new Map<Expr, 'lookup' | 'grain'>();
    forEachNode(f.expr, (e) => {
      if (e.kind === 'call') {
        out.push({ file, span: e.calleeSpan, name: e.callee, kind: 'function', ...(aggregate ? { aggregate } : {}) });
        e.args.forEach((a, i) => { if (!isColumnArg(e.callee, i)) roles.set(a, e.callee === 'matched' ? 'lookup' : 'grain'); });
      } else if (e.kind === 'name') {
        const role = roles.get(e);
        if (role !== 'grain') out.push({ file, span: e.span, name: e.name, kind: role ?? 'column', ...(sources ? { sources } : {}) });
      }
    });
  };
  const sourceRef = (at: Located<string>) => {
    const ref: Reference = { file, span: at.span, name: at.value, kind: 'source' };
    const target = scope.sources.get(at.value) ?? scope.names.get(at.value);
    if (target) ref.target = target;
    out.push(ref);
    return target?.kind === 'source' ? target : undefined;
  };
  for (const imp of spec.imports) out.push({ file, span: imp.span, name: imp.value, kind: 'path', resolved: path.resolve(path.dirname(file), imp.value) });
  for (const def of spec.definitions) {
    if (def.kind === 'source') {
      if (def.path) out.push({ file, span: def.path.span, name: def.path.value, kind: 'path', resolved: path.resolve(path.dirname(file), def.path.value) });
      const own = [def];
      const cols = (name: string, span: Span, sources: SourceDef[] | undefined = own) => out.push({ file, span, name, kind: 'column', ...(sources ? { sources } : {}) });
      // A rollup's key and aggregates name columns of the source it rolls up.
      const from = def.from ? sourceRef(def.from) : undefined;
      const rolled = def.from ? (from ? [from] : undefined) : own;
      for (const k of def.key) cols(k.value, k.span, rolled);
      for (const a of def.aggregate.values()) rowRefs(a.formula, rolled, true);
      for (const l of def.lookups.values()) {
        const target = l.source ? sourceRef(l.source) : undefined;
        for (const o of l.on) {
          cols(o.local.value, o.local.span);
          if (o.remote) cols(o.remote.value, o.remote.span, target ? [target] : undefined);
        }
      }
      for (const d of def.derive.values()) rowRefs(d.formula, own);
      if (def.time) cols(def.time.value, def.time.span);
      for (const d of def.dimensions) cols(d.value, d.span);
      for (const [name, c] of def.columns) cols(name, c.nameSpan);
    } else if (def.kind === 'metric') {
      const src = def.source ? scope.sources.get(def.source.value) : undefined;
      if (def.source) sourceRef(def.source);
      if (def.column) out.push({ file, span: def.column.span, name: def.column.value, kind: 'column', ...(src ? { sources: [src] } : {}) });
      rowRefs(def.where, src ? [src] : undefined);
    } else if (def.kind === 'kpi') {
      formulaRefs(def.formula);
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
