import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, textEdits } from '../../../server/src/language/format/edits';
import { formatSpec } from '../../../server/src/language/format/format';
import { editsInRange, topLevelParts } from '../../../server/src/language/format/range';
import { LineIndex } from '../../../server/src/language/lineIndex';

const REPO = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(REPO, 'test/fixtures/format');

/** The canonical text; fails on anything but a formatted result. */
function fmt(text: string): string {
  const r = formatSpec(text, '/ws/a.kpi.yaml');
  assert.equal(r.kind, 'formatted', JSON.stringify(r));
  return (r as { text: string }).text;
}

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('kpispec fmt: the canonical layout', () => {
  it('formats a badly formatted spec to exactly its canonical text (written by hand)', () => {
    const messy = fs.readFileSync(path.join(FIXTURES, 'messy.yaml'), 'utf8');
    const expected = fs.readFileSync(path.join(FIXTURES, 'messy.formatted.yaml'), 'utf8');
    assert.equal(fmt(messy), expected);
    assert.equal(fmt(expected), expected, 'the canonical text is a fixed point');
  });

  it('leaves the shipped samples and templates as they are: they are canonical', () => {
    const files = ['samples/sources.kpi.yaml', 'samples/webshop.kpi.yaml', ...fs.readdirSync(path.join(REPO, 'templates')).map((t) => `templates/${t}/${t}.kpi.yaml`)];
    for (const file of files) {
      const text = fs.readFileSync(path.join(REPO, file), 'utf8');
      assert.equal(fmt(text), text, file);
    }
  });

  it('orders the keys of each kind of definition; in a one-line definition title, description and owner come last', () => {
    assert.equal(
      fmt('kpis:\n  k:\n    by: [a]\n    warn: 1\n    target: 2\n    direction: up\n    decimals: 1\n    format: number\n    formula: x\n    horizon: short\n    owner: me\n    description: d\n    title: t\n'),
      lines('kpis:', '  k:', '    title: t', '    description: d', '    owner: me', '    horizon: short', '    formula: x', '    format: number', '    decimals: 1',
        '    direction: up', '    target: 2', '    warn: 1', '    by: [a]'),
    );
    assert.equal(fmt('metrics:\n  m: { title: T, where: w, currency: USD, unit: currency, column: c, agg: sum, source: s }\n'),
      'metrics:\n  m: { source: s, agg: sum, column: c, unit: currency, currency: USD, where: w, title: T }\n');
    assert.equal(fmt('sources:\n  s: { columns: { b: string, a: number }, dimensions: [x], time: t, key: k, file: f.csv, description: D, title: T }\n'),
      'sources:\n  s: { file: f.csv, key: k, time: t, dimensions: [x], columns: { b: string, a: number }, title: T, description: D }\n', 'columns keep their order: they are ids');
    assert.equal(fmt('goals:\n  g:\n    kpis: { b: { baseline: 1, weight: 2 }, a: {} }\n    due: 2026-12\n    start: 2026-01\n    title: G\n'),
      lines('goals:', '  g:', '    title: G', '    start: 2026-01', '    due: 2026-12', '    kpis: { b: { weight: 2, baseline: 1 }, a: {} }'));
    assert.equal(fmt('kpis:\n  k:\n    formula: x\n    target: [{ per: month, min: 1, from: 2026-01 }]\n    warn: { per: month, max: 3, min: 0 }\n'),
      lines('kpis:', '  k:', '    formula: x', '    target: [{ from: 2026-01, min: 1, per: month }]', '    warn: { min: 0, max: 3, per: month }'));
    assert.equal(fmt('goals: {}\nkpis: {}\nzzz: 1\nmetrics: {}\nsources: {}\ndefaults: { locale: de-DE, timezone: UTC }\nimports: []\ndescription: d\nname: n\nkpispec: 1\n'),
      lines('kpispec: 1', 'name: n', 'description: d', 'imports: []', 'defaults: { timezone: UTC, locale: de-DE }', '', 'sources: {}', '', 'metrics: {}', '', 'kpis: {}', '', 'goals: {}', 'zzz: 1'),
      'unknown keys after the known ones');
  });

  it('indents two spaces per level, sequences two under their key, and turns flow written over lines into block style', () => {
    assert.equal(
      fmt('kpispec: 1\nkpis:\n    k:\n        formula: x\n        target:\n        -   from: 2026-01\n            min: 1\n        by: [\n          a,\n          b ]\n'),
      lines('kpispec: 1', '', 'kpis:', '  k:', '    formula: x', '    target:', '      - from: 2026-01', '        min: 1', '    by:', '      - a', '      - b'),
    );
    assert.equal(fmt('metrics: { m: { source: s, agg: count } }\n'), 'metrics:\n  m: { source: s, agg: count }\n', 'sections are always block mappings');
    assert.equal(fmt('kpis:\n  k: {formula: x,target: {min: 1}, by: [ a,b ]}\n'), 'kpis:\n  k: { formula: x, target: { min: 1 }, by: [a, b] }\n');
  });

  it('quotes a formula only where YAML needs it: a comma inside { }, a leading quote, a number', () => {
    assert.equal(fmt(`kpis:\n  a:\n    formula: 'rolling(x, 3)'\n  b: { formula: 'rolling(x, 3)' }\n  c: { formula: "x / y" }\n  d:\n    formula: '100'\n  e:\n    formula: '"a" == b'\n`),
      lines('kpis:', '  a:', '    formula: rolling(x, 3)', "  b: { formula: 'rolling(x, 3)' }", '  c: { formula: x / y }', '  d:', "    formula: '100'", '  e:', `    formula: '"a" == b'`));
    assert.equal(fmt("metrics:\n  m:\n    where: 'a > 1'\n"), "metrics:\n  m:\n    where: 'a > 1'\n", 'other values keep their quotes');
  });

  it('keeps every comment and the blank lines that group definitions (at most one in a row)', () => {
    const text = lines(
      'kpispec: 1   # version', 'metrics:', '', '', '  # web', '  a: { source: s, agg: count }  # first', '  b: { source: s, agg: count }', '', '', '',
      '  # orders', '  c:', '    agg: count   # rows', '    # the source', '    source: s', '    # trailing in c', '# at the end',
    );
    assert.equal(fmt(text), lines(
      'kpispec: 1   # version', '', 'metrics:', '  # web', '  a: { source: s, agg: count }  # first', '  b: { source: s, agg: count }', '',
      '  # orders', '  c:', '    # the source', '    source: s', '    agg: count   # rows', '    # trailing in c', '# at the end',
    ));
  });

  it('keeps spaces after a key only where they align values in a column', () => {
    assert.equal(fmt('metrics:\n  a:    { source: s, agg: count }\n  bbbb: { source: s, agg: count }\n  c:      { source: s, agg: count }\n'),
      'metrics:\n  a:    { source: s, agg: count }\n  bbbb: { source: s, agg: count }\n  c: { source: s, agg: count }\n');
  });

  it('re-indents block scalars, moves a value below its key up to it, and keeps folded lines', () => {
    assert.equal(fmt('kpis:\n    k:\n        description: >-\n              one\n              two\n\n              three\n        title:\n            Title\n        formula: x\n'),
      lines('kpis:', '  k:', '    title: Title', '    description: >-', '      one', '      two', '', '      three', '    formula: x'));
  });

  it('keeps line ends (CRLF) and a byte order mark', () => {
    assert.equal(fmt('\uFEFFkpispec: 1\r\nkpis:\r\n    k: {formula: x}\r\n'), '\uFEFFkpispec: 1\r\n\r\nkpis:\r\n  k: { formula: x }\r\n');
  });

  it('moves no key when the file has anchors and aliases (an alias must stay after its anchor)', () => {
    const text = 'kpis:\n  k:\n    warn: &band { min: 1 }\n    target: *band\n    formula: x\n';
    assert.equal(fmt(text), text);
  });

  it('does not format a file with YAML syntax errors: it says where they are', () => {
    const text = 'kpispec: 1\nkpis:\n  k: { formula: x\n  j: 1\n';
    const r = formatSpec(text, '/ws/a.kpi.yaml');
    assert.equal(r.kind, 'syntax-error');
    const problems = (r as Extract<typeof r, { kind: 'syntax-error' }>).problems;
    assert.ok(problems.length >= 1);
    assert.ok(problems.every((p) => p.rule === 'yaml-syntax'));
    const at = new LineIndex(text).positionAt(problems[0]!.span.offset);
    assert.ok(at.line >= 2, `located on the broken entry or after it: ${JSON.stringify(at)}`);
  });

  it('leaves a document that is not a mapping as it is', () => {
    assert.equal(fmt(''), '');
    assert.equal(fmt('- a\n- b\n'), '- a\n- b\n');
  });
});

