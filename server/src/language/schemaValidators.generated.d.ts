import type { ValidateFunction } from 'ajv';

/** The schema's fingerprint (schemaSplit.ts) these validators were compiled from; null when it cannot be split. */
export const fingerprint: string | null;
export const skeleton: ValidateFunction;
export const sources: ValidateFunction;
export const metrics: ValidateFunction;
export const kpis: ValidateFunction;
export const goals: ValidateFunction;
