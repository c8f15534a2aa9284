import * as assert from 'node:assert/strict';
import { evalText } from '../engine/evalText';
import { brief, problemsOf } from '../helpers/memoryHost';

const HEAD = `kpispec: 1
sources:
  s: { time: d, rows: [ { d: 2026-01-01, n: 3 } ] }
metrics:
  n: { source: s, agg: sum, column: n }
kpis:
  good: { formula: n + }
`;
const TAIL = `  bad_ref: { formula: nn + 1 }
  fmt: { formula: n, format: percnt }
`;

describe('YAML errors: said at the line that has them, and the rest of the file still checked', () => {
  it('a line indented too far under `key: value`: one error at that line, naming the column it should have', () => {
    const text = `${HEAD}  over:\n    formula: n * 2\n      format: percent\n${TAIL}`;
    const problems = problemsOf({ 'a.kpi.yaml': text });
    const yaml = problems.filter((p) => p.rule === 'yaml-syntax');
    assert.equal(yaml.length, 1, JSON.stringify(yaml));
    assert.equal(yaml[0]!.message, '`format:` is indented more than `formula:` above it, which already has its value (`n * 2`): indent `format:` 4 spaces, as `formula:`, to make it a key of the same mapping');
    assert.equal(text.slice(yaml[0]!.span.offset, yaml[0]!.span.offset + yaml[0]!.span.length), 'format');
    assert.doesNotMatch(yaml[0]!.message, /quoted/);
  });

  it('a line at no mapping’s column: the columns it could take', () => {
    const text = `${HEAD}  under:\n    formula: n * 2\n   format: percent\n${TAIL}`;
    const [yaml] = problemsOf({ 'a.kpi.yaml': text }).filter((p) => p.rule === 'yaml-syntax');
    assert.equal(yaml!.message, '`format:` is indented 3 spaces, where no mapping around it has its keys: indent it 4 spaces (as `formula:`) or 2 spaces (as `under:`), whichever mapping it belongs to');
  });

  it('a flow entry with a key indented under it: at the key', () => {
    assert.deepEqual(brief({ 'a.kpi.yaml': 'kpispec: 1\nkpis:\n  a: { formula: 1 }\n    b: { formula: 2 }\n' }).filter((b) => b.startsWith('yaml')), ['yaml-syntax@4:5']);
  });

  for (const [name, line] of [['over-indented', '      format: percent'], ['mis-indented', '   format: percent']] as const) {
    it(`${name}: the definitions the error does not touch keep their formula, schema and reference problems`, () => {
      const text = `${HEAD}  broken:\n    formula: n * 2\n${line}\n${TAIL}`;
      assert.deepEqual(brief({ 'a.kpi.yaml': text }), [
        'formula-syntax@7:22', // good: { formula: n + }
        `yaml-syntax@10:${line.indexOf('f') + 1}`,
        'unknown-reference@11:23', // nn
        'invalid-value@12:30', // percnt
      ]);
    });
  }

  it('the definitions it does not touch keep their values', () => {
    const text = 'kpispec: 1\nsources:\n  s: { time: d, rows: [ { d: 2026-01-01, n: 3 } ] }\nmetrics:\n  n: { source: s, agg: sum, column: n }\nkpis:\n  fine: { formula: n * 2 }\n  broken:\n    formula: n\n      format: percent\n';
    const result = evalText(text, {}, { today: '2026-12-31' });
    assert.equal(result.kpis.find((k) => k.id === 'fine')!.latest.value, 6);
    assert.match(result.kpis.find((k) => k.id === 'broken')!.problems[0]!.message, /`broken` is not evaluated: `format:` is indented more/);
  });
});
