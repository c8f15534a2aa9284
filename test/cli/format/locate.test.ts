import * as assert from 'node:assert/strict';
import { Locator, problemRange, relPath } from '../../../server/src/cli/format/locate';
import { A, B, aText, at, cwd, reports } from './fixtures';

describe('format/locate', () => {
  it('gives 1-based UTF-16 columns on a CRLF line with CJK and an emoji before the span', () => {
    const report = reports().find((r) => r.file === A)!;
    const p = report.problems.find((x) => x.rule === 'unknown-reference')!;
    // '    formula: ' is 13 units, 收入 2, 🚀 2 (a surrogate pair), ' / ' 3: revnue starts at unit 20.
    assert.deepEqual(problemRange(report, p), { line: 4, column: 21, endLine: 4, endColumn: 27 });
  });

  it('ends a span that takes in the line break at column 1 of the next line', () => {
    const s = at(aText, 'kpis:\r\n');
    assert.deepEqual(new Locator([{ file: A, text: aText, problems: [] }]).range(A, s), { line: 2, column: 1, endLine: 3, endColumn: 1 });
  });

  it('locates related spans in files without a report through texts, and unknown files at 1:1', () => {
    const locator = new Locator([], (f) => (f === B ? 'a\nbc' : undefined));
    assert.deepEqual(locator.range(B, { offset: 3, length: 1 }), { line: 2, column: 2, endLine: 2, endColumn: 3 });
    assert.deepEqual(locator.range(A, { offset: 50, length: 5 }), { line: 1, column: 1, endLine: 1, endColumn: 1 });
  });

  it('makes paths relative with forward slashes', () => {
    assert.equal(relPath(A, cwd), 'specs/a.kpi.yaml');
  });
});
