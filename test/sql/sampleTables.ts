import { readSampleCsv } from '../engine/samplesData';
import { pgExec, pgInsert } from './postgres';

/** The sample data as typed PostgreSQL tables, the way a warehouse holds it (DATE, TIMESTAMPTZ, TIMESTAMP, NUMERIC, INTEGER, BOOLEAN). */
export const TABLES: Record<string, { file: string; table: string; columns: Record<string, string> }> = {
  web: { file: 'web_sessions.csv', table: 'shop.web_sessions', columns: { date: 'DATE', channel: 'TEXT', device: 'TEXT', region: 'TEXT', sessions: 'INTEGER', pageviews: 'INTEGER', bounces: 'INTEGER', session_seconds: 'BIGINT', visitors: 'INTEGER', product_views: 'INTEGER', add_to_carts: 'INTEGER', checkouts: 'INTEGER' } },
  order_log: { file: 'orders.csv', table: 'shop.orders', columns: { order_id: 'TEXT', ordered_at: 'TIMESTAMPTZ', customer_id: 'TEXT', channel: 'TEXT', region: 'TEXT', device: 'TEXT', amount: 'NUMERIC(12, 2)', items: 'INTEGER', coupon: 'TEXT' } },
  ads: { file: 'ad_spend.csv', table: 'shop.ad_spend', columns: { date: 'DATE', channel: 'TEXT', campaign: 'TEXT', impressions: 'INTEGER', clicks: 'INTEGER', spend: 'NUMERIC(12, 2)' } },
  social: { file: 'social.csv', table: 'shop.social', columns: { date: 'DATE', platform: 'TEXT', followers: 'INTEGER', new_followers: 'INTEGER', lost_followers: 'INTEGER', reach: 'INTEGER', engagements: 'INTEGER', posts: 'INTEGER' } },
  email: { file: 'email.csv', table: 'shop.email', columns: { sent_at: 'TIMESTAMP', campaign: 'TEXT', segment: 'TEXT', sent: 'INTEGER', delivered: 'INTEGER', opens: 'INTEGER', clicks: 'INTEGER', unsubscribes: 'INTEGER', conversions: 'INTEGER', revenue: 'DOUBLE PRECISION' } },
  lead_log: { file: 'leads.csv', table: 'shop.leads', columns: { date: 'DATE', channel: 'TEXT', leads: 'INTEGER', qualified_leads: 'INTEGER' } },
  hits: { file: 'hits.csv', table: 'shop.hits', columns: { hit_time: 'TIMESTAMPTZ', visitor_id: 'TEXT', visit_number: 'INTEGER', channel: 'TEXT', device: 'TEXT', page: 'TEXT', session_revenue: 'NUMERIC(12, 2)' } },
  crm_leads: { file: 'crm_leads.csv', table: 'shop.crm_leads', columns: { lead_id: 'TEXT', first_contact: 'TIMESTAMP', channel: 'TEXT', segment: 'TEXT', qualified: 'BOOLEAN' } },
  deals: { file: 'deals.csv', table: 'shop.deals', columns: { deal_id: 'TEXT', lead_id: 'TEXT', won_date: 'DATE', amount: 'NUMERIC(12, 2)', sales_rep: 'TEXT' } },
};

const loaded = new Map<string, Promise<Record<string, string>>>();

/** Loads the sample CSV files into PostgreSQL tables (once per server and test run); source id → table. */
export function loadSampleTables(url: string): Promise<Record<string, string>> {
  let p = loaded.get(url);
  if (!p) loaded.set(url, (p = load(url)));
  return p;
}

async function load(url: string): Promise<Record<string, string>> {
  await pgExec(url, ['DROP SCHEMA IF EXISTS shop CASCADE', 'CREATE SCHEMA shop']);
  for (const t of Object.values(TABLES)) {
    const cols = Object.entries(t.columns);
    await pgExec(url, [`CREATE TABLE ${t.table} (${cols.map(([c, type]) => `"${c}" ${type}`).join(', ')})`]);
    const rows = readSampleCsv(t.file);
    await pgInsert(url, t.table, cols.map(([c]) => c), rows.map((r) => cols.map(([c]) => r[c] ?? '')));
  }
  return Object.fromEntries(Object.entries(TABLES).map(([id, t]) => [id, t.table]));
}