describe('kpispec fmt: edits for the editor', () => {
  const messy = fs.readFileSync(path.join(FIXTURES, 'messy.yaml'), 'utf8');
  const formatted = fs.readFileSync(path.join(FIXTURES, 'messy.formatted.yaml'), 'utf8');

  it('edits that give the formatted text, each as small as a line diff makes it', () => {
    const edits = textEdits(messy, formatted);
    assert.equal(applyEdits(messy, edits), formatted);
    assert.deepEqual(textEdits(formatted, formatted), []);
    // Re-indenting a definition deletes spaces at the start of its lines, nothing else.
    const text = 'kpis:\n    k:\n        formula: x\n        title: T\n';
    const reindent = textEdits(text, 'kpis:\n  k:\n    formula: x\n    title: T\n');
    assert.deepEqual(reindent.map((e) => [e.span.length, e.newText]), [[2, ''], [4, ''], [4, '']]);
  });

  it('cuts a document into its top-level parts: each key, each definition with the comments above it', () => {
    const text = fs.readFileSync(path.join(REPO, 'samples/webshop.kpi.yaml'), 'utf8');
    const parts = topLevelParts(text);
    parts.forEach((p, i) => assert.equal(p.offset, i ? parts[i - 1]!.offset + parts[i - 1]!.length : 0, 'contiguous'));
    assert.equal(parts.at(-1)!.offset + parts.at(-1)!.length, text.length);
    const kpi = parts.find((p) => text.slice(p.offset).startsWith('\n  # ===== 转化 conversion'))!;
    assert.match(text.slice(kpi.offset, kpi.offset + kpi.length), /^\n {2}# =+ 转化 conversion =+\n {2}conversion_rate:\n[^]*by: \[channel, device\]\n$/);
  });

  it('range formatting: only the top-level definitions the range touches', () => {
    const text = 'kpispec: 1\nkpis:\n  a:   { formula: x }\n  # about b\n  b:  { formula: y }\n  c:    { formula: z }\n';
    const all = textEdits(text, fmt(text));
    const bStart = text.indexOf('  # about b');
    assert.deepEqual(topLevelParts(text).map((p) => text.slice(p.offset, p.offset + p.length)),
      ['kpispec: 1\n', 'kpis:\n', '  a:   { formula: x }\n', '  # about b\n  b:  { formula: y }\n', '  c:    { formula: z }\n']);
    const inB = editsInRange(text, all, { offset: text.indexOf('formula: y'), length: 0 });
    assert.equal(applyEdits(text, inB), text.replace('b:  {', 'b: {'), 'only b');
    const aToB = editsInRange(text, all, { offset: text.indexOf('a:'), length: bStart + 5 - text.indexOf('a:') });
    assert.equal(applyEdits(text, aToB), text.replace('a:   {', 'a: {').replace('b:  {', 'b: {'), 'a and b');
    assert.equal(applyEdits(text, editsInRange(text, all, { offset: 0, length: text.length })), fmt(text), 'the whole document');
  });
});
