/**
 * The change of a ratio of sums (R = scale × ΣN / ΣD, e.g. conversion = orders / sessions),
 * split over the groups of a breakdown into a rate effect and a mix effect per group, by the
 * symmetric shift-share decomposition (docs/explain.md). With s the group's share of the
 * denominator (D_g / D) and r its rate (scale × N_g / D_g), in the base period (0) and the
 * period explained (1):
 *
 *   rate_g = (r1 − r0) × (s0 + s1) / 2
 *   mix_g  = (s1 − s0) × ((r0 + r1) / 2 − R̄)     centered (default), R̄ = (R0 + R1) / 2
 *   mix_g  = (s1 − s0) × (r0 + r1) / 2            plain
 *
 * Since R = Σ s_g r_g and the shares add up to 1 in both periods, Σ (rate_g + mix_g) = R1 − R0
 * exactly (up to rounding) either way: the centered mix subtracts (s1 − s0) × R̄, which adds up
 * to 0 over the groups, so that a group whose share grows lowers the ratio when its rate is
 * below the average, and raises it when above. The rate effects are the same in both.
 *
 * A group without denominator in one period (absent then, or D_g = 0) has a share of 0 and no
 * rate there: its missing rate is taken equal to its rate in the other period, so its rate
 * effect is 0 and its whole part is mix (it entered or left the mix). A group without
 * denominator in both periods but with a numerator (orders without sessions) has its whole
 * part, N_g / D, as rate effect. Either way the parts still add up exactly. Pure.
 */

/** A group's sums in one period. */
export interface RatioCell {
  numerator: number;
  denominator: number;
}

/** A group's sums in the base period and in the period explained; null: no rows (0 and 0). */
export interface RatioGroup {
  group: string | null;
  before: RatioCell | null;
  after: RatioCell | null;
}

export interface RatioPart {
  group: string | null;
  shareBefore: number;
  shareAfter: number;
  /** The group's rate (scale × N_g / D_g) in each period; null without denominator. */
  rateBefore: number | null;
  rateAfter: number | null;
  rate: number;
  mix: number;
  /** rate + mix */
  contribution: number;
}

export type MixMethod = 'centered' | 'plain';

export interface RatioSplit {
  /** The totals: scale × ΣN / ΣD in each period; null when ΣD is 0 (then there are no parts). */
  before: number | null;
  after: number | null;
  change: number | null;
  /** One per group, in the order given (none when a total is null). */
  parts: RatioPart[];
}

export interface RatioOptions {
  /** A constant factor of the formula (`orders / sessions * 100`): rates are scaled by it. Default 1. */
  scale?: number;
  /** Default `centered`. */
  mix?: MixMethod;
}

export function ratioSplit(groups: readonly RatioGroup[], options: RatioOptions = {}): RatioSplit {
  const scale = options.scale ?? 1;
  const centered = (options.mix ?? 'centered') === 'centered';
  const total = (side: 'before' | 'after') => {
    let n = 0;
    let d = 0;
    for (const g of groups) {
      n += g[side]?.numerator ?? 0;
      d += g[side]?.denominator ?? 0;
    }
    return { n, d, value: d === 0 ? null : (scale * n) / d };
  };
  const t0 = total('before');
  const t1 = total('after');
  if (t0.value === null || t1.value === null) {
    return { before: t0.value, after: t1.value, change: null, parts: [] };
  }
  const mean = (t0.value + t1.value) / 2;
  const parts = groups.map((g): RatioPart => {
    const n0 = g.before?.numerator ?? 0;
    const d0 = g.before?.denominator ?? 0;
    const n1 = g.after?.numerator ?? 0;
    const d1 = g.after?.denominator ?? 0;
    const s0 = d0 / t0.d;
    const s1 = d1 / t1.d;
    const r0 = d0 === 0 ? null : (scale * n0) / d0;
    const r1 = d1 === 0 ? null : (scale * n1) / d1;
    const ds = s1 - s0;
    let rate: number;
    let mix: number;
    if (r0 !== null && r1 !== null) {
      rate = (r1 - r0) * (s0 + s1) / 2;
      mix = ds * ((r0 + r1) / 2 - (centered ? mean : 0));
    } else {
      // The group's term in R is scale × N_g / D: s × r where it has a denominator.
      const dt = (scale * n1) / t1.d - (scale * n0) / t0.d;
      const part = dt - (centered ? ds * mean : 0);
      if (r0 === null && r1 === null) {
        rate = part;
        mix = 0;
      } else {
        rate = 0;
        mix = part;
      }
    }
    return { group: g.group, shareBefore: s0, shareAfter: s1, rateBefore: r0, rateAfter: r1, rate, mix, contribution: rate + mix };
  });
  return { before: t0.value, after: t1.value, change: t1.value - t0.value, parts };
}
