/**
 * A workspace with relations for the editor feature tests: `base.kpi.yaml` holds a keyed
 * source (`reps`) and a source that looks it up (`deals`, with `owner` and a derived `net`); `main.kpi.yaml`
 * imports it and has `leads` looking deals up (`deal`, chained to `deal.owner.team`), derived
 * columns, and a rollup `origins` of `leads`. Both check clean.
 */

export const REPS_CSV = 'rep_id,team\nr1,north\nr2,south\n';
export const DEALS_CSV = 'lead_id,won_date,amount,segment,rep\nL1,2026-01-05,100,smb,r1\nL2,2026-02-10,250,enterprise,r2\n';
export const LEADS_CSV = 'lead_id,first_contact,origin\nL1,2026-01-01,web\nL2,2026-01-20,ads\nL3,2026-02-02,web\n';

export const BASE = `kpispec: 1
sources:
  reps: { file: data/reps.csv, key: rep_id }
  deals:
    file: data/deals.csv
    key: lead_id
    time: won_date
    lookups:
      owner: { source: reps, on: { rep: rep_id } }
    derive:
      net: amount * 0.9
    dimensions: [segment, owner.team]
metrics:
  deal_net: { source: deals, agg: sum, column: net, unit: currency }
`;

export const MAIN = `kpispec: 1
imports: [base.kpi.yaml]
sources:
  leads:
    file: data/leads.csv
    time: first_contact
    lookups:
      deal: { source: deals, on: lead_id }
    derive:
      days_to_close: days_between(first_contact, deal.won_date)
      cohort: 'period(first_contact, month)'
      big: deal.amount >= 200
    dimensions: [origin, deal.segment, deal.owner.team, cohort]
  origins:
    from: leads
    key: origin
    time: first_lead
    aggregate:
      first_lead: min(first_contact)
      won: sum(deal.amount)
      lead_count: count()
      slowest: max(days_to_close)
    dimensions: [origin]
metrics:
  leads: { source: leads, agg: count }
  won_leads: { source: leads, agg: count, where: 'matched(deal) and deal.amount > 0' }
  deal_revenue: { source: leads, agg: sum, column: deal.amount, unit: currency }
  lead_net: { source: leads, agg: sum, column: deal.net, unit: currency }
  days_to_close: { source: leads, agg: avg, column: days_to_close }
  big_deals: { source: leads, agg: count, where: big }
  origins: { source: origins, agg: count, where: 'lead_count >= 1' }
  origin_revenue: { source: origins, agg: sum, column: won, unit: currency }
kpis:
  conversion: { formula: won_leads / leads, format: percent, by: [deal.segment] }
  close_time: { formula: days_to_close, by: [cohort] }
  big_share: { formula: big_deals / leads, format: percent }
  per_origin: { formula: origin_revenue / origins, format: currency }
  deal_value: { formula: deal_revenue / won_leads, format: currency }
  net_share: { formula: lead_net / deal_net, format: percent }
`;

export const DATA: Record<string, string> = { 'data/reps.csv': REPS_CSV, 'data/deals.csv': DEALS_CSV, 'data/leads.csv': LEADS_CSV };

/** The fixture files, with `main` (and `base`) replaced when given; carets allowed in spec texts. */
export function relationFiles(main = MAIN, base = BASE): Record<string, string> {
  return { ...DATA, 'base.kpi.yaml': base, 'main.kpi.yaml': main };
}

/** Puts a caret before the n-th (0-based) occurrence of `needle` plus `shift` characters. */
export function caretAt(text: string, needle: string, shift = 0, n = 0): string {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`no ${needle} (#${k})`);
  }
  return text.slice(0, i + shift) + '^' + text.slice(i + shift);
}
