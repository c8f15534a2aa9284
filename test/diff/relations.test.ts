import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tableFromText } from '../../server/src/data/readTable';
import { diffSpecs } from '../../server/src/diff/diffSpecs';
import { attachImpact } from '../../server/src/diff/impact';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, ROOT } from '../helpers/memoryHost';

const SPEC = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  hits: { file: hits.csv, time: date }
  sessions:
    from: hits
    key: [visitor, visit]
    time: started
    aggregate: { started: min(date), revenue: max(rev) }
  deals: { file: deals.csv, key: lead_id }
  leads:
    file: leads.csv
    time: day
    lookups: { deal: { source: deals, on: lead_id } }
    derive: { big: 'deal.amount > 100' }
metrics:
  sessions: { source: sessions, agg: count }
  session_revenue: { source: sessions, agg: sum, column: revenue }
  leads: { source: leads, agg: count }
  big_deals: { source: leads, agg: count, where: big }
kpis:
  revenue_per_session: { formula: session_revenue / sessions }
  big_deal_rate: { formula: big_deals / leads, format: percent }
`;

const DATA: Record<string, string> = {
  'hits.csv': 'date,visitor,visit,rev\n2026-01-01,a,1,10\n2026-01-01,a,1,10\n2026-01-02,b,1,4\n',
  'deals.csv': 'lead_id,amount\nL1,50\nL2,500\n',
  'leads.csv': 'lead_id,day\nL1,2026-01-01\nL2,2026-01-02\n',
  'deals2.csv': 'lead_id,amount\nL1,500\nL2,500\n',
};

function side(spec: string) {
  const files: Record<string, string> = { 'a.kpi.yaml': spec, ...DATA };
  return { ws: new Workspace(new MemoryHost(files), ROOT), root: ROOT, files: [path.join(ROOT, 'a.kpi.yaml')] };
}

const access = { file: (p: string, o: Parameters<typeof tableFromText>[2]) => tableFromText(DATA[path.relative(ROOT, p)]!, p, o) };

function diff(after: string) {
  const [b, a] = [side(SPEC), side(after)];
  const r = diffSpecs(b, a);
  attachImpact(r, b, a, access, access);
  return r;
}

describe('diff: relations', () => {
  it('names the KPIs a changed rollup column moves, with their values before and after', () => {
    const r = diff(SPEC.replace('revenue: max(rev)', 'revenue: sum(rev)'));
    const source = r.entries.find((e) => e.id === 'sessions' && e.kind === 'source')!;
    assert.deepEqual(source.changes[0], { aspect: 'aggregate', before: 'revenue: max(rev); started: min(date)', after: 'revenue: sum(rev); started: min(date)', items: [{ key: 'revenue', change: 'changed', before: 'max(rev)', after: 'sum(rev)' }] });
    const kpi = r.entries.find((e) => e.id === 'revenue_per_session')!;
    assert.equal(kpi.change, 'affected');
    assert.deepEqual(kpi.path, ['revenue_per_session', 'session_revenue', 'source sessions (aggregate changed)']);
    assert.equal(kpi.impact?.before?.value, 7);
    assert.equal(kpi.impact?.after?.value, 12);
  });

  it('follows a lookup to the source it reads, and a derived column to the KPIs over it', () => {
    const r = diff(SPEC.replace("big: 'deal.amount > 100'", "big: 'deal.amount > 10'"));
    const kpi = r.entries.find((e) => e.id === 'big_deal_rate')!;
    assert.deepEqual(kpi.path, ['big_deal_rate', 'big_deals', 'source leads (derive changed)']);
    assert.equal(kpi.impact?.before?.value, 0.5);
    assert.equal(kpi.impact?.after?.value, 1);
    const moved = diff(SPEC.replace('deals: { file: deals.csv, key: lead_id }', 'deals: { file: deals2.csv, key: lead_id }'));
    const viaLookup = moved.entries.find((e) => e.id === 'big_deal_rate')!;
    assert.deepEqual(viaLookup.path, ['big_deal_rate', 'big_deals', 'source leads', 'source deals (file changed)']);
    assert.equal(viaLookup.impact?.after?.value, 1);
  });
});
