import type { EvalResult } from '../engine/results';
import type { DataAccess, EvalOptions } from '../engine/run';
import { explainKpis, periodPair } from '../explain';
import type { Workspace } from '../language/workspace';
import type { ExplainResult } from '../protocol';

/** What is explained: a KPI, and the periods compared (periodPair.ts; the defaults when absent). */
export interface ExplainAsk {
  kpi: string;
  period?: string;
  vs?: string;
}

/**
 * The results an explanation of one KPI reads: that KPI alone, with the periods and settings of
 * the whole (small enough to post to the evaluation worker). Undefined when the results do not
 * hold the KPI as one of the spec's own.
 */
export function resultsFor(results: EvalResult, kpi: string): EvalResult | undefined {
  const k = results.kpis.find((x) => x.id === kpi && x.file === results.spec.file);
  return k && { ...results, kpis: [k], goals: [], sources: [], problems: [] };
}

/**
 * Whether the KPI has nothing to explain in these results (no such periods, no value in one of
 * them): then its explanation says so without computing anything, on any thread.
 */
export function nothingToExplain(results: EvalResult, ask: ExplainAsk): boolean {
  const k = results.kpis.find((x) => x.id === ask.kpi);
  if (!k) return true;
  const pair = periodPair(results.periods, results.grain, k.series, { period: ask.period, vs: ask.vs });
  if ('error' in pair) return true;
  const value = (key: string) => k.series.find((p) => p.period === key)?.value ?? null;
  return value(pair.period) === null || value(pair.base) === null;
}

/**
 * Why a KPI moved, from results already computed with `options` (see explain/explain.ts): the
 * per-group sums are computed by the engine through `data`, which must not carry the `reuse` of
 * another evaluation (the pieces are a spec of their own). With the KPI's periods, for a picker.
 */
export function explainAnswer(ws: Workspace, file: string, results: EvalResult, options: EvalOptions, data: DataAccess, ask: ExplainAsk): ExplainResult | undefined {
  const k = results.kpis.find((x) => x.id === ask.kpi);
  if (!k) return undefined;
  const [explanation] = explainKpis(ws, file, results, options, data, { kpis: [ask.kpi], period: ask.period, vs: ask.vs });
  if (!explanation) return undefined;
  const valued = new Set(k.series.filter((p) => p.value !== null).map((p) => p.period));
  const periods = results.periods.filter((p) => valued.has(p.key)).map((p) => ({ key: p.key, ...(p.through ? { through: p.through } : {}) }));
  return {
    explanation,
    grain: results.grain,
    periods,
    ...(results.locale ? { locale: results.locale } : {}),
    kpi: { id: k.id, ...(k.title !== undefined ? { title: k.title } : {}), format: k.format, ...(k.currency ? { currency: k.currency } : {}), ...(k.decimals !== undefined ? { decimals: k.decimals } : {}), direction: k.direction },
  };
}
