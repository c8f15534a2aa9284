import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { EvalResult } from './engine/results';
import type { Grain } from './language/model';

/** Every custom message between the kpispec client and server, declared once. */

export interface EvaluateParams {
  /** The spec document. */
  uri: string;
  grain?: Grain;
  from?: string;
  to?: string;
  last?: number;
  /** Break every KPI down by this dimension instead of its own `by`. */
  by?: string;
}

/**
 * Client → server: evaluate a spec against its sample data (the preview). Answers the results
 * model, or null when the document is not a spec. Cancellable.
 */
export const EvaluateRequest = new RequestType<EvaluateParams, EvalResult | null, void>('kpispec/evaluate');

export interface ResultsChangedParams {
  uri: string;
  /** The document version the new results belong to. */
  version: number;
}

/** Server → client: a spec's results may have changed (its text, an import or its data changed). */
export const ResultsChangedNotification = new NotificationType<ResultsChangedParams>('kpispec/resultsChanged');
