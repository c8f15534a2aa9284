import type { DriversChoice, GoalRange, PreviewControls, PreviewState, PreviewView } from '../preview/messages';

/** Where a click should take the editor: a file and, when known, a line/column or offset. */
export interface Place {
  file: string;
  line?: number;
  column?: number;
  offset?: number;
}

/** What the rendered page can ask for; main.ts turns these into state changes and messages to the host. */
export interface Actions {
  controls(next: PreviewControls): void;
  /** Select a KPI (undefined clears the selection); `scroll` brings its row into view. */
  select(kpi: string | undefined, scroll?: boolean): void;
  reveal(place: Place): void;
  /** Show a goal's card over another range than its horizon's. */
  goalRange(goal: string, range: GoalRange): void;
  lock(locked: boolean): void;
  exportAs(format: 'csv' | 'markdown'): void;
  /** Show the scorecard or the lineage. */
  view(view: PreviewView): void;
  /** Compare other periods in the selected KPI's driver chart. */
  drivers(choice: DriversChoice): void;
}

/** What a renderer may read besides the results. */
export interface Ui {
  state: PreviewState;
  actions: Actions;
}
