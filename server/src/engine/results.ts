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
  /**
   * Set when the period is partial: the data covers it only through this local day
   * (`YYYY-MM-DD`, before `end`), by the sources' last timestamp or by today in the spec's
   * time zone, whichever is earlier. Absent for a whole period.
   */
  through?: string;
}

export interface Point {
  period: string;
  value: number | null;
  /** The target and warn band in force in this period, if any, converted to the result's grain. */
  target?: Bound;
  warn?: Bound;
  status: Status;
  /** Why a declared target gives no verdict at this grain (status `no_target`), e.g. no honest conversion. */
  noTarget?: string;
  /**
   * On a partial period of an additive KPI: the target and warn band pro-rated to the days the
   * data covers. Status is judged against them, and `pace` says how it stands.
   */
  paceTarget?: Bound;
  paceWarn?: Bound;
  pace?: 'on_pace' | 'behind_pace';
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
  /** Set when the period is partial (see {@link Period.through}). */
  through?: string;
  /** Fields of {@link Point} that describe the latest period. */
  noTarget?: string;
  paceTarget?: Bound;
  paceWarn?: Bound;
  pace?: 'on_pace' | 'behind_pace';
  /**
   * How `previous` was taken: the whole previous period, or (for a partial period) the same
   * number of days at the start of the previous period, like for like. `none` when a partial
   * period has no like-for-like value (then `previous` and `change` are null), with the reason.
   */
  compared?: 'whole' | 'same_days' | 'none';
  comparedNote?: string;
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

/** On track, at risk or off track: where a key result's projection lands against its target at the due date. */
export type Track = 'on_track' | 'at_risk' | 'off_track';

export interface KeyResult {
  id: string;
  weight: number;
  /** The KPI's status in its latest period. */
  status: Status;
  /** Where progress is measured from: the declared baseline, or the value at the goal's start. */
  baseline?: number | null;
  /** The period `baseline` was read from; absent for a declared baseline. */
  baselinePeriod?: string;
  /** The value graded and its period: the latest period with a value (a whole one for a sum), or the due period once the data reaches it. */
  value?: number | null;
  period?: string;
  /** The target the key result is graded against (the bound in force at the due date, or in the latest period without `due`). */
  target?: number | null;
  /** That target as a band (both bounds of a range; `target` is the edge graded toward), and its warn band. */
  targetBound?: Bound;
  warnBound?: Bound;
  /** OKR-style progress in 0..1 from baseline toward target; null when it cannot be graded (no target, no data, no baseline). */
  score: number | null;
  /** Why `score` is null. */
  scoreNote?: string;
  /** The value projected to the due date and how it lands against the target. */
  projected?: number | null;
  track?: Track;
  /**
   * How `projected` was found: a run-rate (additive KPIs), a trend (ratios, averages, rates),
   * or the actual value of the due period once the data reaches it.
   */
  method?: 'run_rate' | 'trend' | 'actual';
  /** Why there is no projection, or what limits it (few periods). */
  projectedNote?: string;
}

export interface GoalResult {
  id: string;
  file?: string;
  at?: Location;
  title?: string;
  horizon?: 'short' | 'long';
  /** The goal's start and due dates, `YYYY-MM-DD`, when declared. */
  start?: string;
  due?: string;
  /** Graded attainment: the weighted mean of its key results' scores; null if none can be graded. */
  attainment: number | null;
  /** Weighted share of its KPIs with a target that are met in their latest period; null if none has a target. */
  met: number | null;
  /** The goal's track: its worst key result's (absent without `due`). */
  track?: Track;
  kpis: KeyResult[];
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
  /** BCP 47 locale numbers and dates are shown in (`defaults.locale`); absent = the default (`en`). */
  locale?: string;
  periods: Period[];
  sources: SourceResult[];
  goals: GoalResult[];
  kpis: KpiResult[];
  /** Problems of the spec itself (errors stop evaluation of what they touch) and of the run. */
  problems: EvalProblem[];
}
