import type { DiffResult } from '../../../server/src/diff/result';
import type { EvaluateDelta, EvaluateResult, ExplainResult, LineageGraph } from '../../../server/src/protocol';

/**
 * Every message between the preview panel (extension host) and its webview, declared once.
 * The webview bundle imports the types only; it never imports `vscode` or node modules.
 */

export type PreviewGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** What the reader chose in the preview's header. `undefined` means the spec's own default. */
export interface PreviewControls {
  grain?: PreviewGrain;
  /** Show only the last N periods; undefined shows every period with data. */
  last?: number;
  /** Break every KPI down by this dimension instead of its own `by`. */
  by?: string;
}

/** What the webview keeps across reloads (through `acquireVsCodeApi().setState`) and the serializer restores. */
export interface PreviewState {
  /** The spec the panel shows (a URI string). */
  uri: string;
  /** Locked panels stay on their spec; unlocked ones follow the active spec editor. */
  locked: boolean;
  controls: PreviewControls;
  /** The KPI whose chart and breakdown are shown. */
  selected?: string;
  /** Goals whose card shows the other range than their `horizon` picks (see horizon.ts). */
  goalRanges?: Record<string, GoalRange>;
  /** What the page shows under the header: the scorecard (the default) or the lineage graph. */
  view?: PreviewView;
  /** The periods the selected KPI's driver chart compares, when the reader picked them. */
  drivers?: DriversChoice;
}

/**
 * The periods a driver chart compares (docs/preview.md): `period` a period key at `grain` (the
 * default, the latest complete period with a value, when absent or of another grain), against
 * the period before it or the same period a year before.
 */
export interface DriversChoice {
  grain: string;
  period?: string;
  vs: 'prev' | 'yoy';
}

/** The preview's views: the goals and scorecard, or the lineage (sources → metrics → KPIs → goals). */
export type PreviewView = 'scorecard' | 'lineage';

/** The span of history a goal's card shows: `short` the last 6 months, `long` the last 2 years. */
export type GoalRange = 'short' | 'long';

/** Host → webview. */
export type HostMessage =
  /** New results. `seq` grows with every evaluation the host starts; the webview ignores older ones. */
  | {
      type: 'results';
      seq: number;
      uri: string;
      /** File name shown when the spec has no `name`. */
      fileName: string;
      result: EvaluateResult;
      controls: PreviewControls;
      locked: boolean;
    }
  /**
   * What changed since the results the webview shows (those whose resultId is `delta.base`),
   * instead of the results whole; on other results the webview asks for them (`resend`).
   */
  | {
      type: 'delta';
      seq: number;
      uri: string;
      fileName: string;
      delta: EvaluateDelta['delta'];
      controls: PreviewControls;
      locked: boolean;
    }
  /** An evaluation started (the webview may dim the current results); `seq` as above. */
  | { type: 'busy'; seq: number }
  /** Nothing can be shown: no spec open, the server failed, or Restricted Mode keeps data unread. */
  | { type: 'unavailable'; seq: number; title: string; detail: string }
  /** The panel was locked or unlocked from the editor title. */
  | { type: 'locked'; locked: boolean }
  /**
   * The definition under the editor's cursor in a file the results come from: the webview
   * scrolls to that KPI's row (or goal's card) and highlights it; neither means the cursor
   * is elsewhere (the highlight goes). Sent when the cursor moves onto another definition.
   * A metric or source is highlighted by the Lineage view only.
   */
  | { type: 'cursor'; kpi?: string; goal?: string; metric?: string; source?: string }
  /**
   * The lineage of the spec `uri` (its imports included), sent while the Lineage view is shown:
   * when it opens and after each change the server reports; null with `error` when it could not
   * be had.
   */
  | { type: 'lineage'; uri: string; lineage: LineageGraph | null; error?: string }
  /** The answer to `explain` number `id`: the explanation (null: not a spec), or why there is none. */
  | { type: 'explanation'; id: number; answer: ExplainResult | null; error?: string }
  /** Open a KPI's driver chart ("Explain this change"): once the results of `uri` show, select the KPI and scroll to its chart. */
  | { type: 'showDrivers'; uri: string; kpi: string };

/** Webview → host. */
export type WebviewMessage =
  /** The webview has loaded and listens; `state` is what it restored, if anything. */
  | { type: 'ready'; state?: PreviewState }
  /** A delta did not apply to the results shown (the page was reloaded): send the results whole. */
  | { type: 'resend' }
  /** The reader changed grain, range or breakdown: evaluate again with these. */
  | { type: 'controls'; controls: PreviewControls }
  /** The reader selected a KPI (or cleared the selection); kept for reloads. */
  | { type: 'select'; kpi?: string }
  /** The reader switched a goal's card to another range; kept for reloads. */
  | { type: 'goalRange'; goal: string; range: GoalRange }
  /** Reveal a place in the editor: a KPI or goal definition, or a problem's location. */
  | { type: 'reveal'; file: string; line?: number; column?: number; offset?: number }
  /** Lock the panel to its spec or let it follow the active editor. */
  | { type: 'lock'; locked: boolean }
  /** Export the shown results through the editor's save dialog. */
  | { type: 'export'; format: 'csv' | 'markdown' }
  /** The reader switched views; with `lineage` the host sends the spec's lineage. */
  | { type: 'view'; view: PreviewView }
  /**
   * Why a KPI of the results shown moved (`kpispec/explain`, at the controls' grain and
   * breakdown); the host answers `explanation` with the same `id`.
   */
  | { type: 'explain'; id: number; kpi: string; period?: string; vs?: 'prev' | 'yoy' };

/** The "Compare KPIs with Git" view: host → webview. */
export type CompareHostMessage =
  | {
      type: 'diff';
      /** The git revision compared with the working tree. */
      base: string;
      result: DiffResult;
      /** Open specs with unsaved edits (relative paths): compared as the editor holds them, not as saved. */
      unsaved: string[];
    }
  | { type: 'busy'; base: string }
  | { type: 'unavailable'; title: string; detail: string };

/** The compare view: webview → host. */
export type CompareWebviewMessage =
  | { type: 'ready' }
  /** Compare again (after saving, or against the same revision). */
  | { type: 'refresh' }
  /** Open a definition: its file relative to the workspace folder and its id. */
  | { type: 'open'; file: string; id: string };
