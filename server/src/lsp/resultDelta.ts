import { deltaOf, type ResultDelta } from '../engine/delta';
import type { KpiResult } from '../engine/results';
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
export function answerFor(answer: EvaluateResult, made: KpiResult[], sent: Sent | undefined, have: number | undefined): { result?: EvaluateResult; delta?: ResultDelta<EvaluateResult>; sent: Sent } {
  const periods = answer.periods.map((p) => p.key).join(',');
  const from = new Map<string, KpiResult>();
  for (const k of made) from.set(k.id, k);
  const next: Sent = { epoch: ++epochs, periods, from };
  const unique = from.size === made.length;
  if (!sent || have !== sent.epoch || sent.periods !== periods || !unique) return { result: answer, sent: next };
  return { delta: deltaOf(sent.from, answer, made, sent.epoch, next.epoch), sent: next };
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

