import * as assert from 'node:assert/strict';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { definition } from '../../server/src/services/definition';
import { describeLocations, fixture } from './referencesFixture';

const WEB = 'date, Channel ,sessions,bounces,"device"\n2026-01-01,email,10,3,mobile\n';
const ORDERS = '[{"ordered_at": "2026-01-01", "amount": 10, "channel": "email"}]';

/** A spec importing another, with CSV, JSON and inline sources. Carets go where a test puts them. */
function files(main: string, base = BASE): Record<string, string> {
  return { 'base.kpi.yaml': base, 'main.kpi.yaml': main, 'data/web.csv': WEB, 'data/orders.json': ORDERS };
}

const BASE = `kpispec: 1
name: Base
sources:
  web: { file: data/web.csv, time: date, dimensions: [channel, device] }
  shop:
    file: data/orders.json
    time: ordered_at
  tiny:
    rows:
      - { day: 2026-01-01, visits: 10 }
      - { day: 2026-01-02, visits: 12, extra: 1 }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: web, agg: sum, column: bounces, where: 'channel == "email"' }
`;

const MAIN = `kpispec: 1
imports: [base.kpi.yaml]
metrics:
  revenue: { source: shop, agg: sum, column: amount, unit: currency }
kpis:
  bounce_rate: { formula: bounces / sessions, format: percent, by: [channel] }
  aov:
    formula: revenue / sessions
goals:
  grow: { kpis: { bounce_rate: {}, aov: {} } }
`;

/** Puts a caret before the n-th (0-based) occurrence of `needle` plus `shift` characters. */
function at(text: string, needle: string, shift = 0, n = 0): string {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`no ${needle}`);
  return text.slice(0, i + shift) + '^' + text.slice(i + shift);
}

function go(fileTexts: Record<string, string>, name: string): string[] {
  const fx = fixture(fileTexts);
  return describeLocations(fx, definition(fx.snap(name), fx.caret(name)));
}

