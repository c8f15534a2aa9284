import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { prepareRename, rename } from '../../server/src/services/rename';
import { MemoryHost, ROOT } from '../helpers/memoryHost';
import { applyEdits, describeSpan, fixture, type Fixture } from './referencesFixture';

const WEB = 'date,channel,sessions,bounces\n2026-01-01,email,10,3\n';

const BASE = `kpispec: 1
sources:
  web: { file: web.csv, time: date, dimensions: [channel] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: "web", agg: sum, column: bounces }
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
    formula: "sessions + \`sessions\`"
  ratio: { formula: bounce_rate * 2 + visits / pages }
goals:
  g: { kpis: { bounce_rate: {}, ratio: {} } }
`;

const OTHER = `kpispec: 1
sources:
  web: { file: web.csv, time: date }
metrics:
  sessions: { source: web, agg: count }
kpis:
  k: { formula: sessions }
`;

function setup(texts: Record<string, string> = {}): Fixture {
  return fixture({ 'web.csv': WEB, 'base.kpi.yaml': BASE, 'main.kpi.yaml': MAIN, 'other.kpi.yaml': OTHER, ...texts });
}

/** Renames at the caret of `name`, applies the edits and returns the new texts by file name. */
function renamed(fx: Fixture, name: string, newName: string): Record<string, string> {
  const r = rename(fx.ws, fx.files, fx.snap(name), fx.caret(name), newName);
  if ('error' in r) throw new Error(r.error);
  const texts = new Map<string, string>();
  for (const [file, content] of fx.host.files) if (typeof content === 'string') texts.set(file, content);
  const out: Record<string, string> = {};
  for (const [file, text] of applyEdits(texts, r.edits)) out[path.relative(ROOT, file)] = text;
  return out;
}

function problemsOf(files: Record<string, string>): string[] {
  const ws = new Workspace(new MemoryHost(files), ROOT);
  const specs = Object.keys(files).filter((f) => f.endsWith('.kpi.yaml')).map((f) => path.resolve(ROOT, f));
  return checkFiles(ws, specs).flatMap((c) => c.problems.map((p) => `${path.basename(p.file)} ${p.rule}`)).sort();
}

function errorOf(fx: Fixture, name: string, newName: string): string {
  const r = rename(fx.ws, fx.files, fx.snap(name), fx.caret(name), newName);
  assert.ok('error' in r, `expected a refusal, got ${JSON.stringify(r)}`);
  return r.error;
}

describe('services: prepareRename', () => {
  it('gives the exact name and the id, also inside quotes and backticks', () => {
    for (const [text, expected] of [
      [MAIN.replace('/ sessions', '/ sess^ions'), 'sessions'],
      [MAIN.replace('`sessions`', '`sess^ions`'), 'sessions'],
      [MAIN.replace('  ratio:', '  ra^tio:'), 'ratio'],
      [MAIN.replace('{ bounce_rate: {}', '{ ^bounce_rate: {}'), 'bounce_rate'],
    ] as const) {
      const fx = setup({ 'main.kpi.yaml': text });
      const r = prepareRename(fx.snap('main.kpi.yaml'), fx.caret('main.kpi.yaml'));
      assert.ok('span' in r, JSON.stringify(r));
      assert.equal(r.placeholder, expected);
      assert.equal(describeSpan(fx, fx.abs('main.kpi.yaml'), r.span).split(':')[2], expected);
    }
    const fx = setup({ 'base.kpi.yaml': BASE.replace('"web"', '"w^eb"') });
    const r = prepareRename(fx.snap('base.kpi.yaml'), fx.caret('base.kpi.yaml'));
    assert.ok('span' in r);
    assert.equal(fx.text('base.kpi.yaml').slice(r.span.offset, r.span.offset + r.span.length), 'web');
  });

  it('refuses columns, functions, keywords, keys, paths, unknown names and empty places', () => {
    const cases: [string, string, RegExp][] = [
      ['base.kpi.yaml', BASE.replace('column: sessions', 'column: sess^ions'), /column of the data/],
      ['base.kpi.yaml', BASE.replace('[channel]', '[chan^nel]'), /column of the data/],
      ['main.kpi.yaml', MAIN.replace('bounce_rate * 2', 'ro^und(bounce_rate)'), /built-in function/],
      ['main.kpi.yaml', MAIN.replace('bounce_rate * 2', 'if(visits > 1 a^nd pages > 1, 1, 0)'), /formula keyword/],
      ['main.kpi.yaml', MAIN.replace('format: percent', 'for^mat: percent'), /key of the spec language/],
      ['main.kpi.yaml', MAIN.replace('[base', '[ba^se'), /file path/],
      ['main.kpi.yaml', MAIN.replace('* 2', '* nothi^ng'), /does not name/],
      ['main.kpi.yaml', MAIN.replace('percent', 'perc^ent'), /nothing to rename/],
    ];
    for (const [name, text, message] of cases) {
      const fx = setup({ [name]: text });
      const r = prepareRename(fx.snap(name), fx.caret(name));
      assert.ok('error' in r && message.test(r.error), `${JSON.stringify(r)} for ${message}`);
      assert.match(errorOf(fx, name, 'fine_name'), message);
    }
  });
});

