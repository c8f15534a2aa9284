import type { EvalResult, GoalResult } from '../../../server/src/engine/results';
import type { GoalRange } from '../preview/messages';

/**
 * How many periods of each grain a goal's card shows: `short` the last 6 months (a quarterly
 * objective and the quarter before it), `long` the last 2 years (a yearly objective against the
 * year before). Docs: docs/preview.md, "Goals".
 */
const PERIODS: Record<GoalRange, Record<EvalResult['grain'], number>> = {
  short: { day: 183, week: 26, month: 6, quarter: 2, year: 2, all: 1 },
  long: { day: 730, week: 104, month: 24, quarter: 8, year: 4, all: 1 },
};

export const RANGE_TEXT: Record<GoalRange, string> = { short: 'last 6 months', long: 'last 2 years' };

/** The range a goal's card shows: the reader's choice, else its horizon's, else short. */
export function goalRange(goal: GoalResult, chosen: Record<string, GoalRange> | undefined): GoalRange {
  return chosen?.[goal.id] ?? goal.horizon ?? 'short';
}

export function rangePeriods(range: GoalRange, grain: EvalResult['grain']): number {
  return PERIODS[range][grain];
}
