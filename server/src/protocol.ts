import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { EvalResult, KpiResult } from './engine/results';
import type { ResultDelta } from './engine/delta';
import type { Grain } from './language/model';
import type { Explanation } from './explain/model';
import type { LineageGraph } from './language/lineageGraph';
export type { LineageGraph, LineageGraphEdge, LineageGraphNode } from './language/lineageGraph';

/** Every custom message between the kpispec client and server, declared once. */

export interface EvaluateParams {
  /** The spec document. */
  uri: string;
  /** One of day, week, month, quarter, year, all. */
  grain?: Grain;
  /** Periods as written in targets (`2026-01`, `2026-Q1`, `2026-W05`, `2026-01-15`, `2026`), inclusive; `from` not after `to`. */
  from?: string;
  to?: string;
  /** Only the last N periods with data; a whole number, 1 or more. */
  last?: number;
  /** Break every KPI down by this dimension instead of its own `by`. */
  by?: string;
  /**
   * The `resultId` of results the client holds for the same spec and options: the answer may
   * then be a delta on them (EvaluateDelta) instead of the whole results.
   */
  known?: number;
}

/**
 * Why an answer was summarised and how much of it is left, in values (one value is one period
 * of one series: a KPI's total or one group of a breakdown).
 */
export interface Truncation {
  /** What was left out and how to see all of it, in words the preview shows as they are. */
  reason: string;
  /** Values in the answer. */
  kept: number;
  /** Values in the full results. */
  total: number;
}

/**
 * The results of a spec (evaluation.md). An answer over the budget of 50,000 values (about 5 MB
 * of JSON; `POINT_BUDGET`) is summarised, and says so in `truncated`: every breakdown keeps its
 * 10 groups with the largest latest values, then, if still over, every series keeps its last
 * periods. Latest values, statuses and goals are always those of the full results.
 */
export interface EvaluateResult extends EvalResult {
  truncated?: Truncation;
  /** Names these results, for `known` in a later request. */
  resultId?: number;
}

/**
 * An answer to a request with `known`: the KPIs changed since those results (whole), those that
 * only moved in the file (their new `at`), every KPI id in order, and the rest of the results.
 * `delta.epoch` is the new results' `resultId`. See server/src/engine/delta.ts (applyDelta).
 */
export interface EvaluateDelta {
  delta: ResultDelta<EvaluateResult>;
}

/**
 * The most values an evaluation answer carries: about 5 MB of JSON. A month of the sample by its
 * own breakdowns is 9,000; a day by channel was 143,000 (14 MB, seconds to send and to draw).
 */
export const POINT_BUDGET = 50_000;
/** Groups a breakdown keeps when an answer is over budget. */
export const GROUPS_KEPT = 10;

/**
 * Client → server: evaluate a spec against its sample data (the preview). Answers the results,
 * or null when the document is not a spec. Invalid params are refused with InvalidParams
 * (-32602) naming the field and what it allows. Cancellable: a cancelled request stops its
 * evaluation (unless another request waits for the same one) and answers RequestCancelled
 * (-32800).
 */
export const EvaluateRequest = new RequestType<EvaluateParams, EvaluateResult | EvaluateDelta | null, void>('kpispec/evaluate');

export interface ResultsChangedParams {
  uri: string;
  /** The document version the new results belong to. */
  version: number;
}

/** Server → client: a spec's results may have changed (its text, an import or its data changed). */
export const ResultsChangedNotification = new NotificationType<ResultsChangedParams>('kpispec/resultsChanged');

export interface LineageParams {
  /** The spec document. */
  uri: string;
}

/**
 * Client → server: the lineage of a spec and the files it imports (the preview's Lineage view):
 * every source, metric, KPI and goal with where its id is written, and what feeds what; the
 * same nodes and edges as `kpispec lineage --format json`. Answers null when the document is
 * not a spec. Reads no data files, so it answers in Restricted Mode too.
 */
export const LineageRequest = new RequestType<LineageParams, LineageGraph | null, void>('kpispec/lineage');

export interface ExplainParams {
  /** The spec document. */
  uri: string;
  /** The KPI to explain: the id of one of the spec's own KPIs (not of an import). */
  kpi: string;
  /** As in EvaluateParams: the grain of the periods compared (not `all`: it has one period). */
  grain?: Exclude<Grain, 'all'>;
  /** Split by this dimension instead of the KPI's own `by`. */
  by?: string;
  /** The period explained, a period key at the grain (`2026-10`); default: the latest complete period with a value. */
  period?: string;
  /** What it is compared with: `prev` (the period before; the default), `yoy` (a year before) or a period key. */
  vs?: string;
}

/** A KPI's change explained (docs/explain.md), with what a reader needs to show it and to pick other periods. */
export interface ExplainResult {
  /** As `kpispec explain --format json` gives it: the change split by dimension (or input), ranked drivers, the sentence, notes. */
  explanation: Explanation;
  grain: Grain;
  /** The periods in which the KPI has a value, oldest first; `through` marks a partial one. */
  periods: { key: string; through?: string }[];
  /** The locale values are written in (the editor's setting, else the spec's). */
  locale?: string;
  /** How the KPI's values are written, and which way it should move. */
  kpi: Pick<KpiResult, 'id' | 'title' | 'format' | 'currency' | 'decimals' | 'direction'>;
}

/**
 * Client → server: why a KPI moved between two periods (the preview's driver chart), computed
 * in the evaluation worker from the same data as `kpispec/evaluate`. Answers null when the
 * document is not a spec. A KPI the spec does not define, or a grain or period that cannot be,
 * is refused with InvalidParams (-32602); periods outside the results are not an error: the
 * explanation says so in its notes. Cancellable like `kpispec/evaluate`.
 */
export const ExplainKpiRequest = new RequestType<ExplainParams, ExplainResult | null, void>('kpispec/explain');
