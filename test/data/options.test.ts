import * as assert from 'node:assert/strict';
import { findColumn, tableFromRows, tableFromText, type ReadOptions } from '../../server/src/data/readTable';
import { cells, times, typeOf } from './cells';

const csv = (text: string, options: Partial<ReadOptions> = {}) => tableFromText(text, 'x.csv', { format: 'csv', timezone: 'UTC', ...options });

describe('data: options and typing', () => {
  it('materialises only the wanted columns (and the time column), matched like the checker', () => {
    const { table, problems } = csv('Date,Channel,Sessions,Junk\n2026-01-01,email,1,"a,b"\n', { wanted: ['channel', 'SESSIONS', 'nope'], timeColumn: 'date' });
    assert.deepEqual([...table!.columns.keys()], ['Date', 'Channel', 'Sessions']);
    assert.deepEqual(table!.header, ['Date', 'Channel', 'Sessions', 'Junk']);
    assert.deepEqual(problems.map((p) => [p.kind, p.column]), [['missing-column', 'nope']]);
    assert.equal(findColumn(table!, 'junk'), undefined);
    assert.equal(findColumn(table!, ' channel ')?.name, 'Channel');
  });

  it('reports a missing time column', () => {
    const { table, problems } = csv('a,b\n1,2\n', { timeColumn: 'date' });
    assert.equal(table!.time, undefined);
    assert.deepEqual(problems.map((p) => p.kind), ['missing-column']);
    assert.match(problems[0]!.message, /`a`, `b`/);
  });

  it('matches names ignoring case only when that is unambiguous', () => {
    const { table } = csv('ab,AB,Ab\n1,2,3\n');
    assert.deepEqual(cells(table, 'AB'), [2]);
    assert.equal(findColumn(table!, 'aB'), undefined);
  });

  it('reads a repeated header name once (the first), and skips unnamed columns', () => {
    const { table } = csv('a,b,a,\n1,2,3,4\n');
    assert.deepEqual([...table!.columns.keys()], ['a', 'b']);
    assert.deepEqual(cells(table, 'a'), [1]);
  });

  it('pins win over dimensions and inference; a pinned boolean also reads yes/no and 1/0', () => {
    const { table, problems } = csv('flag,code,n\nyes,1,1\n0,2,x\nTRUE,3,3\nmaybe,4,4\n', { pinned: { flag: 'boolean', code: 'string', n: 'number' }, stringColumns: ['n'] });
    assert.deepEqual(cells(table, 'flag'), [true, false, true, null]);
    assert.deepEqual(cells(table, 'code'), ['1', '2', '3', '4']);
    assert.deepEqual(cells(table, 'n'), [1, null, 3, 4]);
    assert.deepEqual(problems.map((p) => [p.column, p.count]), [['flag', 1], ['n', 1]]);
  });

  it('infers booleans from true/false only, and dates from ISO text', () => {
    const { table } = csv('b,d,t\ntrue,2026-01-01,yes\nFALSE,2026-01-02,no\nTrue,,yes\n');
    assert.equal(typeOf(table, 'b'), 'boolean');
    assert.deepEqual(cells(table, 'b'), [true, false, true]);
    assert.equal(typeOf(table, 'd'), 'date');
    assert.deepEqual(cells(table, 'd'), ['2026-01-01', '2026-01-02', null]);
    assert.equal(typeOf(table, 't'), 'string');
  });

  it('applies the 90% rule to the whole column: 9 of 10 numbers is numbers, 8 of 10 is text', () => {
    const nine = csv(`v\n${[1, 2, 3, 4, 5, 6, 7, 8, 9].join('\n')}\noops\n`);
    assert.equal(typeOf(nine.table, 'v'), 'number');
    assert.equal(nine.problems[0]!.count, 1);
    const eight = csv(`v\n${[1, 2, 3, 4, 5, 6, 7, 8].join('\n')}\noops\nagain\n`);
    assert.equal(typeOf(eight.table, 'v'), 'string');
    assert.deepEqual(eight.problems, []);
  });

  it('a column that looks numeric in its first rows but is text later is text (the guess is re-checked)', () => {
    const rows = ['id,v'];
    for (let i = 0; i < 3000; i++) rows.push(`${i},${i < 1500 ? i : `sku-${i}`}`);
    const { table, problems } = csv(rows.join('\n'));
    assert.equal(typeOf(table, 'v'), 'string');
    assert.equal(cells(table, 'v')[0], '0');
    assert.equal(cells(table, 'v')[2999], 'sku-2999');
    assert.deepEqual(problems, []);
    // And a date-looking column that turns into text.
    const dates = ['d'];
    for (let i = 0; i < 3000; i++) dates.push(i < 1500 ? new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() : `x${i}`);
    assert.equal(typeOf(csv(dates.join('\n')).table, 'd'), 'string');
  });

  it('an all-empty column reads as numbers with no values', () => {
    const { table } = csv('a,b\n1,\n2,\n');
    assert.equal(typeOf(table, 'b'), 'number');
    assert.deepEqual(cells(table, 'b'), [null, null]);
  });

  it('grows its arrays when the first lines under-estimate the row count', () => {
    const long = `"${'x'.repeat(70_000)}"`;
    const lines = ['a,b', `${long},1`];
    for (let i = 0; i < 5000; i++) lines.push(`s${i % 3},${i}`);
    const { table } = csv(lines.join('\n'), { stringColumns: ['a'] });
    assert.equal(table!.rowCount, 5001);
    assert.equal(cells(table, 'b')[5000], 4999);
    assert.equal(cells(table, 'a')[5000], 's1');
  });

  it('keeps text after a closing quote and spaces around quotes, like spreadsheet apps', () => {
    const { table } = csv('a,b\n"ab"c,  "x y"  \n"unclosed,2\n', { stringColumns: ['a', 'b'] });
    assert.deepEqual(cells(table, 'a'), ['abc', 'unclosed,2\n']);
    assert.deepEqual(cells(table, 'b'), ['x y', null]);
  });

  it('refuses a delimiter it cannot scan', () => {
    assert.match(csv('a\n1\n', { delimiter: '||' }).problems[0]!.message, /delimiter/);
    assert.match(csv('a\n1\n', { delimiter: '"' }).problems[0]!.message, /delimiter/);
  });

  it('reads lone CR line ends', () => {
    const { table } = csv('a,b\r1,2\r3,4\r');
    assert.deepEqual(cells(table, 'b'), [2, 4]);
    assert.deepEqual([...table!.lines!], [2, 3]);
  });
});

