import * as assert from 'node:assert/strict';
import { documentSymbols } from '../../server/src/services/symbols';
import type { SymbolNode } from '../../server/src/services/types';
import { workspaceSymbols } from '../../server/src/services/workspaceSymbols';
import { describeSpan, fixture, type Fixture } from './referencesFixture';

const WEB = 'date,channel,sessions,bounces,bounce_seconds\n2026-01-01,email,10,3,5\n';

const BASE = `kpispec: 1
name: Base
sources:
  web:
    title: Web analytics
    file: web.csv
    time: date
  tiny: { rows: [ { day: 2026-01-01, visits: 10 }, { day: 2026-01-02, visits: 3 } ] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: web, agg: sum, column: bounces, title: 跳出次数 }
  rows_seen: { source: tiny, agg: count }
`;

const MAIN = `kpispec: 1
imports: [base.kpi.yaml]
kpis:
  bounce_rate:
    title: 跳出率 (bounce rate)
    formula: >-
      bounces /
      sessions
    format: percent
  per_row: { formula: sessions / rows_seen }
goals:
  engage: { horizon: short, kpis: { bounce_rate: {} } }
  later:
    kpis: { per_row: {} }
`;

function outline(fx: Fixture, name: string, nodes: SymbolNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [
    `${'  '.repeat(depth)}${n.kind} ${n.name}${n.detail ? ` — ${n.detail}` : ''} @${describeSpan(fx, fx.abs(name), n.selection).split(':').slice(1).join(':')}`,
    ...outline(fx, name, n.children, depth + 1),
  ]);
}

describe('services: documentSymbols', () => {
  it('outlines sections and entries with details', () => {
    const fx = fixture({ 'base.kpi.yaml': BASE, 'main.kpi.yaml': MAIN, 'web.csv': WEB });
    assert.deepEqual(outline(fx, 'base.kpi.yaml', documentSymbols(fx.snap('base.kpi.yaml'))), [
      'section Sources @3:sources',
      '  source web — web.csv @4:web',
      '  source tiny — 2 inline rows @8:tiny',
      'section Metrics @9:metrics',
      '  metric sessions — web · sum · sessions @10:sessions',
      '  metric bounces — web · sum · bounces @11:bounces',
      '  metric rows_seen — tiny · count @12:rows_seen',
    ]);
    assert.deepEqual(outline(fx, 'main.kpi.yaml', documentSymbols(fx.snap('main.kpi.yaml'))), [
      'section KPIs @3:kpis',
      '  kpi bounce_rate — bounces / sessions @4:bounce_rate',
      '  kpi per_row — sessions / rows_seen @10:per_row',
      'section Goals @11:goals',
      '  goal engage — short @12:engage',
      '  goal later @13:later',
    ]);
  });

  it('spans cover whole entries and sections', () => {
    const fx = fixture({ 'base.kpi.yaml': BASE, 'main.kpi.yaml': MAIN });
    const [kpis] = documentSymbols(fx.snap('main.kpi.yaml'));
    const text = fx.text('main.kpi.yaml');
    const cut = (s: { offset: number; length: number }) => text.slice(s.offset, s.offset + s.length);
    assert.ok(cut(kpis!.span).startsWith('kpis:') && cut(kpis!.span).includes('per_row: { formula: sessions / rows_seen }'));
    assert.equal(cut(kpis!.children[0]!.span).trimEnd(), 'bounce_rate:\n    title: 跳出率 (bounce rate)\n    formula: >-\n      bounces /\n      sessions\n    format: percent');
  });

  it('keeps written section order, and copes with empty and broken files', () => {
    const fx = fixture({
      'a.kpi.yaml': 'kpispec: 1\nkpis:\n  k: { formula: 1 }\nsources:\n  s: { rows: [] }\nmetrics:\n',
      'b.kpi.yaml': 'kpispec: 1\nkpis: [ { oops\n',
      'c.kpi.yaml': '',
    });
    assert.deepEqual(documentSymbols(fx.snap('a.kpi.yaml')).map((s) => `${s.name}:${s.children.length}`), ['KPIs:1', 'Sources:1', 'Metrics:0']);
    assert.doesNotThrow(() => documentSymbols(fx.snap('b.kpi.yaml')));
    assert.deepEqual(documentSymbols(fx.snap('c.kpi.yaml')), []);
  });
});

