import type { ColumnType, Thousands } from '../data/table';
import type { Encoding } from '../data/encoding';
import type { Expr, FormulaError } from './formula/ast';
import type { Span } from './span';
import type { YMap, YNode } from './yaml/tree';

/** A value as written, with where it was written. */
export interface Located<T> {
  value: T;
  span: Span;
}

export type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'all';
export const GRAINS: readonly Grain[] = ['day', 'week', 'month', 'quarter', 'year', 'all'];
/** The grains a target can be set for (`per`): every grain but `all`, which has no length. */
export type TargetGrain = Exclude<Grain, 'all'>;
export const TARGET_GRAINS: readonly TargetGrain[] = ['day', 'week', 'month', 'quarter', 'year'];
export type Agg = 'sum' | 'count' | 'count_distinct' | 'avg' | 'min' | 'max' | 'retained' | 'first_seen';
export const AGGS: readonly Agg[] = ['sum', 'count', 'count_distinct', 'avg', 'min', 'max', 'retained', 'first_seen'];
export type UnitName = 'count' | 'currency' | 'seconds' | 'ratio';
export type Format = 'number' | 'percent' | 'currency' | 'duration';
export type Direction = 'up' | 'down';

/** A parsed formula; spans in `expr` and `errors` are document offsets. */
export interface Formula {
  text: string;
  span: Span;
  expr: Expr;
  errors: FormulaError[];
}

export type DefKind = 'source' | 'metric' | 'kpi' | 'goal';

interface DefBase {
  id: string;
  /** Absolute path of the spec file that defines it. */
  file: string;
  idSpan: Span;
  /** The whole entry, key and value. */
  span: Span;
  node: YNode | null;
  title?: string;
  description?: string;
}

export interface SourceDef extends DefBase {
  kind: 'source';
  path?: Located<string>;
  rows?: Located<Record<string, unknown>[]>;
  /** A database table (`analytics.web_sessions`), read by the SQL engines only. */
  table?: Located<string>;
  time?: Located<string>;
  timeFormat?: Located<string>;
  dimensions: Located<string>[];
  format?: Located<'csv' | 'json' | 'ndjson'>;
  delimiter?: Located<string>;
  decimal?: Located<'.' | ','>;
  thousands?: Located<Thousands>;
  encoding?: Located<Encoding>;
  columns: Map<string, Located<ColumnType> & { nameSpan: Span }>;
  /** A rollup: the source it rolls up, one row per distinct `key` (RELATIONS: docs/language.md). */
  from?: Located<string>;
  /** A rollup's grouping key; on any other source, a key checked to be unique (a lookup target). */
  key: Located<string>[];
  /** A rollup's columns, by name. */
  aggregate: Map<string, RollupColumn>;
  lookups: Map<string, LookupDef>;
  derive: Map<string, DerivedColumn>;
}

export type RollupFn = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'count_distinct' | 'first' | 'last';
export const ROLLUP_FNS: readonly RollupFn[] = ['count', 'sum', 'avg', 'min', 'max', 'count_distinct', 'first', 'last'];

/** `name: fn(column)` in a rollup's `aggregate`; fn and column are set when the formula has that shape. */
export interface RollupColumn {
  name: string;
  nameSpan: Span;
  formula: Formula;
  fn?: Located<RollupFn>;
  column?: Located<string>;
}

/** `name: { source, on }` in `lookups`: each row looks up at most one row of `source` by its key. */
export interface LookupDef {
  name: string;
  nameSpan: Span;
  span: Span;
  source?: Located<string>;
  /** This source's columns; `remote` names the target's key column when it differs. */
  on: { local: Located<string>; remote?: Located<string> }[];
}

/** `name: formula` in `derive`: a column computed on each row. */
export interface DerivedColumn {
  name: string;
  nameSpan: Span;
  formula: Formula;
}

export interface MetricDef extends DefBase {
  kind: 'metric';
  source?: Located<string>;
  agg?: Located<Agg>;
  column?: Located<string>;
  where?: Formula;
  unit?: Located<UnitName>;
  currency?: Located<string>;
}

/** One step of a target or warn band; undated targets have one step without `from`. */
export interface TargetStep {
  from?: Located<string>;
  min?: Located<number> & { percent: boolean };
  max?: Located<number> & { percent: boolean };
  /** The period the bounds are set for (`per: quarter`); absent = the spec's `defaults.grain`. */
  per?: Located<TargetGrain>;
  span: Span;
}

export interface TargetDef {
  span: Span;
  dated: boolean;
  steps: TargetStep[];
}

export interface KpiDef extends DefBase {
  kind: 'kpi';
  formula?: Formula;
  format?: Located<Format>;
  direction?: Located<Direction>;
  target?: TargetDef;
  warn?: TargetDef;
  by: Located<string>[];
  decimals?: Located<number>;
}

export interface GoalMember {
  kpi: string;
  span: Span;
  weight?: Located<unknown>;
  /** Where progress is measured from, when declared (else the KPI's value at the goal's start). */
  baseline?: Located<number> & { percent: boolean };
}

export interface GoalDef extends DefBase {
  kind: 'goal';
  horizon?: Located<'short' | 'long'>;
  /** The period the goal starts in: its key results are graded from their value then. */
  start?: Located<string>;
  due?: Located<string>;
  members: GoalMember[];
  membersSpan?: Span;
}

export type Definition = SourceDef | MetricDef | KpiDef | GoalDef;

/** Every formula written in a definition: a KPI's formula, a metric's filter, a source's derived and rollup columns. */
export function formulasOf(def: Definition): Formula[] {
  const out: Formula[] = [];
  if (def.kind === 'kpi' && def.formula) out.push(def.formula);
  else if (def.kind === 'metric' && def.where) out.push(def.where);
  else if (def.kind === 'source') {
    for (const d of def.derive.values()) out.push(d.formula);
    for (const a of def.aggregate.values()) out.push(a.formula);
  }
  return out;
}

export interface Defaults {
  grain: Grain;
  currency: string;
  timezone: string;
  /** The BCP 47 tag values are shown in, as written; absent: the built-in format. Display only. */
  locale?: string;
  /** Where `timezone`, `currency` and `locale` are written, when they are (not the built-in defaults). */
  timezoneSpan?: Span;
  currencySpan?: Span;
  localeSpan?: Span;
}

/** One spec file as the checker understands it. */
export interface SpecFile {
  file: string;
  text: string;
  root: YMap | null;
  version?: Located<unknown>;
  name?: string;
  defaults: Defaults;
  imports: Located<string>[];
  sources: Map<string, SourceDef>;
  metrics: Map<string, MetricDef>;
  kpis: Map<string, KpiDef>;
  goals: Map<string, GoalDef>;
  /** Every definition in written order, including repeated ids (reported as duplicate-id). */
  definitions: Definition[];
}
