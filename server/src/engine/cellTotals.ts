import type { Agg } from '../language/model';
import type { CellLayout } from './aggregate';

/** Which cells (period × group) hold any row, and the cell of each row (valid when its period is ≥ 0). */
export function cellsOf(layout: CellLayout, rows: number): { present: Uint8Array; cellOf: (r: number) => number } {
  const { period, group } = layout;
  const present = new Uint8Array(layout.periods * layout.groups);
  const cellOf = (r: number) => (group ? period[r]! * layout.groups + group[r]! : period[r]!);
  for (let r = 0; r < rows; r++) if (period[r]! >= 0) present[cellOf(r)] = 1;
  return { present, cellOf };
}

/**
 * A sum, count, average, minimum or maximum per cell as rows come: how many rows each cell kept,
 * how many readable values it counted, and their sum or extreme.
 */
export class CellTotals {
  readonly acc: Float64Array;
  readonly count: Float64Array;
  readonly kept: Float64Array;

  constructor(cells: number, private readonly agg: Agg) {
    this.acc = new Float64Array(cells);
    this.count = new Float64Array(cells);
    this.kept = new Float64Array(cells);
    if (agg === 'min') this.acc.fill(Infinity);
    if (agg === 'max') this.acc.fill(-Infinity);
  }

  /** A readable value (or a group's sum, minimum or maximum, as the aggregate takes). */
  add(c: number, v: number): void {
    if (this.agg === 'sum' || this.agg === 'avg') this.acc[c] += v;
    else if (this.agg === 'min') { if (v < this.acc[c]!) this.acc[c] = v; }
    else if (this.agg === 'max') { if (v > this.acc[c]!) this.acc[c] = v; }
  }

  /** Each cell's value: NaN (no data) where no row is present. */
  values(present: Uint8Array): Float64Array {
    const { agg, acc, count, kept } = this;
    const out = new Float64Array(present.length).fill(NaN);
    for (let c = 0; c < present.length; c++) {
      if (!present[c]) continue;
      if (agg === 'count') out[c] = count[c]!;
      // Rows kept whose values are all unreadable or empty are no data, never a zero.
      else if (agg === 'sum') out[c] = kept[c] && !count[c] ? NaN : acc[c]!;
      else out[c] = count[c] ? (agg === 'avg' ? acc[c]! / count[c]! : acc[c]!) : NaN;
    }
    return out;
  }
}
