/**
 * The change of a formula f(x1, …, xn) from the base period's inputs to the period's, split
 * over its inputs by their Shapley values: each input's effect (the change of f when that
 * input alone moves from its base value to its new one) averaged over every order in which
 * the inputs could be moved, the others standing at their base or new values accordingly.
 * The parts add up to f(new) − f(base) exactly (up to rounding), whatever the formula (a
 * product, a quotient, growth()), and they are symmetric: swapping the periods negates them.
 * For two inputs it is the average of the two one-at-a-time orders; for a product a · b it
 * gives a's part as Δa × (b0 + b1) / 2, the midpoint rule.
 *
 * An effect that is undefined (a division by zero when one input moves before another) is left
 * out, and the input's remaining effects are averaged with their weights; the parts then need
 * not add up, and what they leave is the residual. Past {@link EXACT_LIMIT} inputs (2^n
 * evaluations) each input's part is the mean of its effect moved first and moved last, with
 * the residual. Pure: the caller gives f over which inputs have moved.
 */

export const EXACT_LIMIT = 12;

export interface ShapleySplit {
  /** f with no input moved, and with every input moved; null when undefined. */
  before: number | null;
  after: number | null;
  change: number | null;
  /** One per input, in order; null when no order gives the input a defined effect. */
  parts: (number | null)[];
  /** change − Σ parts (the defined ones); null when `change` is. */
  residual: number | null;
  /** Whether every order was counted (2^n evaluations, all defined): then the residual is rounding only. */
  exact: boolean;
}

/**
 * `value(moved)`: f with the inputs whose flag is true at their new values and the others at
 * their base values; null when undefined.
 */
export function shapleySplit(n: number, value: (moved: readonly boolean[]) => number | null): ShapleySplit {
  if (n >= 31) throw new RangeError('too many inputs');
  const memo = new Map<number, number | null>();
  const at = (mask: number): number | null => {
    let v = memo.get(mask);
    if (v === undefined) {
      const moved = Array.from({ length: n }, (_, i) => (mask & (1 << i)) !== 0);
      v = value(moved);
      if (v !== null && !Number.isFinite(v)) v = null;
      memo.set(mask, v);
    }
    return v;
  };
  const all = (1 << n) - 1;
  const before = at(0);
  const after = at(all);
  const change = before === null || after === null ? null : after - before;
  const parts: (number | null)[] = [];
  let exact = change !== null;
  if (n <= EXACT_LIMIT) {
    // Weight of a coalition of k others: k! (n − k − 1)! / n!
    const weight: number[] = [];
    for (let k = 0; k < n; k++) weight.push(1 / (n * binomial(n - 1, k)));
    for (let i = 0; i < n; i++) {
      const bit = 1 << i;
      let sum = 0;
      let used = 0;
      for (let mask = 0; mask <= all; mask++) {
        if (mask & bit) continue;
        const a = at(mask);
        const b = at(mask | bit);
        const w = weight[popcount(mask)]!;
        if (a === null || b === null) {
          exact = false;
          continue;
        }
        sum += w * (b - a);
        used += w;
      }
      parts.push(used > 0 ? sum / used : null);
    }
  } else {
    exact = false;
    for (let i = 0; i < n; i++) {
      const bit = 1 << i;
      const effects = [[at(bit), before], [after, at(all & ~bit)]].filter((e): e is [number, number] => e[0] !== null && e[1] !== null).map(([b, a]) => b - a);
      parts.push(effects.length ? effects.reduce((s, e) => s + e, 0) / effects.length : null);
    }
  }
  const residual = change === null ? null : change - parts.reduce<number>((s, p) => s + (p ?? 0), 0);
  return { before, after, change, parts, residual, exact };
}

function binomial(n: number, k: number): number {
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return out;
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}
