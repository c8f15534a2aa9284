import * as assert from 'node:assert/strict';
import { skippedCounts } from '../../server/src/engine/format';
import { evalText } from './evalText';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { evaluateSpec } from '../../server/src/engine/run';
import { Workspace } from '../../server/src/language/workspace';

describe('engine: rows no KPI counts are counted by reason', () => {
  it('counts rows with an empty or unreadable time, an empty rollup key, and lines in an unclosed quote', () => {
    const spec = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  web: { file: web.csv, time: date }
  broken: { file: broken.csv, time: date }
  visits:
    from: web
    key: visitor
    aggregate: { first: min(date) }
metrics:
  rows: { source: web, agg: count }
  broken_rows: { source: broken, agg: count }
  visitors: { source: visits, agg: count }
kpis:
  row_count: { formula: rows }
  broken_count: { formula: broken_rows }
  visitor_count: { formula: visitors }
`;
    const r = evalText(spec, {
      'web.csv': 'date,visitor\n2026-01-01,a\n,b\nyesterday,c\n2026-01-02,\n',
      'broken.csv': 'date,note\n2026-01-01,ok\n',
    });
    const web = r.sources.find((s) => s.id === 'web')!;
    assert.equal(web.rows, 4);
    assert.deepEqual(web.skipped, [{ reason: 'an empty `date`', rows: 1 }, { reason: 'an unreadable `date`', rows: 1 }]);
    assert.equal(skippedCounts(web), ', 2 left out (1 with an empty `date`, 1 with an unreadable `date`)');
    const visits = r.sources.find((s) => s.id === 'visits')!;
    assert.deepEqual(visits.skipped, [{ reason: 'an empty key in `web`', rows: 1 }]);
  });

  it('counts the lines an unclosed quote swallows, past the checker\'s sample', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-skipped-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.csv'), `date,note\n${'2026-01-01,"fine, and long enough to fill the sample"\n'.repeat(1500)}2026-01-02,"open\n2026-01-03,x\n2026-01-04,y\n`);
      const spec = path.join(dir, 'a.kpi.yaml');
      fs.writeFileSync(spec, 'kpispec: 1\nsources:\n  broken: { file: broken.csv, time: date }\nmetrics:\n  n: { source: broken, agg: count }\nkpis:\n  rows: { formula: n }\n');
      const r = evaluateSpec(new Workspace(new NodeHost(), dir), spec, {}, new TableCache());
      const broken = r.sources[0]!;
      assert.deepEqual(broken.skipped, [{ reason: 'inside an unclosed quote', rows: 2 }]);
      assert.match(skippedCounts(broken), /2 left out \(2 inside an unclosed quote\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says nothing when every row counts', () => {
    const r = evalText('kpispec: 1\nsources:\n  web: { file: web.csv, time: date }\nmetrics:\n  n: { source: web, agg: count }\nkpis:\n  rows: { formula: n }\n', { 'web.csv': 'date\n2026-01-01\n' });
    assert.equal(r.sources[0]!.skipped, undefined);
  });
});
