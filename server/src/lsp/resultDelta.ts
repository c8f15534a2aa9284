import type { KpiResult, Location } from '../engine/results';
import type { EvaluateResult } from '../protocol';

/**
 * Results sent from the evaluation worker to the server as what changed since the last results
 * the server holds for the same spec and options: after a target edit, one KPI instead of ten
 * thousand (copying a whole result between threads costs more than computing it again).
 *
 * The worker knows a KPI is unchanged when its evaluation reused the same result object
 * (engine/reuse.ts) and the answer is cut to the same periods (budget.ts cuts a result the same
 * way each time).
 */
export interface ResultDelta {
  /** The results this delta applies to, and the results it makes. */
  base: number;
  epoch: number;
  /** Every KPI id in order; those not in `kpis` are the base's. */
  order: string[];
  kpis: KpiResult[];
  /** KPIs that only moved in the file (an edit above them changed its length): where they are now. */
  moved: [string, Location][];
  /** The rest of the results, whole. */
  rest: Omit<EvaluateResult, 'kpis'>;
}

/** What the worker remembers of the last results it sent for one spec and options. */
export interface Sent {
  epoch: number;
  /** The periods the answer was cut to. */
  periods: string;
  /** KPI id → the engine's result object it was made from. */
  from: Map<string, KpiResult>;
}

let epochs = 0;

/**
 * The answer for the server: a delta on `sent` when the server holds it (`have`), else whole.
 * `made`: the engine's KPI results, before the budget cut `answer` (same order).
 */
export function answerFor(answer: EvaluateResult, made: KpiResult[], sent: Sent | undefined, have: number | undefined): { result?: EvaluateResult; delta?: ResultDelta; sent: Sent } {
  const periods = answer.periods.map((p) => p.key).join(',');
  const from = new Map<string, KpiResult>();
  for (const k of made) from.set(k.id, k);
  const next: Sent = { epoch: ++epochs, periods, from };
  const unique = from.size === made.length;
  if (!sent || have !== sent.epoch || sent.periods !== periods || !unique) return { result: answer, sent: next };
  const kpis: KpiResult[] = [];
  const moved: [string, Location][] = [];
  answer.kpis.forEach((k, i) => {
    const before = sent.from.get(k.id);
    const now = made[i]!;
    if (before === now) return;
    if (before && now.at && onlyMoved(before, now)) moved.push([k.id, now.at]);
    else kpis.push(k);
  });
  const rest: Omit<EvaluateResult, 'kpis'> & { kpis?: unknown } = { ...answer };
  delete rest.kpis;
  return { delta: { base: sent.epoch, epoch: next.epoch, order: answer.kpis.map((k) => k.id), kpis, moved, rest }, sent: next };
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

/** The server's side: the results a delta makes from the results it applies to. */
export function applyDelta(base: EvaluateResult, delta: ResultDelta): EvaluateResult {
  const held = new Map(base.kpis.map((k) => [k.id, k]));
  const changed = new Map(delta.kpis.map((k) => [k.id, k]));
  for (const [id, at] of delta.moved) {
    const k = held.get(id);
    if (k) changed.set(id, { ...k, at });
  }
  const kpis = delta.order.map((id) => {
    const k = changed.get(id) ?? held.get(id);
    if (!k) throw new Error(`internal: the evaluation worker sent a delta without KPI \`${id}\``);
    return k;
  });
  return { ...delta.rest, kpis };
}