describe('services: definition', () => {
  it('the fixture itself checks clean', () => {
    const fx = fixture(files(MAIN));
    const problems = checkFiles(fx.ws, fx.files).flatMap((f) => f.problems).filter((p) => p.severity !== 'hint');
    assert.deepEqual(problems, []);
  });

  it('goes from a formula name to the metric in the imported file', () => {
    assert.deepEqual(go(files(at(MAIN, 'sessions, format', 3)), 'main.kpi.yaml'), ['base.kpi.yaml:13:sessions']);
  });

  it('counts a cursor right after the name', () => {
    assert.deepEqual(go(files(at(MAIN, 'bounces /', 7)), 'main.kpi.yaml'), ['base.kpi.yaml:14:bounces']);
  });

  it('goes from a formula name to a metric of the same file', () => {
    assert.deepEqual(go(files(at(MAIN, 'revenue / sessions')), 'main.kpi.yaml'), ['main.kpi.yaml:4:revenue']);
  });

  it('goes from a goal member to the KPI', () => {
    assert.deepEqual(go(files(at(MAIN, 'aov: {}', 1)), 'main.kpi.yaml'), ['main.kpi.yaml:7:aov']);
  });

  it('goes from `source:` to the source in the imported file', () => {
    assert.deepEqual(go(files(at(MAIN, 'shop')), 'main.kpi.yaml'), ['base.kpi.yaml:5:shop']);
    assert.deepEqual(go(files(MAIN, at(BASE, 'web, agg')), 'base.kpi.yaml'), ['base.kpi.yaml:4:web']);
  });

  it('goes from a definition id to itself', () => {
    assert.deepEqual(go(files(at(MAIN, 'bounce_rate:', 4)), 'main.kpi.yaml'), ['main.kpi.yaml:6:bounce_rate']);
    assert.deepEqual(go(files(MAIN, at(BASE, 'tiny')), 'base.kpi.yaml'), ['base.kpi.yaml:8:tiny']);
  });

  it('goes from a name in a quoted or block formula', () => {
    const main = MAIN.replace('formula: bounces / sessions', 'formula: "bounces / sessions"').replace('formula: revenue / sessions', 'formula: >-\n      revenue /\n      sessions');
    assert.deepEqual(go(files(at(main, 'sessions"', 2)), 'main.kpi.yaml'), ['base.kpi.yaml:13:sessions']);
    assert.deepEqual(go(files(at(main, 'sessions\n')), 'main.kpi.yaml'), ['base.kpi.yaml:13:sessions']);
  });

  it('goes from an `imports:` path to the file', () => {
    const fx = fixture(files(at(MAIN, 'base.kpi')));
    assert.deepEqual(definition(fx.snap('main.kpi.yaml'), fx.caret('main.kpi.yaml')), [{ file: fx.abs('base.kpi.yaml'), span: { offset: 0, length: 0 } }]);
  });

  it('goes from a source `file:` path to the data file', () => {
    const fx = fixture(files(MAIN, at(BASE, 'orders.json', 2)));
    assert.deepEqual(definition(fx.snap('base.kpi.yaml'), fx.caret('base.kpi.yaml')), [{ file: fx.abs('data/orders.json'), span: { offset: 0, length: 0 } }]);
  });

  it('gives nothing for a path to a file that does not exist', () => {
    const main = at(MAIN.replace('[base.kpi.yaml]', '[base.kpi.yaml, nothere.kpi.yaml]'), 'nothere');
    assert.deepEqual(go(files(main), 'main.kpi.yaml'), []);
  });

  it('goes from `column:` to the header cell of the CSV', () => {
    assert.deepEqual(go(files(MAIN, at(BASE, 'sessions }', 2)), 'base.kpi.yaml'), ['data/web.csv:1:sessions']);
  });

  it('goes from `time:` and `dimensions:` to the header, matching case and spaces as the checker does', () => {
    assert.deepEqual(go(files(MAIN, at(BASE, 'date,')), 'base.kpi.yaml'), ['data/web.csv:1:date']);
    assert.deepEqual(go(files(MAIN, at(BASE, 'channel,', 1)), 'base.kpi.yaml'), ['data/web.csv:1:Channel']);
    assert.deepEqual(go(files(MAIN, at(BASE, 'device]')), 'base.kpi.yaml'), ['data/web.csv:1:device'], 'a quoted header cell: inside the quotes');
  });

  it('goes from a column in `where` to the header', () => {
    assert.deepEqual(go(files(MAIN, at(BASE, 'channel ==', 1)), 'base.kpi.yaml'), ['data/web.csv:1:Channel']);
  });

  it('goes from a KPI `by:` dimension to the header of the sources the KPI reads', () => {
    assert.deepEqual(go(files(at(MAIN, 'channel]')), 'main.kpi.yaml'), ['data/web.csv:1:Channel']);
  });

  it('goes from a column of a JSON source to the start of the file', () => {
    const fx = fixture(files(at(MAIN, 'amount')));
    assert.deepEqual(definition(fx.snap('main.kpi.yaml'), fx.caret('main.kpi.yaml')), [{ file: fx.abs('data/orders.json'), span: { offset: 0, length: 0 } }]);
  });

  it('goes from a column of inline rows to its key in the first row that has it', () => {
    assert.deepEqual(go(files(MAIN, BASE.replace('    rows:', '    time: ^day\n    rows:')), 'base.kpi.yaml'), ['base.kpi.yaml:11:day']);
    const withExtra = BASE.replace('    rows:', '    dimensions: [^extra]\n    rows:');
    assert.deepEqual(go(files(MAIN, withExtra), 'base.kpi.yaml'), ['base.kpi.yaml:12:extra']);
  });

  it('goes into a CSV with another delimiter and quoted cells', () => {
    const spec = 'kpispec: 1\nsources:\n  eu: { file: eu.txt, format: csv, delimiter: ";", decimal: ",", time: Datum }\nmetrics:\n  m: { source: eu, agg: sum, column: ^Betrag }\n';
    assert.deepEqual(go({ 'a.kpi.yaml': spec, 'eu.txt': '"Datum";"Kanal";"Betrag"\n2026-01-01;x;1,5\n' }, 'a.kpi.yaml'), ['eu.txt:1:Betrag']);
  });

  it('gives nothing for a column the data lacks, a function, an unknown name or plain text', () => {
    assert.deepEqual(go(files(MAIN, BASE.replace('column: bounces,', 'column: bou^ncez,')), 'base.kpi.yaml'), []);
    assert.deepEqual(go(files(MAIN.replace('revenue / sessions', 'growth(revenue)').replace('growth', '^growth')), 'main.kpi.yaml'), []);
    assert.deepEqual(go(files(MAIN.replace('revenue / sessions', 'revenue / ^sesions')), 'main.kpi.yaml'), []);
    assert.deepEqual(go(files(MAIN.replace('kpispec: 1', 'kpi^spec: 1')), 'main.kpi.yaml'), []);
    assert.deepEqual(go(files(MAIN.replace('percent', 'per^cent')), 'main.kpi.yaml'), []);
  });
});
