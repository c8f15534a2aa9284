import * as assert from 'node:assert/strict';
import { codeLenses } from '../../server/src/services/codeLens';
import { evalText } from '../engine/evalText';
import { describeSpan, fixture } from './referencesFixture';

const WEB = 'date,sessions,bounces,orders\n2026-01-05,100,40,2\n2026-02-03,200,50,5\n2026-02-10,200,70,\n';

const SPEC = `kpispec: 1
sources:
  web: { file: web.csv, time: date }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: web, agg: sum, column: bounces }
  orders: { source: web, agg: sum, column: orders }
kpis:
  bounce_rate: { formula: bounces / sessions, format: percent, direction: down, target: { max: 25% }, warn: { max: 35% } }
  conversion:
    formula: orders / sessions
    format: percent
    target: 2.5%
  sessions_k: { formula: sessions / 1000, decimals: 1 }
  visits: { formula: sessions, target: 560 }
  empty: { formula: orders * 0 / (sessions - sessions) }
  broken: { formula: nothing + 1 }
`;

describe('services: codeLenses', () => {
  const fx = fixture({ 'a.kpi.yaml': SPEC, 'web.csv': WEB });
  const snap = fx.snap('a.kpi.yaml');

  it('shows the latest value, the target then and the status above each KPI; a partial period with the day its data ends and the pace', () => {
    // The data ends on 2026-02-10: February is partial. Ratios keep their bound; visits, a sum,
    // is judged against 10 of February's 28 days of its monthly 560: 200; 400 ≥ 200 → on pace.
    const lenses = codeLenses(snap, evalText(SPEC, { 'web.csv': WEB }, { today: '2026-12-31' }));
    assert.deepEqual(lenses.map((l) => `${describeSpan(fx, fx.abs('a.kpi.yaml'), l.span)} ${l.kpi}: ${l.title}`), [
      'a.kpi.yaml:9:bounce_rate bounce_rate: 30.00% through 2026-02-10 · target ≤ 25.00% · at risk',
      'a.kpi.yaml:10:conversion conversion: 1.25% through 2026-02-10 · target ≥ 2.50% · missed',
      'a.kpi.yaml:14:sessions_k sessions_k: 0.4 through 2026-02-10 · no target',
      'a.kpi.yaml:15:visits visits: 400 through 2026-02-10 · target ≥ 560 · on pace (≥ 200 so far)',
      'a.kpi.yaml:16:empty empty: no data',
      'a.kpi.yaml:17:broken broken: not computed: unknown metric or KPI nothing',
    ]);
  });

  it('says not computed without results', () => {
    assert.deepEqual(codeLenses(snap).map((l) => l.title), Array(6).fill('not computed'));
  });

  it('shows only the KPIs of this file, once each', () => {
    const fx2 = fixture({
      'b.kpi.yaml': 'kpispec: 1\nimports: [a.kpi.yaml]\nkpis:\n  twice: { formula: sessions }\n  twice: { formula: bounces }\n',
      'a.kpi.yaml': SPEC,
      'web.csv': WEB,
    });
    assert.deepEqual(codeLenses(fx2.snap('b.kpi.yaml')).map((l) => l.kpi), ['twice']);
  });
});
