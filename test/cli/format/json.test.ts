import * as assert from 'node:assert/strict';
import { json } from '../../../server/src/cli/format/json';
import { options, reports } from './fixtures';

describe('format/json', () => {
  const text = json(reports(), options);
  const out = JSON.parse(text);

  it('is pretty-printed with 2 spaces and a trailing newline', () => {
    assert.ok(text.startsWith('{\n  "version": 1,\n  "summary": {\n    "errors": 2,'));
    assert.ok(text.endsWith('\n}\n'));
  });

  it('summarises by severity and lists every checked file, sorted, clean ones included', () => {
    assert.equal(out.version, 1);
    assert.deepEqual(out.summary, { errors: 2, warnings: 1, infos: 1, hints: 1, files: 3 });
    assert.deepEqual(
      out.files.map((f: { file: string; problems: unknown[] }) => [f.file, f.problems.length]),
      [['clean.kpi.yaml', 0], ['specs/a.kpi.yaml', 4], ['specs/b.kpi.yaml', 1]],
    );
    assert.deepEqual(out.files[1].problems.map((p: { line: number }) => p.line), [1, 3, 4, 5]);
  });

  it('gives 1-based UTF-16 positions with an exclusive end column and the raw span', () => {
    assert.deepEqual(out.files[1].problems[2], {
      rule: 'unknown-reference',
      severity: 'error',
      message: 'Unknown reference `revnue`; did you mean `revenue`?',
      line: 4,
      column: 21,
      endLine: 4,
      endColumn: 27,
      offset: 59,
      length: 6,
      related: [],
    });
  });

  it('locates related spans, also in other files', () => {
    assert.deepEqual(out.files[2].problems[0].related, [
      { file: 'specs/b.kpi.yaml', line: 6, column: 14, message: 'y uses x' },
      { file: 'specs/a.kpi.yaml', line: 3, column: 9, message: 'see also' },
    ]);
  });

  it('is valid for no reports at all', () => {
    assert.deepEqual(JSON.parse(json([], options)), { version: 1, summary: { errors: 0, warnings: 0, infos: 0, hints: 0, files: 0 }, files: [] });
  });
});
