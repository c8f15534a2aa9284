import * as path from 'node:path';
import { snapshotOf, type Snapshot } from '../../server/src/services/snapshot';
import type { Span } from '../../server/src/language/span';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, ROOT } from '../helpers/memoryHost';

/** The caret marking the cursor in fixture text; it is removed and its offset used. */
export const CARET = '^';

/** A MemoryHost whose listDir also names sub-folders, as a real file system does. */
export class FolderHost extends MemoryHost {
  override listDir(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    const names = new Set<string>();
    for (const f of this.files.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]!);
    return [...names];
  }
}

export interface AtCaret {
  snap: Snapshot;
  offset: number;
  ws: Workspace;
}

/**
 * An in-memory workspace from files, one of which (`main`) holds the caret. The caret is
 * stripped from the text and its offset returned: no hand-counted offsets.
 */
export function atCaret(main: string, files: Record<string, string>, name = 'a.kpi.yaml'): AtCaret {
  const offset = main.indexOf(CARET);
  if (offset < 0 || main.indexOf(CARET, offset + 1) >= 0) throw new Error('the fixture needs exactly one caret');
  const text = main.slice(0, offset) + main.slice(offset + 1);
  const ws = new Workspace(new FolderHost({ ...files, [name]: text }), ROOT);
  const snap = snapshotOf(ws, path.join(ROOT, name));
  if (!snap) throw new Error('the fixture did not load');
  return { snap, offset, ws };
}

/** A snapshot without a caret. */
export function snapshot(main: string, files: Record<string, string>, name = 'a.kpi.yaml'): Snapshot {
  const ws = new Workspace(new FolderHost({ ...files, [name]: main }), ROOT);
  return snapshotOf(ws, path.join(ROOT, name))!;
}

/** The text a span covers. */
export function slice(text: string, span: Span): string {
  return text.slice(span.offset, span.offset + span.length);
}

export const WEB = 'date,channel,device,sessions,bounces,order date,seconds\n2026-01-01,email,mobile,10,3,2026-01-01,300\n2026-02-01,organic,desktop,20,5,2026-02-01,500\n';
export const ORDERS = 'ordered_at,channel,amount,customer_id,渠道\n2026-01-03,email,100.5,c1,邮件\n2026-02-04,organic,80,c2,自然\n';
export const ADS = 'day,channel,cost,clicks\n2026-01-01,email,20,4\n2026-02-01,organic,10,5\n';

export const SHARED = [
  'kpispec: 1',
  'name: Shared ads',
  'sources:',
  '  ads: { file: data/ads.csv, time: day, dimensions: [channel] }',
  'metrics:',
  '  ad_spend: { source: ads, agg: sum, column: cost, unit: currency }',
  '  clicks: { source: ads, agg: sum, column: clicks }',
  'kpis:',
  '  cpc: { title: Cost per click, formula: ad_spend / clicks, format: currency }',
  '',
].join('\n');

/** A shop spec importing shared.kpi.yaml; pass the text with a caret somewhere. */
export const SHOP = [
  'kpispec: 1',
  'name: Shop',
  'imports: [shared.kpi.yaml]',
  'defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }',
  'sources:',
  '  web: { file: data/web.csv, time: date, dimensions: [channel, device] }',
  '  orders: { file: data/orders.csv, time: ordered_at, dimensions: [channel] }',
  'metrics:',
  '  sessions: { source: web, agg: sum, column: sessions }',
  '  bounces: { source: web, agg: sum, column: bounces }',
  '  revenue: { source: orders, agg: sum, column: amount, unit: currency }',
  '  order_count: { source: orders, agg: count }',
  'kpis:',
  '  bounce_rate:',
  '    title: 跳出率 (bounce rate)',
  '    formula: bounces / sessions',
  '    format: percent',
  '    direction: down',
  '    target: { max: 40% }',
  '  aov: { formula: revenue / order_count, format: currency }',
  'goals:',
  '  grow:',
  '    kpis: { bounce_rate: {} }',
  '',
].join('\n');

export const DATA: Record<string, string> = { 'data/web.csv': WEB, 'data/orders.csv': ORDERS, 'data/ads.csv': ADS, 'shared.kpi.yaml': SHARED };

/** SHOP with `find` replaced by `replace` (which holds the caret). */
export function shop(find: string, replace: string): string {
  if (!SHOP.includes(find)) throw new Error(`SHOP has no ${JSON.stringify(find)}`);
  return SHOP.replace(find, replace);
}
