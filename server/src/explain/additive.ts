/**
 * The change of a sum, split over the groups of a breakdown: each group's own change. A sum
 * (or count) over all rows is the sum of its groups, so the groups' changes add up to the
 * total change. Pure: plain numbers in, plain numbers out.
 */

/** A group's value in the base period (`before`) and in the period explained (`after`); null: no rows, counted as 0. */
export interface GroupValues {
  group: string | null;
  before: number | null;
  after: number | null;
}

export interface AdditiveSplit {
  /** The totals: the sums of the groups (nulls as 0), and their difference. */
  before: number;
  after: number;
  change: number;
  /** One per group, in the order given: `after - before`, nulls as 0. */
  parts: { group: string | null; before: number | null; after: number | null; contribution: number }[];
}

export function additiveSplit(groups: readonly GroupValues[]): AdditiveSplit {
  let before = 0;
  let after = 0;
  const parts = groups.map((g) => {
    before += g.before ?? 0;
    after += g.after ?? 0;
    return { group: g.group, before: g.before, after: g.after, contribution: (g.after ?? 0) - (g.before ?? 0) };
  });
  return { before, after, change: after - before, parts };
}
