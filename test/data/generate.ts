import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A web-analytics CSV like the engine's benchmark: date, channel, device, region, then seven
 * numeric columns (~70 bytes a row). Written to the temp folder, never committed.
 */
export function generateWebCsv(rows: number, file = path.join(os.tmpdir(), `kpispec-web-${rows}.csv`)): string {
  if (fs.existsSync(file)) return file;
  const channels = ['organic', 'paid_search', 'social', 'email', 'referral', 'direct', 'display', 'affiliate'];
  const devices = ['desktop', 'mobile', 'tablet'];
  const regions = ['east_china', 'north_china', 'south_china', 'west_china', 'central_china', 'northeast', 'overseas'];
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out = fs.openSync(file, 'w');
  const chunk: string[] = ['date,channel,device,region,sessions,bounces,pageviews,orders,revenue,ad_spend,new_customers\n'];
  const perDay = Math.max(1, Math.ceil(rows / 730));
  for (let r = 0; r < rows; r++) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(r / perDay) * 86_400_000).toISOString().slice(0, 10);
    const sessions = Math.floor(rnd() * 5000);
    const orders = Math.floor(sessions * rnd() * 0.05);
    chunk.push(`${day},${channels[Math.floor(rnd() * 8)]},${devices[Math.floor(rnd() * 3)]},${regions[Math.floor(rnd() * 7)]},${sessions},${Math.floor(sessions * rnd() * 0.6)},${Math.floor(sessions * (1 + rnd() * 4))},${orders},${(orders * (20 + rnd() * 300)).toFixed(2)},${(rnd() * 2000).toFixed(2)},${Math.floor(orders * rnd())}\n`);
    if (chunk.length >= 10_000) fs.writeSync(out, chunk.splice(0).join(''));
  }
  fs.writeSync(out, chunk.join(''));
  fs.closeSync(out);
  return file;
}
