import * as assert from 'node:assert/strict';
import { hover } from '../../server/src/services/hover';
import { semanticTokens } from '../../server/src/services/semanticTokens';
import { fixture } from './referencesFixture';

const WEB = 'date,channel,sessions,bounces\n2026-01-05,email,100,30\n';
const LIB = `kpispec: 1
sources:
  web: { file: web.csv, time: date, dimensions: [channel] }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  bounces: { source: web, agg: sum, column: bounces }
`;

describe('services: folded formulas and rejected imports', () => {
  it('semantic tokens of a formula folded over lines (plain scalar) end at the name, not at the line break', () => {
    const f = fixture({ 'web.csv': WEB, 'main.kpi.yaml': `${LIB}kpis:\n  g:\n    formula: bounces\n      / sessions\n` });
    const text = f.text('main.kpi.yaml');
    const got = semanticTokens(f.snap('main.kpi.yaml')).map((t) => [t.type, text.slice(t.span.offset, t.span.offset + t.span.length)]);
    // A token whose span takes in the "\n" crosses a line: the server's encoder drops it, so `bounces` is never coloured.
    assert.deepEqual(got, [['metric', 'bounces'], ['operator', '/'], ['metric', 'sessions']]);
  });

  it('hover over a name at the end of a folded formula line spans the name only', () => {
    const f = fixture({ 'web.csv': WEB, 'main.kpi.yaml': `${LIB}kpis:\n  g:\n    formula: bou^nces\n      / sessions\n` });
    const text = f.text('main.kpi.yaml');
    const h = hover(f.snap('main.kpi.yaml'), f.caret('main.kpi.yaml'));
    assert.ok(h);
    assert.equal(text.slice(h.span.offset, h.span.offset + h.span.length), 'bounces');
  });

  it('the import closure never loads a non-spec file the import check rejects', () => {
    const f = fixture({ 'common.yaml': `${LIB.replace('file: web.csv', 'rows: [{ date: 2026-01-01, sessions: 1, bounces: 1 }]')}`, 'main.kpi.yaml': 'kpispec: 1\nimports: [common.yaml]\nkpis:\n  k: { formula: sessions }\n' });
    // checkImports: "The schema reports absolute and non-spec paths; never parse a non-spec." Yet the closure
    // parses common.yaml and puts its metrics in scope (no unknown-reference), and the server never
    // re-reads it when it changes on disk (not a *.kpi.yaml: treated as a data file).
    assert.deepEqual(f.ws.closure(f.abs('main.kpi.yaml')).map((p) => p.spec.file), [f.abs('main.kpi.yaml')]);
  });
});
