// The relational case of bench/eval: a 1,000,000-row hit-level export rolled up into sessions by
// a composite key (visitor_id, visit_number), and the hits looking up 100,000 customers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rng } from './generate.mjs';

const CHANNELS = ['organic', 'paid_search', 'social', 'email', 'referral', 'direct'];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const SEGMENTS = ['consumer', 'smb', 'enterprise'];
const CUSTOMERS = 100_000;

function writeLines(file, header, count, line) {
  const fd = fs.openSync(file, 'w');
  let chunk = header;
  for (let i = 0; i < count; i++) {
    chunk += line(i);
    if (chunk.length > 1 << 20) { fs.writeSync(fd, chunk); chunk = ''; }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

/** Hits in sessions of 1-8 hits; the session-level columns repeat on every hit. */
function generateHits(file, rows = 1_000_000) {
  const rand = rng(7);
  const start = Date.UTC(2025, 0, 1);
  const days = 365;
  let left = 0;
  let session;
  const visits = new Map();
  writeLines(file, 'date,visitor_id,visit_number,channel,device,page,session_revenue,customer_id\n', rows, (i) => {
    if (left === 0) {
      const visitor = Math.floor(rand() * 300_000);
      const visit = (visits.get(visitor) ?? 0) + 1;
      visits.set(visitor, visit);
      const day = Math.floor((i / rows) * days);
      const revenue = rand() < 0.04 ? (50 + Math.floor(rand() * 40000) / 100).toFixed(2) : '0';
      const customer = visitor < CUSTOMERS * 2 && visitor % 2 === 0 ? `C${String(visitor / 2).padStart(6, '0')}` : '';
      session = { visitor, visit, day, revenue, customer, channel: CHANNELS[Math.floor(rand() * CHANNELS.length)], device: DEVICES[Math.floor(rand() * DEVICES.length)] };
      left = rand() < 0.45 ? 1 : 2 + Math.floor(rand() * 7);
    }
    left--;
    // A session may run past midnight: its last hits are on the next day.
    const day = session.day + (left === 0 && rand() < 0.02 ? 1 : 0);
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    return `${date},V${session.visitor},${session.visit},${session.channel},${session.device},/p/${Math.floor(rand() * 500)},${session.revenue},${session.customer}\n`;
  });
}

function generateCustomers(file) {
  const rand = rng(11);
  writeLines(file, 'customer_id,segment,signup_date\n', CUSTOMERS, (i) => {
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 730) * 86_400_000).toISOString().slice(0, 10);
    return `C${String(i).padStart(6, '0')},${SEGMENTS[Math.floor(rand() * SEGMENTS.length)]},${day}\n`;
  });
}

export const RELATIONAL_SPEC = `kpispec: 1
name: relational benchmark
defaults: { grain: month, currency: CNY, timezone: UTC }
sources:
  customers: { file: customers.csv, key: customer_id }
  hits:
    file: hits.csv
    time: date
    lookups: { customer: { source: customers, on: customer_id } }
    dimensions: [channel, customer.segment]
  sessions:
    from: hits
    key: [visitor_id, visit_number]
    time: started
    aggregate:
      started: min(date)
      channel: first(channel)
      pageviews: count()
      revenue: max(session_revenue)
    dimensions: [channel]
metrics:
  sessions: { source: sessions, agg: count }
  bounced: { source: sessions, agg: count, where: 'pageviews == 1' }
  session_pageviews: { source: sessions, agg: sum, column: pageviews }
  session_revenue: { source: sessions, agg: sum, column: revenue, unit: currency }
  buying_sessions: { source: sessions, agg: count, where: 'revenue > 0' }
  hits: { source: hits, agg: count }
  customer_hits: { source: hits, agg: count, where: matched(customer) }
kpis:
  session_count: { formula: sessions, by: [channel] }
  bounce_rate: { formula: bounced / sessions, format: percent, by: [channel] }
  pages_per_session: { formula: session_pageviews / sessions, by: [channel] }
  revenue_per_session: { formula: session_revenue / sessions, format: currency, by: [channel] }
  session_conversion: { formula: buying_sessions / sessions, format: percent, by: [channel] }
  known_customer_share: { formula: customer_hits / hits, format: percent, by: [customer.segment] }
`;

export function generateRelational(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const hits = path.join(dir, 'hits.csv');
  const customers = path.join(dir, 'customers.csv');
  if (!fs.existsSync(hits)) generateHits(hits);
  if (!fs.existsSync(customers)) generateCustomers(customers);
  const spec = path.join(dir, 'relational.kpi.yaml');
  fs.writeFileSync(spec, RELATIONAL_SPEC);
  return { hits, customers, spec };
}
