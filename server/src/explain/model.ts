/**
 * What an explanation of a KPI's change says: plain JSON data, like the results model
 * (engine/results.ts). Values are raw numbers (a percent KPI's 0.004 is 0.4 points); `null`
 * means no data. `kpispec explain --format json` and `kpispec eval --format json --explain`
 * write it as is.
 */

/** How the KPI's change is split: by the kind of formula it has (docs/explain.md). */
export type ExplainKind = 'additive' | 'ratio' | 'derived';

/**
 * `difference`: each group's own change (sums and counts). `shift_share`: each group's rate
 * and mix effects (ratios of sums). `shapley`: each formula input's average effect over the
 * orders in which the inputs can change (any other formula).
 */
export type ExplainMethod = 'difference' | 'shift_share' | 'shapley';

/** What the period is compared with: the period before, the same period a year before, or one named. */
export type Versus = 'prev' | 'yoy' | 'period';

/** One group of a breakdown and its part of the change. */
export interface GroupPart {
  /** The dimension value; null stands for rows where the dimension is empty. */
  group: string | null;
  /** The group's value in the base period and in the period (additive: its sum; ratio: its rate). Null: no data. */
  before: number | null;
  after: number | null;
  /** The group's part of the change; the parts of a dimension add up to the change (see `residual`). */
  contribution: number;
  /** Ratio KPIs: the group's share of the denominator in each period (0 without rows). */
  shareBefore?: number;
  shareAfter?: number;
  /** Ratio KPIs: the part due to the group's own rate changing, and the part due to its share moving. `rate + mix = contribution`. */
  rate?: number;
  mix?: number;
}

/** The change split over the groups of one dimension. */
export interface DimensionParts {
  dimension: string;
  /** Every group, the largest part (by absolute value) first. */
  groups: GroupPart[];
  /** The change minus the sum of the parts: 0 but for rounding, unless the groups do not add up to the total (a note says why). */
  residual: number;
}

/** A formula input (a metric or KPI the formula names) and its part of the change. */
export interface InputPart {
  input: string;
  kind: 'metric' | 'kpi';
  before: number | null;
  after: number | null;
  /** Its Shapley value: null when no order gives it a defined effect (a division by zero on the way). */
  contribution: number | null;
  /** How its values are shown: a KPI's own format; a metric's by its unit (currency, seconds, ratio). */
  format: 'number' | 'percent' | 'currency' | 'duration';
  currency?: string;
  decimals?: number;
}

export interface InputParts {
  /** Every input, the largest part first. */
  inputs: InputPart[];
  /** The change minus the sum of the parts: 0 but for rounding, unless an effect is undefined on some order (a note says so). */
  residual: number;
}

/** One named reason for the change, as ranked for the summary. */
export interface Driver {
  /** `change`: a group's own change (additive); `rate` / `mix`: a group's rate or share (ratio); `input`: a formula input (derived). */
  effect: 'change' | 'rate' | 'mix' | 'input';
  dimension?: string;
  group?: string | null;
  input?: string;
  contribution: number;
  /** The driver as a marketer reads it: `mobile conversion rate fell from 2.90% to 2.20% (−0.31 pp)`. */
  text: string;
}

export interface Explanation {
  kpi: string;
  title?: string;
  kind: ExplainKind;
  method: ExplainMethod;
  /** The period explained and the one it is compared with (period keys of the results' grain). */
  period: string;
  base: string;
  vs: Versus;
  /** The KPI's value in `period` and in `base`, and `value - baseValue`. */
  value: number | null;
  baseValue: number | null;
  change: number | null;
  /** Ratio KPIs: the formula as `scale × numerator / denominator`, numerator and denominator being sums. */
  ratio?: { numerator: string; denominator: string; scale: number };
  /** Additive and ratio KPIs: the change split over each breakdown dimension (each split adds up to the change on its own). */
  dimensions: DimensionParts[];
  /** Derived KPIs: the change split over the formula's inputs. */
  inputs?: InputParts;
  /** The largest parts over every dimension (or input), largest first. */
  drivers: Driver[];
  /** One sentence naming the top drivers: `−0.40 pp: mobile conversion rate fell from 2.90% to 2.20% (−0.31 pp); …`. */
  summary: string;
  /** What limits the explanation: no data, a partial period, groups that do not add up, a dimension not available. */
  notes: string[];
}
