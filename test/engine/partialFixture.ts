/**
 * Partial periods (docs/evaluation.md): today is pinned to 2026-06-10, so June holds ten days
 * and the row of 2026-06-25 is not counted yet. Rows:
 *   Q1: 2026-01-05 50, 2026-03-12 7, 2026-03-13 1000
 *   May: 2026-05-03 10, 2026-05-09 20, 2026-05-20 100
 *   June: 2026-06-02 15, 2026-06-08 25, 2026-06-25 999 (after today)
 */
export const PARTIAL_SPEC = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day, dimensions: [channel] }
metrics:
  amount: { source: s, agg: sum, column: amount }
  orders: { source: s, agg: count }
  buyers: { source: s, agg: count_distinct, column: who }
kpis:
  revenue: { formula: amount, target: 90, by: [channel] }
  stretch: { formula: amount, target: 150, warn: 120 }
  per_order: { formula: amount / orders, target: 5 }
  customers: { formula: buyers, target: 1 }
  growth_rate: { formula: growth(amount), target: -50% }
`;
export const PARTIAL_CSV = 'day,amount,who,channel\n2026-01-05,50,a,web\n2026-03-12,7,a,web\n2026-03-13,1000,b,web\n' +
  '2026-05-03,10,a,web\n2026-05-09,20,b,mail\n2026-05-20,100,c,web\n2026-06-02,15,a,web\n2026-06-08,25,d,mail\n2026-06-25,999,e,web\n';
export const PARTIAL_TODAY = '2026-06-10';
