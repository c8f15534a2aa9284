import type { EvalResult, KpiResult, Location } from './results';

/**
 * Results as what changed since results the receiver holds for the same spec and options: the
 * KPIs whose results changed, and those that only moved in the file (an edit above them changed
 * its length). The language server's worker answers the server so, and the server the preview
 * (server/src/lsp/resultDelta.ts): after a target edit, one KPI instead of ten thousand.
 */
export interface ResultDelta<R extends EvalResult = EvalResult> {
  /** The results this delta applies to, and the results it makes. */
  base: number;
  epoch: number;
  /** Every KPI id in order; those neither in `kpis` nor in `moved` are the base's. */
  order: string[];
  kpis: KpiResult[];
  /** KPIs that only moved in the file: where they are now. */
  moved: [string, Location][];
  /** The rest of the results, whole. */
  rest: Omit<R, 'kpis'>;
}

/**
 * The delta from results whose KPIs are `before` (by id) to `answer`: the KPIs whose object
 * changed, and those that only moved. `made`: what each of the answer's KPIs was made from
 * (the engine's objects, before a budget cut), compared with `before`.
 */
export function deltaOf<R extends EvalResult>(before: Map<string, KpiResult>, answer: R, made: KpiResult[], base: number, epoch: number): ResultDelta<R> {
  const kpis: KpiResult[] = [];
  const moved: [string, Location][] = [];
  answer.kpis.forEach((k, i) => {
    const was = before.get(k.id);
    const now = made[i]!;
    if (was === now) return;
    if (was && now.at && onlyMoved(was, now)) moved.push([k.id, now.at]);
    else kpis.push(k);
  });
  const rest: Omit<R, 'kpis'> & { kpis?: unknown } = { ...answer };
  delete rest.kpis;
  return { base, epoch, order: answer.kpis.map((k) => k.id), kpis, moved, rest };
}

/** Whether a kept result was only given a new place (engine/run.ts copies it with `at` alone changed). */
function onlyMoved(before: KpiResult, now: KpiResult): boolean {
  const a = before as unknown as Record<string, unknown>;
  const b = now as unknown as Record<string, unknown>;
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const key of keys) if (key !== 'at' && a[key] !== b[key]) return false;
  return true;
}

/** The results a delta makes from the results it applies to (the language server's side, and the preview's). */
export function applyDelta<R extends EvalResult>(base: R, delta: ResultDelta<R>): R {
  const held = new Map(base.kpis.map((k) => [k.id, k]));
  const changed = new Map(delta.kpis.map((k) => [k.id, k]));
  for (const [id, at] of delta.moved) {
    const k = held.get(id);
    if (k) changed.set(id, { ...k, at });
  }
  const kpis = delta.order.map((id) => {
    const k = changed.get(id) ?? held.get(id);
    if (!k) throw new Error(`internal: a delta of the results names KPI \`${id}\`, which neither it nor its base holds`);
    return k;
  });
  return { ...delta.rest, kpis } as unknown as R;
}
