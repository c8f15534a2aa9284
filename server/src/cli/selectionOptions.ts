/** The options that choose what is computed: periods, breakdown, KPIs (`eval` and `sql` share them). */
export const SELECTION_OPTIONS = {
  grain: { type: 'string', short: 'g' },
  from: { type: 'string' },
  to: { type: 'string' },
  last: { type: 'string' },
  by: { type: 'string' },
  kpi: { type: 'string', multiple: true },
} as const;
