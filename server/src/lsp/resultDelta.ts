import type { KpiResult, Location } from '../engine/results';
import type { EvaluateDelta, EvaluateResult } from '../protocol';

/**
 * Results sent as what changed since results the receiver holds for the same spec and options:
 * from the evaluation worker to the server, and from the server to the preview (ClientResults).
 * After a target edit, one KPI instead of ten thousand (copying and serialising whole results
 * costs more than computing them again).
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
  return { delta: deltaOf(sent.from, answer, made, sent.epoch, next.epoch), sent: next };
}

/**
 * The delta from results whose KPIs are `before` (by id) to `answer`: the KPIs whose object
 * changed, and those that only moved. `made`: what each of the answer's KPIs was made from
 * (the engine's objects, before a budget cut), compared with `before`.
 */
function deltaOf(before: Map<string, KpiResult>, answer: EvaluateResult, made: KpiResult[], base: number, epoch: number): ResultDelta {
  const kpis: KpiResult[] = [];
  const moved: [string, Location][] = [];
  answer.kpis.forEach((k, i) => {
    const was = before.get(k.id);
    const now = made[i]!;
    if (was === now) return;
    if (was && now.at && onlyMoved(was, now)) moved.push([k.id, now.at]);
    else kpis.push(k);
  });
  const rest: Omit<EvaluateResult, 'kpis'> & { kpis?: unknown } = { ...answer };
  delete rest.kpis;
  return { base, epoch, order: answer.kpis.map((k) => k.id), kpis, moved, rest };
}

/**
 * The server's answers to a client that holds earlier results (`known`, the preview): a delta
 * on them when the server still has them and the periods are the same, else the whole results.
 * Results kept by the server share the objects of KPIs that did not change (applyDelta keeps
 * them), which is how it tells what did.
 */
export class ClientResults {
  private readonly byId = new Map<number, EvaluateResult>();
  private readonly ids = new WeakMap<EvaluateResult, number>();
  private next = 1;

  answer(result: EvaluateResult, known?: number): EvaluateResult | EvaluateDelta {
    let id = this.ids.get(result);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(result, id);
      this.byId.set(id, result);
      if (this.byId.size > KEPT_FOR_CLIENTS) this.byId.delete(this.byId.keys().next().value!);
    }
    const base = known === undefined ? undefined : this.byId.get(known);
    const periods = (r: EvaluateResult) => r.periods.map((p) => p.key).join(',');
    const before = base && new Map(base.kpis.map((k) => [k.id, k]));
    if (!base || !before || before.size !== base.kpis.length || periods(base) !== periods(result)) return { ...result, resultId: id };
    return { delta: deltaOf(before, result, result.kpis, known!, id) };
  }
}

/** Results kept to answer deltas on: the last few a client may hold (one per preview and options). */
const KEPT_FOR_CLIENTS = 16;

/** Whether a kept result was only given a new place (engine/run.ts copies it with `at` alone changed). */
function onlyMoved(before: KpiResult, now: KpiResult): boolean {
  const a = before as unknown as Record<string, unknown>;
  const b = now as unknown as Record<string, unknown>;
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const key of keys) if (key !== 'at' && a[key] !== b[key]) return false;
  return true;
}

/** The results a delta makes from the results it applies to (the server's side, and the preview's). */
export function applyDelta(base: EvaluateResult, delta: ResultDelta): EvaluateResult {
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
  return { ...delta.rest, kpis };
}
