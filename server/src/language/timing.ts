/**
 * Per-phase wall-clock totals for benchmarks (`KPISPEC_TIMINGS=1`). Off by default: then
 * `timed` is a plain call and nothing is recorded.
 */
export const phaseTotals = new Map<string, number>();
let enabled = false;

export function enableTimings(): void {
  enabled = true;
}

export function timed<T>(phase: string, fn: () => T): T {
  if (!enabled) return fn();
  const start = performance.now();
  try {
    return fn();
  } finally {
    phaseTotals.set(phase, (phaseTotals.get(phase) ?? 0) + performance.now() - start);
  }
}
