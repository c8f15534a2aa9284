import * as assert from 'node:assert/strict';
import { findReferences } from '../../server/src/services/findReferences';
import { describeLocations, fixture } from './referencesFixture';

const WEB = 'date,channel,sessions,bounces\n2026-01-01,email,10,3\n';

const BASE = `kpispec: 1
sources:
  web: { file: web.csv, time: date, dimensions: [channel] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: web, agg: sum, column: bounces }
kpis:
  pages: { formula: sessions * 2 }
`;

const MAIN = `kpispec: 1
imports: [base.kpi.yaml]
metrics:
  visits: { source: web, agg: count }
kpis:
  bounce_rate: { formula: bounces / sessions, format: percent }
  double:
    formula: 'sessions + sessions'
  ratio: { formula: bounce_rate * 2 }
goals:
  g: { kpis: { bounce_rate: {}, ratio: {} } }
`;

/** Not importing base: its `sessions` is another metric that happens to share the id. */
const OTHER = `kpispec: 1
sources:
  web: { file: web.csv, time: date }
metrics:
  sessions: { source: web, agg: count }
kpis:
  k: { formula: sessions }
`;

/** Imports base but defines `sessions` itself first: its names resolve to its own metric. */
const SHADOW = `kpispec: 1
imports: [base.kpi.yaml]
metrics:
  sessions: { source: web, agg: count }
kpis:
  mine: { formula: sessions / bounces }
`;

function refs(texts: Record<string, string>, name: string, includeDeclaration = true): string[] {
  const fx = fixture({ 'web.csv': WEB, 'base.kpi.yaml': BASE, 'main.kpi.yaml': MAIN, 'other.kpi.yaml': OTHER, ...texts });
  return describeLocations(fx, findReferences(fx.ws, fx.files, fx.snap(name), fx.caret(name), includeDeclaration)).sort();
}

const SESSIONS = [
  'base.kpi.yaml:5:sessions',
  'base.kpi.yaml:8:sessions',
  'main.kpi.yaml:6:sessions',
  'main.kpi.yaml:8:sessions',
  'main.kpi.yaml:8:sessions',
];

describe('services: findReferences', () => {
  it('finds a metric used across files from its declaration, not a same-named metric elsewhere', () => {
    assert.deepEqual(refs({ 'base.kpi.yaml': BASE.replace('  sessions:', '  sess^ions:') }, 'base.kpi.yaml'), SESSIONS);
  });

  it('finds the same from a use in another file, quoted formulas included', () => {
    assert.deepEqual(refs({ 'main.kpi.yaml': MAIN.replace("'sessions +", "'^sessions +") }, 'main.kpi.yaml'), SESSIONS);
  });

  it('leaves out the declaration when not asked for', () => {
    const got = refs({ 'main.kpi.yaml': MAIN.replace('/ sessions', '/ sessions^') }, 'main.kpi.yaml', false);
    assert.deepEqual(got, SESSIONS.filter((l) => l !== 'base.kpi.yaml:5:sessions'));
  });

  it('resolves by definition, not by name: a file whose own `sessions` comes first is not counted', () => {
    const texts = { 'shadow.kpi.yaml': SHADOW.replace('sessions /', '^sessions /') };
    assert.deepEqual(refs(texts, 'shadow.kpi.yaml'), ['shadow.kpi.yaml:4:sessions', 'shadow.kpi.yaml:6:sessions']);
    assert.ok(!refs({ ...texts, 'base.kpi.yaml': BASE.replace('  sess', '  ^sess') }, 'base.kpi.yaml').some((l) => l.startsWith('shadow')));
    assert.deepEqual(refs({ 'other.kpi.yaml': OTHER.replace('formula: sessions', 'formula: ^sessions') }, 'other.kpi.yaml'), ['other.kpi.yaml:5:sessions', 'other.kpi.yaml:7:sessions']);
  });

  it('finds a source through every `source:` in the files that see it', () => {
    assert.deepEqual(refs({ 'base.kpi.yaml': BASE.replace('  web:', '  ^web:') }, 'base.kpi.yaml'), [
      'base.kpi.yaml:3:web',
      'base.kpi.yaml:5:web',
      'base.kpi.yaml:6:web',
      'main.kpi.yaml:4:web',
    ]);
  });

  it('finds a KPI in formulas and goals', () => {
    assert.deepEqual(refs({ 'main.kpi.yaml': MAIN.replace('{ bounce_rate: {}', '{ ^bounce_rate: {}') }, 'main.kpi.yaml'), [
      'main.kpi.yaml:11:bounce_rate',
      'main.kpi.yaml:6:bounce_rate',
      'main.kpi.yaml:9:bounce_rate',
    ]);
  });

  it('finds a goal: only its declaration, nothing refers to goals', () => {
    assert.deepEqual(refs({ 'main.kpi.yaml': MAIN.replace('  g:', '  ^g:') }, 'main.kpi.yaml'), ['main.kpi.yaml:11:g']);
  });

  it('finds uses in files that are not in the list but hold the definition', () => {
    const fx = fixture({ 'web.csv': WEB, 'base.kpi.yaml': BASE, 'main.kpi.yaml': MAIN.replace('/ sessions', '/ ^sessions') });
    const got = describeLocations(fx, findReferences(fx.ws, [fx.abs('main.kpi.yaml')], fx.snap('main.kpi.yaml'), fx.caret('main.kpi.yaml'), true)).sort();
    assert.deepEqual(got, SESSIONS);
  });

  it('gives nothing on columns, functions, unknown names, keys and paths', () => {
    assert.deepEqual(refs({ 'base.kpi.yaml': BASE.replace('column: sessions', 'column: ^sessions') }, 'base.kpi.yaml'), []);
    assert.deepEqual(refs({ 'main.kpi.yaml': MAIN.replace('bounce_rate * 2', '^round(bounce_rate)') }, 'main.kpi.yaml'), []);
    assert.deepEqual(refs({ 'main.kpi.yaml': MAIN.replace('bounce_rate * 2', 'nothing^ * 2') }, 'main.kpi.yaml'), []);
    assert.deepEqual(refs({ 'main.kpi.yaml': MAIN.replace('format: percent', 'for^mat: percent') }, 'main.kpi.yaml'), []);
    assert.deepEqual(refs({ 'main.kpi.yaml': MAIN.replace('[base', '[^base') }, 'main.kpi.yaml'), []);
  });
});
