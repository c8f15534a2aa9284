import * as assert from 'node:assert/strict';
import { problemsOf } from '../helpers/memoryHost';

describe('schema messages', () => {
  it('names a duplicate list item and points at its second copy', () => {
    const text = 'kpispec: 1\nsources:\n  web: { rows: [ { day: 2026-01-01, channel: ads } ], time: day, dimensions: [channel, channel] }\n';
    const problems = problemsOf({ 'a.kpi.yaml': text });
    assert.deepEqual(problems.map((p) => [p.rule, p.message, p.span.offset]), [
      ['invalid-value', '`sources.web.dimensions` lists `channel` twice (items 1 and 2)', text.lastIndexOf('channel')],
    ]);
  });

  it('reports mappings in a list of names as type errors, without comparing them', () => {
    const text = 'kpispec: 1\nsources:\n  web: { rows: [ { day: 2026-01-01, channel: ads } ], time: day, dimensions: [{ a: 1 }, { a: 1 }] }\n';
    const problems = problemsOf({ 'a.kpi.yaml': text });
    assert.deepEqual(problems.map((p) => p.message), [
      '`sources.web.dimensions.0` must be text, found a mapping',
      '`sources.web.dimensions.1` must be text, found a mapping',
    ]);
  });
});
