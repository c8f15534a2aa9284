import type { Bound } from './results';

/**
 * How far a value is from a target band: 0 inside it (bounds inclusive), else the gap to the
 * nearer edge. A minimum alone is an `up` target, a maximum alone a `down` one, both a range.
 */
export function distanceToBand(value: number, band: Bound): number {
  if (band.min !== undefined && value < band.min) return band.min - value;
  if (band.max !== undefined && value > band.max) return value - band.max;
  return 0;
}

/**
 * OKR-style progress in 0..1: the share of the baseline's distance to the target band that
 * the value has closed, 1 - d(value) / d(baseline), clamped. For a minimum this is
 * (value - baseline) / (min - baseline), for a maximum its mirror, and for a range the same
 * toward whichever edge the value is short of. A baseline already inside the band scores 1
 * while the value stays inside and 0 once it leaves.
 */
export function progressScore(value: number, baseline: number, band: Bound): number {
  const start = distanceToBand(baseline, band);
  const now = distanceToBand(value, band);
  if (start === 0) return now === 0 ? 1 : 0;
  return Math.min(1, Math.max(0, 1 - now / start));
}

/** The single number a band is graded toward, for display: the edge nearer the baseline (its one bound for one-sided bands). */
export function targetEdge(band: Bound, baseline: number | null): number | null {
  if (band.min !== undefined && band.max !== undefined) return baseline !== null && baseline > band.max ? band.max : band.min;
  return band.min ?? band.max ?? null;
}
