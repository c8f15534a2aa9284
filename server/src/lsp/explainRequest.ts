import * as path from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';
import type { EvalOptions } from '../engine/run';
import type { Explanation } from '../explain';
import { periodStart } from '../language/period';
import { ExplainKpiRequest, type EvaluateResult, type ExplainParams } from '../protocol';
import { uriToPath } from './convert';
import { evaluateParams } from './evaluateParams';
import { cancelled } from './evaluations';
import { Dropped, Superseded } from './evalPool';
import type { ExplainAsk } from './explainWork';
import { resultsFor } from './explainWork';
import { guardRequest } from './guard';
import { invalid, object, string } from './params';
import type { RequestContext } from './requests';

const SPEC = /\.kpi\.ya?ml$/;
const PERIOD = 'a period such as 2026, 2026-Q1, 2026-01, 2026-W05 or 2026-01-15';
const MAX_ID = 200;

/**
 * How long a hover waits for its KPI's explanation once the values are there (on the sample, a
 * first hover after an edit takes 20 to 45 ms with it, 5 to 25 ms without). Past it the hover
 * answers without the sentence, and the explanation goes on in the worker for the next hover: a
 * hover never waits long for it.
 */
export const WHY_WAIT_MS = 150;

/** The params of `kpispec/explain`, checked; an absent or null field takes its default. */
export function explainParams(raw: unknown): { uri: string; options: EvalOptions; ask: ExplainAsk } {
  const p = object(raw, 'params') as Partial<Record<keyof ExplainParams, unknown>>;
  const uri = string(p.uri, 'uri');
  if (typeof p.kpi !== 'string' || !p.kpi || p.kpi.length > MAX_ID) throw invalid('kpi', `the id of a KPI (a string of 1 to ${MAX_ID} characters)`);
  const { options } = evaluateParams({ uri, grain: p.grain, by: p.by });
  if (options.grain === 'all') throw invalid('grain', 'one of day, week, month, quarter, year (`all` has one period, nothing to compare)');
  const ask: ExplainAsk = { kpi: p.kpi };
  if (p.period != null) {
    if (typeof p.period !== 'string' || periodStart(p.period) === undefined) throw invalid('period', PERIOD);
    ask.period = p.period;
  }
  if (p.vs != null) {
    if (typeof p.vs !== 'string' || (p.vs !== 'prev' && p.vs !== 'yoy' && periodStart(p.vs) === undefined)) throw invalid('vs', `prev, yoy or ${PERIOD}`);
    ask.vs = p.vs;
  }
  return { uri, options, ask };
}

/**
 * `kpispec/explain` (protocol.ts): the KPI evaluated alone at the asked grain and breakdown
 * (every period, whatever the preview's range), then explained in the evaluation worker.
 */
export function registerExplainRequest(c: Connection, ctx: RequestContext): void {
  c.onRequest(ExplainKpiRequest, guardRequest(ctx.log, ExplainKpiRequest.method, async (p: unknown, token: CancellationToken) => {
    const { uri, options, ask } = explainParams(p);
    const file = uriToPath(uri);
    if (!file || !SPEC.test(file) || !ctx.specText(file)) return null;
    const asked: EvalOptions = { ...options, kpis: [ask.kpi] };
    // A newer edit may replace the evaluation or the explanation: then answer for the newest version.
    for (;;) {
      try {
        const results = await ctx.evaluate(file, asked, token);
        if (!resultsFor(results, ask.kpi)) throw new ResponseError(ErrorCodes.InvalidParams, `kpi must be the id of a KPI that ${path.basename(file)} defines; \`${ask.kpi}\` is not one`);
        return await ctx.explain(file, results, asked, ask, token);
      } catch (e) {
        if (token.isCancellationRequested) throw cancelled();
        if (e instanceof Superseded) continue;
        if (e instanceof Dropped) throw new ResponseError(LSPErrorCodes.ServerCancelled, e.message);
        throw e;
      }
    }
  }));
}

/**
 * Why the hovered KPI moved in its latest complete period, if that is worked out within
 * WHY_WAIT_MS of the values; it is kept with the results, so the next hover has it at once.
 */
export async function hoverExplanation(ctx: RequestContext, file: string, kpi: string, results: EvaluateResult, options: EvalOptions, token: CancellationToken): Promise<Explanation | undefined> {
  if (!resultsFor(results, kpi)) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), WHY_WAIT_MS)));
  try {
    const answer = await Promise.race([ctx.explain(file, results, options, { kpi }, token, true).catch(() => undefined), late]);
    return answer?.explanation;
  } finally {
    clearTimeout(timer);
  }
}
