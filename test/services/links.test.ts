import * as assert from 'node:assert/strict';
import { documentLinks } from '../../server/src/services/documentLinks';
import { describeSpan, fixture } from './referencesFixture';

describe('services: documentLinks', () => {
  it('links `imports:` and `file:` paths that exist, to absolute paths, over the path inside its quotes', () => {
    const fx = fixture({
      'specs/main.kpi.yaml': `kpispec: 1
imports: [../shared/base.kpi.yaml, "missing.kpi.yaml"]
sources:
  web: { file: "../data/web.csv", time: date }
  gone: { file: ../data/gone.csv }
  inline: { rows: [ { a: 1 } ] }
`,
      'shared/base.kpi.yaml': 'kpispec: 1\n',
      'data/web.csv': 'date\n2026-01-01\n',
    });
    const links = documentLinks(fx.snap('specs/main.kpi.yaml'));
    assert.deepEqual(links.map((l) => l.target), [fx.abs('shared/base.kpi.yaml'), fx.abs('data/web.csv')]);
    assert.deepEqual(links.map((l) => describeSpan(fx, fx.abs('specs/main.kpi.yaml'), l.span)), ['specs/main.kpi.yaml:2:../shared/base.kpi.yaml', 'specs/main.kpi.yaml:4:../data/web.csv']);
  });

  it('gives none for a file without paths', () => {
    const fx = fixture({ 'a.kpi.yaml': 'kpispec: 1\nname: x\n' });
    assert.deepEqual(documentLinks(fx.snap('a.kpi.yaml')), []);
  });
});
