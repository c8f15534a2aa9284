import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { escapeData, escapeProperty, github } from '../../../server/src/cli/format/github';
import { cwd, options, reports } from './fixtures';

describe('format/github', () => {
  it('writes one workflow command per problem', () => {
    assert.equal(
      github(reports(), options),
      [
        '::notice file=specs/a.kpi.yaml,line=1,col=1,endLine=1,endColumn=8,title=kpispec unsupported-version::Version 1 is current.',
        '::notice file=specs/a.kpi.yaml,line=3,col=9,endLine=3,endColumn=19,title=kpispec unused-metric::Metric `conversion` is not used.',
        '::error file=specs/a.kpi.yaml,line=4,col=21,endLine=4,endColumn=27,title=kpispec unknown-reference::Unknown reference `revnue`; did you mean `revenue`?',
        '::warning file=specs/a.kpi.yaml,line=5,col=10,endLine=5,endColumn=20,title=kpispec format-mismatch::Format `percentage` does not fit a count.',
        '::error file=specs/b.kpi.yaml,line=4,col=14,endLine=4,endColumn=15,title=kpispec circular-definition::KPI `x` is defined in terms of itself: x → y → x.%0A↳ specs/b.kpi.yaml:6:14 y uses x%0A↳ specs/a.kpi.yaml:3:9 see also',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing when there is nothing to annotate', () => {
    assert.equal(github([{ file: path.join(cwd, 'x.kpi.yaml'), text: '', problems: [] }], options), '');
  });

  it('escapes properties and data as GitHub does', () => {
    assert.equal(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
    assert.equal(escapeProperty('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext%3A a%2C b');
    assert.equal(escapeProperty('%0A'), '%250A');
  });

  it('escapes file names and messages, and leaves columns out of multi-line problems', () => {
    const file = path.join(cwd, 'a,b:c%.kpi.yaml');
    const text = 'one\ntwo\n';
    const out = github([{ file, text, problems: [{ rule: 'yaml-syntax', severity: 'error', message: 'bad: 50%\nhere', file, span: { offset: 1, length: 5 } }] }], options);
    assert.equal(out, '::error file=a%2Cb%3Ac%25.kpi.yaml,line=1,endLine=2,title=kpispec yaml-syntax::bad: 50%25%0Ahere\n');
  });
});
