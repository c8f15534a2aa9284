/**
 * Why a KPI moved: its change between two periods split over the groups of its breakdowns or
 * over its formula's inputs (docs/explain.md). The pure math works on plain numbers per group;
 * `explainKpis` feeds it from the engine's results.
 */
export { explainKpis, type ExplainRequest } from './explain';
export { additiveSplit, type AdditiveSplit, type GroupValues } from './additive';
export { ratioSplit, type MixMethod, type RatioCell, type RatioGroup, type RatioOptions, type RatioPart, type RatioSplit } from './shiftShare';
export { shapleySplit, EXACT_LIMIT, type ShapleySplit } from './shapley';
export { kpiShape, inputsOf, type KpiShape, type Piece, type Term } from './kpiShape';
export { periodPair, yearBefore, type PeriodChoice, type PeriodPair } from './periodPair';
export { formatDelta, formatShare, summarize } from './wording';
export type { DimensionParts, Driver, ExplainKind, ExplainMethod, Explanation, GroupPart, InputPart, InputParts, Versus } from './model';
