/**
 * Graded attainment and pace (docs/evaluation.md, "Goals"), on a hand-made monthly series whose
 * answers are worked out in test/engine/goals.test.ts. Rows fall on each month's last day, so
 * every month is whole.
 *
 *   month     x  amount (sum)  n/d (rate)  c/d (cost, down)
 *   2025-01   0      100         0.020        0.050
 *   2025-02   1      110         0.021        0.048
 *   2025-03   2      120         0.022        0.046
 *   2025-04   3      130         0.024        0.045
 *   2025-05   4      140         0.025        0.044
 *   2025-06   5      150         0.027        0.042
 */
export const GOAL_SERIES_CSV = `day,amount,n,c,d
2025-01-31,100,20,50,1000
2025-02-28,110,21,48,1000
2025-03-31,120,22,46,1000
2025-04-30,130,24,45,1000
2025-05-31,140,25,44,1000
2025-06-30,150,27,42,1000
`;

/** The spec over the series, with the goals given (and, if asked, other targets). */
export const goalSeriesSpec = (goals: string, targets = { revenue: '{ min: 200 }', revenueWarn: '{ min: 150 }', rate: '3%' }) => `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day }
metrics:
  amount: { source: s, agg: sum, column: amount }
  n: { source: s, agg: sum, column: n }
  c: { source: s, agg: sum, column: c }
  d: { source: s, agg: sum, column: d }
kpis:
  revenue: { formula: amount, target: ${targets.revenue}, warn: ${targets.revenueWarn} }
  rate: { formula: n / d, format: percent, target: ${targets.rate} }
  cost: { formula: c / d, format: percent, direction: down, target: 3.6%, warn: 4%, decimals: 4 }
  rate_free: { formula: n / d }
goals:
${goals}`;
