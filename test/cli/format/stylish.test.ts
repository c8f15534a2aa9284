import * as assert from 'node:assert/strict';
import { cellWidth, codeFrame, stylish, textWidth } from '../../../server/src/cli/format/stylish';
import { A, aText, at, options, reports } from './fixtures';

describe('format/stylish', () => {
  it('prints files, aligned rows, code frames, related locations and a summary', () => {
    assert.equal(
      stylish(reports(), options),
      [
        'specs/a.kpi.yaml',
        '  1:1   info     Version 1 is current.                                unsupported-version',
        '    1 | kpispec: 1',
        '      | ^~~~~~~',
        '  3:9   hint     Metric `conversion` is not used.                     unused-metric',
        '    3 |   - id: conversion',
        '      |         ^~~~~~~~~~',
        '  4:21  error    Unknown reference `revnue`; did you mean `revenue`?  unknown-reference',
        '    4 |     formula: 收入🚀 / revnue',
        // 13 + 4 (two CJK cells each) + 2 (emoji) + 3 = 22 cells before the marker.
        '      |                       ^~~~~~',
        '  5:10  warning  Format `percentage` does not fit a count.            format-mismatch',
        // The tab is expanded to 4 spaces in both lines.
        '    5 |     format: percentage',
        '      |             ^~~~~~~~~~',
        '',
        'specs/b.kpi.yaml',
        '  4:14  error  KPI `x` is defined in terms of itself: x → y → x.  circular-definition',
        '    4 |     formula: y',
        '      |              ^',
        '    ↳ specs/b.kpi.yaml:6:14 y uses x',
        '    ↳ specs/a.kpi.yaml:3:9 see also',
        '',
        '✖ 5 problems (2 errors, 1 warning, 1 info, 1 hint)',
        '',
      ].join('\n'),
    );
  });

  it('uses ANSI colour only when asked', () => {
    assert.ok(!stylish(reports(), options).includes('\u001b'));
    const coloured = stylish(reports(), { ...options, color: true });
    assert.ok(coloured.includes('\u001b[4mspecs/a.kpi.yaml\u001b[0m'));
    assert.ok(coloured.includes('\u001b[31merror\u001b[0m'));
    assert.ok(coloured.includes('\u001b[33mwarning\u001b[0m'));
    assert.ok(coloured.includes('\u001b[2munknown-reference\u001b[0m'));
  });

  it('says so when there are no problems, and counts singulars', () => {
    assert.equal(stylish([{ file: A, text: aText, problems: [] }], options), '✔ no problems\n');
    const one = stylish([{ file: A, text: aText, problems: [{ rule: 'empty-goal', severity: 'warning', message: 'm', file: A, span: at(aText, 'kpis') }] }], options);
    assert.ok(one.endsWith('\n✖ 1 problem (0 errors, 1 warning)\n'));
  });

  it('skips the code frame of an unreadable file and neutralises control characters', () => {
    const out = stylish([{ file: A, text: '', problems: [{ rule: 'invalid-encoding', severity: 'error', message: 'bad \u001b[2J byte', file: A, span: { offset: 0, length: 0 } }] }], options);
    assert.equal(out, 'specs/a.kpi.yaml\n  1:1  error  bad \u241b[2J byte  invalid-encoding\n\n✖ 1 problem (1 error, 0 warnings)\n');
  });

  it('counts cells: CJK and emoji 2, combining marks 0', () => {
    assert.equal(cellWidth('收'.codePointAt(0)!), 2);
    assert.equal(cellWidth('🚀'.codePointAt(0)!), 2);
    assert.equal(cellWidth(0x0301), 0);
    assert.equal(textWidth('a收🚀e\u0301'), 6);
  });

  it('marks a zero-length span and a span at the end of the line with one caret', () => {
    assert.deepEqual(codeFrame('abc', 1, 1), { source: 'abc', marker: ' ^' });
    assert.deepEqual(codeFrame('abc', 3, 3), { source: 'abc', marker: '   ^' });
  });

  it('expands tabs to stops of 4 in source and marker alike', () => {
    assert.deepEqual(codeFrame('a\tb\t\tc', 5, 6), { source: 'a   b       c', marker: '            ^' });
  });

  it('clips long lines around the span with ellipses', () => {
    const line = 'x'.repeat(200) + 'TARGET' + 'y'.repeat(200);
    const { source, marker } = codeFrame(line, 200, 206);
    assert.equal(source, '…' + 'x'.repeat(20) + 'TARGET' + 'y'.repeat(74) + '…');
    assert.equal(marker, ' '.repeat(21) + '^~~~~~');
    assert.equal(source.indexOf('TARGET'), marker.indexOf('^'));
  });

  it('keeps the marker aligned when a wide character is cut at the left edge', () => {
    const line = '收'.repeat(100) + 'TARGET' + 'y'.repeat(100);
    const { source, marker } = codeFrame(line, 100, 106);
    // Cell 200 is the span; the window starts at cell 180, the boundary of a wide character.
    assert.equal(textWidth(source.slice(0, source.indexOf('TARGET'))), marker.indexOf('^'));
    // Here the window starts at cell 182, inside the wide character at cells 181-182: a space stands in.
    const odd = codeFrame('a' + '收'.repeat(100) + 'bTARGET' + 'y'.repeat(100), 102, 108);
    assert.ok(odd.source.startsWith('… 收'));
    assert.equal(textWidth(odd.source.slice(0, odd.source.indexOf('TARGET'))), odd.marker.indexOf('^'));
  });
});