describe('data: inline rows and JSON values', () => {
  const rows = (r: Record<string, unknown>[], options: Partial<ReadOptions> = {}) => tableFromRows(r, { format: 'csv', timezone: 'Asia/Shanghai', ...options });

  it('types JS values by the same rules as text', () => {
    const { table, problems } = rows([
      { day: '2026-01-01', visits: 10, rate: '0.5', ok: true, tag: 123 },
      { day: new Date(Date.UTC(2026, 0, 2)), visits: null, rate: 1, ok: 'false', tag: 'x' },
      { day: '2026-01-03', visits: 30, ok: null, tag: null },
    ], { timeColumn: 'day', stringColumns: ['tag'] });
    assert.deepEqual(problems, []);
    assert.deepEqual(times(table), ['2026-01-01', '2026-01-02', '2026-01-03']);
    assert.deepEqual(cells(table, 'visits'), [10, null, 30]);
    assert.deepEqual(cells(table, 'rate'), [0.5, 1, null]);
    assert.deepEqual(cells(table, 'ok'), [true, false, null]);
    assert.deepEqual(cells(table, 'tag'), ['123', 'x', null]);
    assert.equal(table!.lines, undefined);
  });

  it('never turns a boolean, a nested value or a bad string into a number', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, true, { n: 1 }];
    const { table, problems } = rows(values.map((v) => ({ v })));
    assert.equal(typeOf(table, 'v'), 'number');
    assert.deepEqual(cells(table, 'v').slice(-3), [19, null, null]);
    assert.deepEqual(problems.map((p) => [p.column, p.count, p.examples.map((e) => `${e.line}:${e.value}`)]), [['v', 2, ['20:true', '21:{"n":1}']]]);
  });

  it('a Date at an instant other than midnight UTC is moved into the zone', () => {
    const { table } = rows([{ t: new Date('2026-01-31T20:00:00Z') }], { timeColumn: 't' });
    assert.deepEqual(times(table), ['2026-02-01']);
  });

  it('reads JSON records that are not objects as counted problems', () => {
    const { table, problems } = tableFromText('[{"a":1},2,null,{"a":3}]', 'x.json', { format: 'json', timezone: 'UTC' });
    assert.deepEqual(cells(table, 'a'), [1, 3]);
    assert.deepEqual(problems.map((p) => [p.kind, p.count]), [['unreadable-values', 2]]);
    assert.match(tableFromText('{"a":1}', 'x.json', { format: 'json', timezone: 'UTC' }).problems[0]!.message, /array of objects/);
    assert.equal(tableFromText('[]', 'x.json', { format: 'json', timezone: 'UTC' }).table!.rowCount, 0);
  });
});