describe('services: workspaceSymbols', () => {
  const setup = () => fixture({ 'base.kpi.yaml': BASE, 'main.kpi.yaml': MAIN, 'web.csv': WEB });
  const names = (fx: Fixture, q: string, files = fx.files) =>
    workspaceSymbols(fx.ws, files, q).map((s) => `${s.kind} ${s.name}${s.container ? ` in ${s.container}` : ''}`);

  it('matches ids as a case-insensitive subsequence, best first', () => {
    const fx = setup();
    // tighter and shorter first; a definition before a column of the same name; titles count too
    assert.deepEqual(names(fx, 'BNC'), ['metric bounces', 'column bounces in web', 'kpi bounce_rate', 'column bounce_seconds in web', 'source web (Web analytics)']);
    assert.deepEqual(names(fx, 'sessions'), ['metric sessions', 'column sessions in web']);
    assert.deepEqual(names(fx, 'rate'), ['kpi bounce_rate']);
    assert.deepEqual(names(fx, 'xyz'), []);
  });

  it('ranks exact, then prefix, then word start, then scattered', () => {
    const fx = fixture({ 'a.kpi.yaml': 'kpispec: 1\nsources:\n  s: { rows: [] }\nmetrics:\n  rev_a: { source: s, agg: count }\n  a_rev: { source: s, agg: count }\n  rev: { source: s, agg: count }\n  r_e_v: { source: s, agg: count }\n  prevalent: { source: s, agg: count }\n' });
    assert.deepEqual(names(fx, 'rev'), ['metric rev', 'metric rev_a', 'metric a_rev', 'metric prevalent', 'metric r_e_v']);
  });

  it('matches titles, and names the symbol with its title then', () => {
    const fx = setup();
    assert.deepEqual(names(fx, '跳出'), ['metric bounces (跳出次数)', 'kpi bounce_rate (跳出率 (bounce rate))']);
    assert.deepEqual(names(fx, 'analytics'), ['source web (Web analytics)']);
  });

  it('lists columns of data files and inline rows with their places', () => {
    const fx = setup();
    const cols = workspaceSymbols(fx.ws, fx.files, 'day').concat(workspaceSymbols(fx.ws, fx.files, 'channel'));
    assert.deepEqual(cols.map((s) => `${s.container}:${describeSpan(fx, s.file, s.span)}`), ['tiny:base.kpi.yaml:8:day', 'web:web.csv:1:channel']);
  });

  it('covers imported files once, even when only the importing file is listed', () => {
    const fx = setup();
    const all = names(fx, '', [fx.abs('main.kpi.yaml')]);
    assert.deepEqual(all.filter((n) => !n.startsWith('column')), [
      'kpi bounce_rate', 'kpi per_row', 'goal engage', 'goal later',
      'source web', 'source tiny', 'metric sessions', 'metric bounces', 'metric rows_seen',
    ]);
    assert.equal(names(fx, '').length, all.length);
  });

  it('stops at 200', () => {
    const metrics = Array.from({ length: 300 }, (_, i) => `  m${i}: { source: s, agg: count }`).join('\n');
    const fx = fixture({ 'a.kpi.yaml': `kpispec: 1\nsources:\n  s: { rows: [] }\nmetrics:\n${metrics}\n` });
    const got = workspaceSymbols(fx.ws, fx.files, 'm');
    assert.equal(got.length, 200);
    assert.equal(got[0]!.name, 'm0');
  });
});
