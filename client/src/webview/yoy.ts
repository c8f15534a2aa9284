import type { Point } from '../../../server/src/engine/results';

/**
 * The key of the same period one year before (`2026-03` → `2025-03`, `2026-Q4` → `2025-Q4`,
 * `2026-W05` → `2025-W05`, `2026` → `2025`); undefined for `all`.
 */
export function yearBefore(key: string): string | undefined {
  const m = /^(\d{4})(-.*)?$/.exec(key);
  return m ? `${Number(m[1]) - 1}${m[2] ?? ''}` : undefined;
}

/**
 * For each of `shown`, the value of the same period last year in `series` (null where the
 * series does not reach back that far), or undefined when fewer than two such values exist:
 * a single point is no line to compare with.
 */
export function lastYearValues(series: Point[], shown: Point[]): (number | null)[] | undefined {
  const byKey = new Map(series.map((p) => [p.period, p.value]));
  const values = shown.map((p) => {
    const key = yearBefore(p.period);
    return key === undefined ? null : (byKey.get(key) ?? null);
  });
  return values.filter((v) => v !== null).length >= 2 ? values : undefined;
}
