import * as assert from 'node:assert/strict';
import type { DiffResult } from '../../server/src/diff/result';
import { runCli, tempWorkspace } from '../helpers/runCli';

const SPEC = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  web: { file: web.csv, time: date, dimensions: [channel] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  orders: { source: web, agg: sum, column: orders }
kpis:
  conversion: { formula: orders / sessions, format: percent, by: [channel] }
  traffic: { formula: sessions, by: [channel] }
`;
// The edit counts paid orders only: 4 of email's 10 orders were refunded.
const EDITED = SPEC.replace('column: orders }', `column: orders, where: "status == 'paid'" }`);
const WEB = 'date,channel,sessions,orders,status\n2026-01-05,email,100,6,paid\n2026-01-05,email,0,4,refunded\n2026-01-05,social,200,4,paid\n2026-01-05,search,100,5,paid\n';
// The data also changed: four more paid social orders.
const WEB_LATER = `${WEB}2026-01-07,social,0,4,paid\n`;

function diff(beforeData: string, afterData: string): DiffResult {
  const dir = tempWorkspace({ 'before/shop.kpi.yaml': SPEC, 'before/web.csv': beforeData, 'after/shop.kpi.yaml': EDITED, 'after/web.csv': afterData });
  const r = runCli(['diff', 'before', 'after', '--format', 'json'], dir);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as DiffResult;
}

describe('diff: what moves a KPI, the spec edit or the data', () => {
  it('splits the change into the edit’s part (the new definition on the old data) and the data’s', () => {
    const conversion = diff(WEB, WEB_LATER).entries.find((e) => e.id === 'conversion')!;
    // Before: 19 orders / 400 sessions = 4.75%. The new definition on the old data: 15 / 400 =
    // 3.75%. On the new data: 19 / 400 = 4.75%. The edit −1 pp, the data +1 pp, the total 0.
    const i = conversion.impact!;
    assert.equal(i.before!.value, 19 / 400);
    assert.equal(i.after!.value, 19 / 400);
    assert.equal(i.split!.sameData.value, 15 / 400);
    assert.ok(Math.abs(i.split!.definition! - (15 - 19) / 400) < 1e-12);
    assert.ok(Math.abs(i.split!.data! - (19 - 15) / 400) < 1e-12);
    assert.equal(i.split!.text, 'the spec edit −1.0 pp (3.75% on the same data), the data +1.0 pp');
  });

  it('names the groups the edit moves, on the same data, and how many it leaves unchanged', () => {
    const conversion = diff(WEB, WEB_LATER).entries.find((e) => e.id === 'conversion')!;
    // email: 10 / 100 → 6 / 100; social 4 / 200 and search 5 / 100 are unchanged by the edit
    // (social's new orders are the data's change, not the edit's).
    assert.deepEqual(conversion.impact!.movers, {
      groups: [{ dimension: 'channel', group: 'email', before: 0.1, after: 0.06, text: '10.00% → 6.00% (−4.0 pp)' }],
      unchanged: 2,
    });
  });

  it('with the same data: no split (the whole change is the edit’s), the movers still named', () => {
    const conversion = diff(WEB, WEB).entries.find((e) => e.id === 'conversion')!;
    assert.equal(conversion.impact!.split, undefined);
    assert.ok(Math.abs(conversion.impact!.change! - (15 - 19) / 400) < 1e-12);
    assert.equal(conversion.impact!.movers!.groups[0]!.group, 'email');
  });

  it('says it in the text and Markdown outputs; a KPI the edit does not touch is not listed', () => {
    const dir = tempWorkspace({ 'before/shop.kpi.yaml': SPEC, 'before/web.csv': WEB, 'after/shop.kpi.yaml': EDITED, 'after/web.csv': WEB_LATER });
    const text = runCli(['diff', 'before', 'after', '--no-color'], dir).stdout;
    assert.match(text, /\n {4}change: the spec edit −1\.0 pp \(3\.75% on the same data\), the data \+1\.0 pp\n {4}the edit moves most: channel email 10\.00% → 6\.00% \(−4\.0 pp\); 2 other groups unchanged\n/);
    const md = runCli(['diff', 'before', 'after', '--format', 'markdown'], dir).stdout;
    assert.match(md, /<details><summary>What moves the numbers \(1\)<\/summary>\n\n- `conversion`\n {2}- change: the spec edit −1\.0 pp/);
    assert.doesNotMatch(md, /`traffic`/);
  });
});
