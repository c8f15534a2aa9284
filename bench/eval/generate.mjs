// Generates the eval benchmark: a 1,000,000-row CSV (~70 MB) and a spec of 20 KPIs over it.
import * as fs from 'node:fs';
import * as path from 'node:path';

const CHANNELS = ['organic', 'paid_search', 'social', 'email', 'referral', 'direct'];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const REGIONS = ['华东', '华北', '华南', '西南', '海外'];

/** mulberry32: a small deterministic PRNG. */
export function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCsv(file, rows = 1_000_000) {
  const rand = rng(2026);
  const fd = fs.openSync(file, 'w');
  let chunk = 'date,channel,device,region,sessions,bounces,pageviews,orders,revenue,ad_spend,new_customers\n';
  const start = Date.UTC(2024, 0, 1);
  const days = 1000;
  for (let i = 0; i < rows; i++) {
    const day = new Date(start + Math.floor((i / rows) * days) * 86_400_000).toISOString().slice(0, 10);
    const sessions = 20 + Math.floor(rand() * 400);
    const bounces = Math.floor(sessions * (0.2 + rand() * 0.4));
    const orders = Math.floor(sessions * rand() * 0.05);
    chunk += `${day},${CHANNELS[Math.floor(rand() * 6)]},${DEVICES[Math.floor(rand() * 3)]},${REGIONS[Math.floor(rand() * 5)]},${sessions},${bounces},${sessions * 3 + Math.floor(rand() * 50)},${orders},${(orders * (80 + rand() * 300)).toFixed(2)},${(rand() * 200).toFixed(2)},${Math.floor(orders * rand())}\n`;
    if (chunk.length > 1 << 20) { fs.writeSync(fd, chunk); chunk = ''; }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

/** 20 KPIs over the file; `variant` changes one formula (for the warm re-evaluation). */
export function specText(variant = 0) {
  return `kpispec: 1
name: Eval benchmark
defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }
sources:
  web: { file: web.csv, time: date, dimensions: [channel, device, region] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: web, agg: sum, column: bounces }
  pageviews: { source: web, agg: sum, column: pageviews }
  orders: { source: web, agg: sum, column: orders }
  revenue: { source: web, agg: sum, column: revenue, unit: currency }
  ad_spend: { source: web, agg: sum, column: ad_spend, unit: currency }
  new_customers: { source: web, agg: sum, column: new_customers }
  paid_sessions: { source: web, agg: sum, column: sessions, where: 'channel == "paid_search" or channel == "social"' }
  mobile_sessions: { source: web, agg: sum, column: sessions, where: 'device == "mobile"' }
  rows: { source: web, agg: count }
kpis:
  bounce_rate: { formula: bounces / sessions, format: percent, direction: down, target: 40%, by: [channel] }
  conversion_rate: { formula: orders / sessions${variant ? ' * 1' : ''}, format: percent, target: 2%, by: [channel] }
  aov: { formula: revenue / orders, format: currency, by: [channel] }
  roi: { formula: (revenue - ad_spend) / ad_spend, format: percent, target: 100%, by: [channel] }
  roas: { formula: revenue / ad_spend, by: [channel] }
  cac: { formula: ad_spend / new_customers, format: currency, direction: down, by: [channel] }
  pages_per_session: { formula: pageviews / sessions, by: [channel] }
  paid_share: { formula: paid_sessions / sessions, format: percent, by: [channel] }
  mobile_share: { formula: mobile_sessions / sessions, format: percent, by: [channel] }
  traffic_growth: { formula: growth(sessions), format: percent, by: [channel] }
  revenue_growth: { formula: growth(revenue), format: percent, by: [channel] }
  revenue_3m: { formula: 'rolling(revenue, 3)', format: currency, by: [channel] }
  revenue_ytd: { formula: cumulative(revenue), format: currency, by: [channel] }
  orders_per_row: { formula: orders / rows, by: [channel] }
  sessions_total: { formula: sessions, by: [channel] }
  revenue_total: { formula: revenue, format: currency, by: [channel] }
  spend_total: { formula: ad_spend, format: currency, by: [channel] }
  new_customer_total: { formula: new_customers, by: [channel] }
  prev_orders: { formula: prev(orders), by: [channel] }
  net_revenue: { formula: revenue - ad_spend, format: currency, by: [channel] }
`;
}

export function generate(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const csv = path.join(dir, 'web.csv');
  if (!fs.existsSync(csv)) generateCsv(csv);
  fs.writeFileSync(path.join(dir, 'bench.kpi.yaml'), specText());
  return { csv, spec: path.join(dir, 'bench.kpi.yaml') };
}
