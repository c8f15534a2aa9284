/** A spec with two sources and metrics of three units, and its data: the quick-fix tests' shared fixture. */
export const WEB = 'date,channel,device,sessions,bounces\n2026-01-01,email,mobile,10,3\n2026-01-02,ads,desktop,12,4\n';
export const SHOP = 'ordered_at,channel,order_id,amount,cost\n2026-01-01,email,o-1,12.5,3.5\n2026-01-02,ads,o-2,20,4\n';

export const SPEC = `kpispec: 1
defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }
sources:
  web: { file: web.csv, time: date, dimensions: [channel] }
  shop: { file: shop.csv, time: ordered_at, dimensions: [channel] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: web, agg: sum, column: bounces }
  orders: { source: shop, agg: count }
  revenue: { source: shop, agg: sum, column: amount, unit: currency }
  cost: { source: shop, agg: sum, column: cost, unit: currency }
kpis:
  bounce_rate: { formula: bounces / sessions, format: percent }
  conversion: { formula: orders / sessions, format: percent }
  margin: { formula: revenue - cost, format: currency }
  aov: { formula: revenue / orders, format: currency }
`;
