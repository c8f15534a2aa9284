/** The closed set of formula functions: nothing else resolves. */
export interface FunctionInfo {
  name: string;
  signature: string;
  doc: string;
  minArgs: number;
  maxArgs: number;
  /** Works across periods: only in KPI formulas over timed sources, never in `where`. */
  time: boolean;
  /** Works on one row: only in `where` and `derive`, never in KPI formulas. */
  row?: boolean;
  /** Index of an argument that must be a whole-number literal, with its allowed range. */
  literalArg?: { index: number; min: number; max: number; what: string };
}

const list: FunctionInfo[] = [
  { name: 'prev', signature: 'prev(x, n = 1)', doc: 'x in the period n before this one, in the same breakdown group; null at the first period.', minArgs: 1, maxArgs: 2, time: true, literalArg: { index: 1, min: 1, max: 1000, what: 'the number of periods back' } },
  { name: 'growth', signature: 'growth(x)', doc: 'Change against the previous period: x / prev(x) - 1.', minArgs: 1, maxArgs: 1, time: true },
  { name: 'rolling', signature: 'rolling(x, n)', doc: 'Sum of x over this period and the n - 1 periods before it.', minArgs: 2, maxArgs: 2, time: true, literalArg: { index: 1, min: 1, max: 1000, what: 'the window in periods' } },
  { name: 'cumulative', signature: 'cumulative(x)', doc: 'Running total of x since the first period in range.', minArgs: 1, maxArgs: 1, time: true },
  { name: 'if', signature: 'if(condition, then, else)', doc: 'then when the condition holds, else otherwise; null when the condition is null.', minArgs: 3, maxArgs: 3, time: false },
  { name: 'coalesce', signature: 'coalesce(a, b, ...)', doc: 'The first argument that is not null.', minArgs: 2, maxArgs: 100, time: false },
  { name: 'min', signature: 'min(a, b, ...)', doc: 'The smallest argument; null if any is null.', minArgs: 2, maxArgs: 100, time: false },
  { name: 'max', signature: 'max(a, b, ...)', doc: 'The largest argument; null if any is null.', minArgs: 2, maxArgs: 100, time: false },
  { name: 'abs', signature: 'abs(x)', doc: 'The absolute value of x.', minArgs: 1, maxArgs: 1, time: false },
  { name: 'round', signature: 'round(x, digits = 0)', doc: 'x rounded to the given number of decimal digits (half away from zero).', minArgs: 1, maxArgs: 2, time: false, literalArg: { index: 1, min: 0, max: 12, what: 'the number of digits' } },
  { name: 'period', signature: 'period(date, grain)', doc: 'The label of the period holding the date, in the spec\'s time zone: `2026-01-05` (day), `2026-W02` (week), `2026-01` (month), `2026-Q1` (quarter), `2026` (year).', minArgs: 2, maxArgs: 2, time: false, row: true },
  { name: 'days_between', signature: 'days_between(a, b)', doc: 'Whole calendar days from the date of a to the date of b; negative when b is earlier.', minArgs: 2, maxArgs: 2, time: false, row: true },
  { name: 'matched', signature: 'matched(lookup)', doc: 'Whether the row found its match through the lookup.', minArgs: 1, maxArgs: 1, time: false, row: true },
];

/** The grains `period(date, grain)` takes, written as a bare word. */
export const PERIOD_GRAINS: readonly string[] = ['day', 'week', 'month', 'quarter', 'year'];

export const FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map(list.map((f) => [f.name, f]));

/** Whether a call's argument is a value: not the lookup of `matched(lookup)` nor the grain of `period(date, grain)`. */
export function isColumnArg(callee: string, index: number): boolean {
  return !((callee === 'matched' && index === 0) || (callee === 'period' && index === 1));
}
