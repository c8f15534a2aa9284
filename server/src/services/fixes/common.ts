import type { Definition, KpiDef, MetricDef } from '../../language/model';
import type { Span } from '../../language/span';
import { containsOffset } from '../../language/span';
import { checkId } from '../rename';
import type { Snapshot } from '../snapshot';
import type { FixEnv } from './types';
import { sameSpan } from './yamlEdits';

/**
 * The definition of this file whose entry holds `offset`. Definitions are in written order and
 * do not nest: a binary search, so that "fix all" over thousands of problems stays linear.
 */
export function defAt(snap: Snapshot, offset: number): Definition | undefined {
  const defs = snap.spec.definitions;
  let lo = 0;
  let hi = defs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (defs[mid]!.span.offset <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // an entry that ends where the next begins: either may hold the offset
  for (let i = found; i >= 0 && i >= found - 1; i--) if (containsOffset(defs[i]!.span, offset)) return defs[i];
  return undefined;
}

/** The definition of this file whose id is written at `span`. */
export function defWithId(snap: Snapshot, span: Span): Definition | undefined {
  const def = defAt(snap, span.offset);
  return def && sameSpan(def.idSpan, span) ? def : undefined;
}

/** The KPI of this file whose formula holds `offset`. */
export function kpiWithFormulaAt(snap: Snapshot, offset: number): KpiDef | undefined {
  const d = defAt(snap, offset);
  return d?.kind === 'kpi' && !!d.formula && containsOffset(d.formula.span, offset) ? d : undefined;
}

/** The metric of this file whose `where` holds `offset`. */
export function metricWithWhereAt(snap: Snapshot, offset: number): MetricDef | undefined {
  const d = defAt(snap, offset);
  return d?.kind === 'metric' && !!d.where && containsOffset(d.where.span, offset) ? d : undefined;
}

/** Whether an id is taken: in scope (the same namespace), in this file, or by another fix of the request. */
export function idTaken(env: FixEnv, id: string, source: boolean): boolean {
  const { snap } = env;
  if (env.taken.has(`${source ? 'source:' : ''}${id}`)) return true;
  if (source ? snap.scope.sources.has(id) : snap.scope.names.has(id)) return true;
  return snap.spec.definitions.some((d) => d.id === id && (d.kind === 'source') === source);
}

/** `base` if free, else `base_2`, `base_3`, …: a valid id no definition in scope has. Reserves it for the request. */
export function freeId(env: FixEnv, base: string, source: boolean, numberFirst = false): string | undefined {
  const stem = base.replace(/_\d+$/, '') || base;
  for (let n = numberFirst ? 2 : 1; n < 1000; n++) {
    const id = n === 1 ? base : `${stem}_${n}`;
    if (checkId(id) || idTaken(env, id, source)) continue;
    env.taken.add(`${source ? 'source:' : ''}${id}`);
    return id;
  }
  return undefined;
}

/** A title's quote of written text: one line, at most 60 characters. */
export function quote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}
