/** Semantic diff of two versions of a set of spec files, with its effect on the numbers. */
export { diffSpecs } from './diffSpecs';
export { attachImpact, evaluateSide } from './impact';
export type { DiffSide } from './side';
export type * from './result';
