import * as assert from 'node:assert/strict';
import { loadYaml } from '../../server/src/language/yaml/load';
import { get } from '../../server/src/language/yaml/tree';

const rules = (text: string) => loadYaml(text, '/x.kpi.yaml').problems.map((p) => `${p.rule}@${p.span.offset}`);

describe('YAML loading', () => {
  it('builds a tree with spans on keys and values', () => {
    const text = 'kpis:\n  a: { formula: x / y }\n';
    const { root, problems } = loadYaml(text, '/x');
    assert.deepEqual(problems, []);
    const kpi = get(get(root, 'kpis'), 'a');
    const formula = get(kpi, 'formula');
    assert.equal(formula?.kind, 'scalar');
    assert.equal(text.slice(formula!.span.offset, formula!.span.offset + formula!.span.length), 'x / y');
  });

  it('reports syntax errors with a position and goes on', () => {
    const text = 'a: [1, 2\nb: ok\n';
    const { problems } = loadYaml(text, '/x');
    assert.ok(problems.length >= 1);
    assert.ok(problems.every((p) => p.rule === 'yaml-syntax' && p.span.offset >= 0 && p.span.offset <= text.length));
  });

  it('reports a duplicate key at the second occurrence, in linear time', () => {
    const text = 'a: 1\nb: 2\na: 3\n';
    assert.deepEqual(rules(text), [`duplicate-key@${text.lastIndexOf('a:')}`]);
    const many = 'm:\n' + Array.from({ length: 50_000 }, (_, i) => `  k${i}: ${i}\n`).join('') + '  k7: 0\n';
    const start = performance.now();
    const result = loadYaml(many, '/x');
    assert.equal(result.problems.filter((p) => p.rule === 'duplicate-key').length, 1);
    assert.ok(performance.now() - start < 20_000);
  });

  it('stops an alias bomb with an error instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const { problems } = loadYaml(lines.join('\n') + '\n', '/x');
    assert.ok(problems.some((p) => p.rule === 'yaml-alias-limit'));
  });

  it('resolves a harmless alias to the anchored node', () => {
    const { root, problems } = loadYaml('base: &b { max: 40% }\nother: *b\n', '/x');
    assert.deepEqual(problems, []);
    assert.equal(get(root, 'other'), get(root, 'base'));
  });

  it('refuses 10,000-deep nesting quickly, flow or block', () => {
    for (const text of ['a: ' + '['.repeat(10_000) + ']'.repeat(10_000), Array.from({ length: 10_000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n')]) {
      const start = performance.now();
      const { problems } = loadYaml(text, '/x');
      assert.ok(problems.some((p) => p.rule === 'yaml-syntax' && /nesting deeper/.test(p.message)));
      assert.ok(performance.now() - start < 2000);
    }
  });

  it('does not take an apostrophe in plain text for a quote when measuring nesting', () => {
    const text = "title: it's fine\n" + 'a:\n' + Array.from({ length: 50 }, (_, i) => ' '.repeat(2 * (i + 1)) + `k${i}:`).join('\n') + ' 1\n';
    assert.ok(!loadYaml(text, '/x').problems.some((p) => /nesting/.test(p.message)));
  });

  it('never ends a syntax error between the CR and LF of a line break (found by test/fuzz)', () => {
    const text = ': []\r\n\r\n e';
    for (const p of loadYaml(text, '/x.kpi.yaml').problems) {
      for (const end of [p.span.offset, p.span.offset + p.span.length]) assert.ok(!(text[end - 1] === '\r' && text[end] === '\n'), `${p.message} at ${JSON.stringify(p.span)}`);
    }
  });

  it('reports a second document', () => {
    assert.ok(rules('a: 1\n---\nb: 2\n').some((r) => r.startsWith('yaml-syntax')));
  });

  it('returns no tree and no crash for an empty file', () => {
    const { root, problems } = loadYaml('', '/x');
    assert.equal(root, null);
    assert.deepEqual(problems, []);
  });
});