describe('services: rename', () => {
  it('renames a metric in the imported file from a use in the importing file, and nowhere else', () => {
    const fx = setup({ 'main.kpi.yaml': MAIN.replace('/ sessions', '/ ^sessions') });
    const before = problemsOf(renamed(fx, 'main.kpi.yaml', 'sessions'));
    const after = renamed(fx, 'main.kpi.yaml', 'site_sessions');
    assert.equal(after['base.kpi.yaml'], BASE.replace('  sessions:', '  site_sessions:').replace('formula: sessions', 'formula: site_sessions'));
    assert.equal(after['main.kpi.yaml'], MAIN.replace('/ sessions', '/ site_sessions').replace('"sessions + `sessions`"', '"site_sessions + `site_sessions`"'));
    assert.equal(after['other.kpi.yaml'], OTHER, 'a same-named metric in a file that does not import base is left alone');
    assert.deepEqual(problemsOf(after), before);
  });

  it('renames from the declaration in the imported file, and gives one edit per place', () => {
    const fx = setup({ 'base.kpi.yaml': BASE.replace('  sessions:', '  ^sessions:') });
    const r = rename(fx.ws, fx.files, fx.snap('base.kpi.yaml'), fx.caret('base.kpi.yaml'), 'visits_total');
    assert.ok('edits' in r);
    assert.deepEqual(r.edits.map((e) => describeSpan(fx, e.file, e.span)), [
      'base.kpi.yaml:5:sessions',
      'base.kpi.yaml:8:sessions',
      'main.kpi.yaml:6:sessions',
      'main.kpi.yaml:8:sessions',
      'main.kpi.yaml:8:sessions',
    ]);
    assert.ok(r.edits.every((e) => e.newText === 'visits_total'));
  });

  it('renames a source in every `source:`, quoted or not, across files', () => {
    const fx = setup({ 'base.kpi.yaml': BASE.replace('  web:', '  ^web:') });
    const after = renamed(fx, 'base.kpi.yaml', 'site');
    assert.equal(after['base.kpi.yaml'], BASE.replace('  web:', '  site:').replace('source: web', 'source: site').replace('"web"', '"site"'));
    assert.equal(after['main.kpi.yaml'], MAIN.replace('source: web', 'source: site'));
    assert.deepEqual(problemsOf(after), problemsOf(renamed(setup({ 'base.kpi.yaml': BASE.replace('  web:', '  ^web:') }), 'base.kpi.yaml', 'web')));
  });

  it('renames a KPI in formulas and goal members', () => {
    const fx = setup({ 'main.kpi.yaml': MAIN.replace('bounce_rate * 2', 'bounce_^rate * 2') });
    const after = renamed(fx, 'main.kpi.yaml', 'bounce');
    assert.equal(after['main.kpi.yaml'], MAIN.replaceAll('bounce_rate', 'bounce'));
  });

  it('renames a goal', () => {
    const fx = setup({ 'main.kpi.yaml': MAIN.replace('  g:', '  ^g:') });
    assert.equal(renamed(fx, 'main.kpi.yaml', 'growth')['main.kpi.yaml'], MAIN.replace('  g:', '  growth:'));
  });

  it('gives no edits when the name does not change', () => {
    const fx = setup({ 'main.kpi.yaml': MAIN.replace('  g:', '  ^g:') });
    assert.deepEqual(rename(fx.ws, fx.files, fx.snap('main.kpi.yaml'), fx.caret('main.kpi.yaml'), 'g'), { edits: [] });
  });

  it('refuses invalid ids', () => {
    const fx = setup({ 'main.kpi.yaml': MAIN.replace('  g:', '  ^g:') });
    assert.match(errorOf(fx, 'main.kpi.yaml', 'Growth'), /not a valid id.*lower_snake_case/);
    assert.match(errorOf(fx, 'main.kpi.yaml', '2025_growth'), /not a valid id/);
    assert.match(errorOf(fx, 'main.kpi.yaml', 'grow-th'), /not a valid id/);
    assert.match(errorOf(fx, 'main.kpi.yaml', ''), /not a valid id/);
    assert.match(errorOf(fx, 'main.kpi.yaml', 'a__b'), /`__` is reserved/);
    assert.match(errorOf(fx, 'main.kpi.yaml', 'and'), /formula keyword/);
    assert.match(errorOf(fx, 'main.kpi.yaml', 'true'), /read by YAML/);
  });

  it('refuses an id taken in any affected scope: metrics, KPIs and goals share one namespace', () => {
    const fromMain = setup({ 'main.kpi.yaml': MAIN.replace('  visits:', '  ^visits:') });
    assert.match(errorOf(fromMain, 'main.kpi.yaml', 'bounces'), /`bounces` is already a metric in base\.kpi\.yaml/);
    assert.match(errorOf(fromMain, 'main.kpi.yaml', 'pages'), /already a KPI in base\.kpi\.yaml.*share one set of ids/);
    assert.match(errorOf(fromMain, 'main.kpi.yaml', 'g'), /already a goal in main\.kpi\.yaml/);
    // renaming in the imported file: the importing file's ids are in the way too
    const fromBase = setup({ 'base.kpi.yaml': BASE.replace('  bounces:', '  ^bounces:') });
    assert.match(errorOf(fromBase, 'base.kpi.yaml', 'ratio'), /already a KPI in main\.kpi\.yaml/);
    // but not the ids of a file that does not see the metric
    const fromBaseK = setup({ 'base.kpi.yaml': BASE.replace('  bounces:', '  ^bounces:'), 'other.kpi.yaml': OTHER.replace('  k:', '  free:') });
    assert.ok('edits' in rename(fromBaseK.ws, fromBaseK.files, fromBaseK.snap('base.kpi.yaml'), fromBaseK.caret('base.kpi.yaml'), 'k'));
  });

  it('lets a source share an id with a metric (own namespace) but not with another source', () => {
    const two = BASE.replace('  web:', '  ^web:').replace('sources:\n', 'sources:\n  crm: { file: web.csv }\n');
    const fx = setup({ 'base.kpi.yaml': two });
    assert.match(errorOf(fx, 'base.kpi.yaml', 'crm'), /already a source in base\.kpi\.yaml \(sources have their own set of ids\)/);
    const after = renamed(fx, 'base.kpi.yaml', 'sessions');
    assert.ok(after['base.kpi.yaml']!.includes('  sessions: { file: web.csv'));
    assert.ok(after['main.kpi.yaml']!.includes('visits: { source: sessions, agg: count }'));
  });
});
