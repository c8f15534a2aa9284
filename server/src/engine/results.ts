/**
 * The results model: what evaluating a spec against its sample data gives. Plain JSON data,
 * the one shape the CLI (`kpispec eval --format json`), the language server (hover, code lens)
 * and the preview all read. Values are raw numbers (a percent KPI's 0.237 is 23.7%), never
 * pre-formatted; `null` means no data (a division by zero, a missing period, a null input).
 */
export type Status = 'met' | 'at_risk' | 'missed' | 'no_target' | 'no_data';

export interface Bound {
  min?: number;
  max?: number;
}

export interface Period {
  /** `2026-01` (month), `2026-W03` (ISO week), `2026-Q1`, `2026`, `2026-01-15` (day), `all`. */
  key: string;
  /** First and last local day of the period, `YYYY-MM-DD` (absent for `all`). */
  start?: string;
  end?: string;
}

export interface Point {
  period: string;
  value: number | null;
  /** The target and warn band in force in this period, if any. */
  target?: Bound;
  warn?: Bound;
  status: Status;
}

export interface Latest {
  /** The last period in range with a value; absent when no period has one. */
  period?: string;
  value: number | null;
  status: Status;
  target?: Bound;
  warn?: Bound;
  /** The previous period's value and the change to this one (value - previous). */
  previous: number | null;
  change: number | null;
  /** change / |previous|, null when previous is null or 0. */
  changeRatio: number | null;
}

export interface BreakdownRow {
  /** The dimension value; null stands for rows where the dimension is empty. */
  group: string | null;
  latest: Latest;
  series: Point[];
}

export interface Breakdown {
  dimension: string;
  rows: BreakdownRow[];
}

/** A problem met while computing, pointing into the spec (or a data file) where it can. */
export interface EvalProblem {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  /** Offset and length in `file`, and the 1-based line/column they start at. */
  offset?: number;
  length?: number;
  line?: number;
  column?: number;
}

/** Where a definition's id is written: offset in its file and the 1-based line/column. */
export interface Location {
  offset: number;
  line: number;
  column: number;
}

export interface KpiResult {
  id: string;
  /** Where the KPI's id is written in `file`. */
  at?: Location;
  title?: string;
  description?: string;
  file: string;
  format: 'number' | 'percent' | 'currency' | 'duration';
  /** ISO currency code for currency values. */
  currency?: string;
  decimals?: number;
  direction: 'up' | 'down';
  /** The formula as written and its inferred unit, e.g. `CNY per count`. */
  formula: string;
  unit: string;
  series: Point[];
  latest: Latest;
  breakdowns: Breakdown[];
  problems: EvalProblem[];
}

export interface GoalResult {
  id: string;
  file?: string;
  at?: Location;
  title?: string;
  horizon?: 'short' | 'long';
  /** Weighted share of its KPIs with a target that are met in their latest period; null if none has a target. */
  attainment: number | null;
  kpis: { id: string; weight: number; status: Status }[];
}

export interface SourceResult {
  id: string;
  /** The data file relative to the spec, or `rows` for inline rows. */
  file: string;
  rows: number;
  /** The dimensions it declares: what a breakdown (`by`) may name. */
  dimensions?: string[];
  /** First and last day with data (local), `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  /** A rollup: the source it rolls up, that source's rows, and those with an empty key (in no entity). `rows` counts the entities. */
  rollup?: { from: string; fromRows: number; unkeyed: number };
  /**
   * Rows no KPI counts, by reason (absent when none): read but in no period (an empty or
   * unreadable time), in no entity of a rollup (an empty key), or lines not read as rows (inside
   * an unclosed quote, not a JSON object). `rows` never hides them.
   */
  skipped?: { reason: string; rows: number }[];
  /** Each lookup: the source looked up and how many rows found their match. */
  lookups?: { name: string; source: string; matched: number; unmatched: number }[];
  problems: EvalProblem[];
}

export interface EvalResult {
  /** Version of this JSON shape; bumped on a breaking change. */
  version: 1;
  spec: { file: string; name?: string };
  grain: 'day' | 'week' | 'month' | 'quarter' | 'year' | 'all';
  timezone: string;
  currency: string;
  periods: Period[];
  sources: SourceResult[];
  goals: GoalResult[];
  kpis: KpiResult[];
  /** Problems of the spec itself (errors stop evaluation of what they touch) and of the run. */
  problems: EvalProblem[];
}
