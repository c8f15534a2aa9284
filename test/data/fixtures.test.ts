import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readTableFile, tableFromText } from '../../server/src/data/readTable';
import { FIXTURES, cells, fixture, times, typeOf } from './cells';

/** One test per quirk a real export has; each fixture under test/fixtures/data shows one. */
describe('data: quirk fixtures', () => {
  it('skips a UTF-8 BOM before the header', () => {
    const { table, problems } = fixture('bom.csv', { timeColumn: 'date' });
    assert.deepEqual(problems, []);
    assert.deepEqual(table!.header, ['date', 'channel', 'sessions']);
    assert.deepEqual(times(table), ['2026-01-01', '2026-01-02']);
  });

  it('reads CRLF line ends', () => {
    const { table, problems } = fixture('crlf.csv');
    assert.deepEqual(problems, []);
    assert.deepEqual(cells(table, 'sessions'), [10, 20]);
    assert.deepEqual(cells(table, 'channel'), ['email', 'seo']);
    assert.deepEqual([...table!.lines!], [2, 3]);
  });

  it('reads quoted delimiters, doubled quotes and line breaks inside quotes', () => {
    const { table, problems } = fixture('quoted.csv');
    assert.deepEqual(problems, []);
    assert.deepEqual(cells(table, 'campaign'), ['Spring, big', 'multi\nline', 'plain']);
    assert.deepEqual(cells(table, 'note'), ['said "hi"', 'a\r\nb', null]);
    // A quoted `1,5` is not a number with decimal '.': 1 of 3 values is text, the rest numbers.
    assert.equal(typeOf(table, 'spend'), 'string');
    assert.deepEqual([...table!.lines!], [2, 3, 6]);
  });

  it('reads empty cells as null, never 0', () => {
    const { table, problems } = fixture('empty-cells.csv', { timeColumn: 'date', stringColumns: ['channel'] });
    assert.deepEqual(cells(table, 'channel'), [null, 'email', 'seo']);
    assert.deepEqual(cells(table, 'sessions'), [10, null, null]);
    assert.deepEqual(cells(table, 'revenue'), [null, 5.5, null]);
    assert.deepEqual(times(table), ['2026-01-01', null, '2026-01-03']);
    assert.deepEqual(problems, [], 'an empty time cell is no data, not a bad date');
  });

  it('reads DD-MM-YYYY dates with timeFormat, and reports impossible ones', () => {
    const { table, problems } = fixture('dates-dmy.csv', { timeColumn: 'day', timeFormat: 'DD-MM-YYYY' });
    assert.deepEqual(times(table), ['2026-01-31', '2026-02-01', null]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.kind, 'bad-time');
    assert.deepEqual(problems[0]!.examples, [{ line: 4, value: '29-02-2026' }]);
  });

  it('reads YYYYMMDD dates', () => {
    const { table, problems } = fixture('dates-compact.csv', { timeColumn: 'day', timeFormat: 'YYYYMMDD' });
    assert.deepEqual(times(table), ['2026-01-31', '2026-02-01', null]);
    assert.deepEqual(problems.map((p) => [p.kind, p.count, p.examples[0]]), [['bad-time', 1, { line: 4, value: '2026013' }]]);
  });

  it('reads YYYY-MM-DD HH:mm:ss as local days', () => {
    const { table, problems } = fixture('datetime.csv', { timeColumn: 'ts', timeFormat: 'YYYY-MM-DD HH:mm:ss', timezone: 'Asia/Shanghai' });
    assert.deepEqual(times(table), ['2026-01-31', '2026-02-01', null]);
    assert.equal(problems[0]?.kind, 'bad-time', 'hour 24 is not a time');
  });

  it('moves timestamps with an offset into the zone; plain ones are local already', () => {
    const { table, problems } = fixture('offsets.csv', { timeColumn: 'ts', timezone: 'Asia/Shanghai' });
    assert.deepEqual(problems, []);
    assert.deepEqual(times(table), [
      '2026-02-01', // 20:00Z is 04:00 the next day in Shanghai
      '2026-01-31', // 15:59:59Z is 23:59:59 in Shanghai
      '2026-02-01', // already +08:00
      '2026-02-01', // 23:30 in New York is 12:30 next day in Shanghai
      '2026-01-31', // no offset: local
      '2026-02-01',
    ]);
    assert.equal(typeOf(table, 'ts'), 'date');
  });

  it('keeps scientific-notation ids pinned to string and zero-padded dimensions as written', () => {
    const { table } = fixture('ids.csv', { pinned: { order_id: 'string' }, stringColumns: ['zip'] });
    assert.deepEqual(cells(table, 'order_id'), ['2.81772E+18', '2.81772E+18', '3.1E+18']);
    assert.deepEqual(cells(table, 'zip'), ['00123', '00456', '00123']);
    const unpinned = fixture('ids.csv').table;
    assert.deepEqual(cells(unpinned, 'order_id'), [2.81772e18, 2.81772e18, 3.1e18], 'without a pin they are numbers');
    assert.deepEqual(cells(unpinned, 'zip'), [123, 456, 123]);
  });

  it('keeps non-ASCII group keys as written; quoting does not make another key', () => {
    const { table, problems } = fixture('unicode.csv', { stringColumns: ['country', 'city'] });
    assert.deepEqual(problems, []);
    const country = table!.columns.get('country')!;
    assert.ok(country.type === 'string');
    assert.deepEqual(country.dict, ['Côte d’Ivoire', 'España']);
    assert.deepEqual([...country.codes], [0, 0, 0, 1]);
    assert.deepEqual(cells(table, 'city'), ['北京', '上海', '北京', '北京'], 'a trailing space is trimmed');
  });

  it('counts unreadable values in a number column, with examples, and leaves them out of sums', () => {
    const { table, problems } = fixture('na.csv');
    assert.equal(typeOf(table, 'sessions'), 'number');
    assert.equal(typeOf(table, 'revenue'), 'number');
    const sum = (name: string) => (cells(table, name) as (number | null)[]).reduce<number>((a, b) => a + (b ?? 0), 0);
    assert.equal(sum('sessions'), 2100 - 20);
    assert.deepEqual(cells(table, 'sessions')[1], null);
    assert.deepEqual(problems.map((p) => [p.kind, p.column, p.count, p.examples]), [
      ['unreadable-values', 'sessions', 1, [{ line: 3, value: '#N/A' }]],
      ['unreadable-values', 'revenue', 2, [{ line: 4, value: 'n/a' }, { line: 6, value: '-' }]],
    ]);
    assert.match(problems[0]!.message, /sessions.*1 value/);
  });

  it('reads a file with a header and no rows as an empty table', () => {
    const { table, problems } = fixture('header-only.csv', { timeColumn: 'date' });
    assert.deepEqual(problems, []);
    assert.equal(table!.rowCount, 0);
    assert.deepEqual(table!.header, ['date', 'channel', 'sessions']);
    assert.equal(table!.time!.length, 0);
  });

  it('reads ragged rows (missing cells null, extra ignored) and reports them', () => {
    const { table, problems } = fixture('ragged.csv');
    assert.deepEqual(cells(table, 'sessions'), [10, null, 30, 40]);
    assert.deepEqual(cells(table, 'channel'), ['email', 'seo', 'ads', 'email']);
    assert.deepEqual(problems.map((p) => [p.kind, p.count, p.examples.map((e) => e.line)]), [['ragged-row', 2, [3, 4]]]);
    assert.deepEqual([...table!.lines!], [2, 3, 4, 6], 'the blank line is skipped, not a row; the last line has no newline');
  });

  it('reads a semicolon file with decimal commas and dot thousands', () => {
    const { table, problems } = fixture('semicolon.csv', { delimiter: ';', decimal: ',' });
    assert.deepEqual(problems, []);
    assert.deepEqual(cells(table, 'Umsatz'), [1234.5, 1234.5, 7.25, -0.5]);
    assert.deepEqual(cells(table, 'Sitzungen'), [10, 20, 30, 40]);
  });

  it('trims header names and matches them ignoring case; numbers may have stray spaces', () => {
    const { table } = fixture('odd-header.csv', { timeColumn: 'date' });
    assert.deepEqual(table!.header, ['Date', 'Channel', 'SESSIONS', 'Bounce Rate']);
    assert.deepEqual(cells(table, 'sessions'), [12, 7]);
    assert.deepEqual(cells(table, 'bounce rate'), [0.5, 0.25]);
    assert.deepEqual(times(table), ['2026-01-01', '2026-01-02']);
  });

  it('reads a JSON array of objects: keys in order of first appearance, nested values unreadable', () => {
    const { table, problems } = fixture('web.json', { format: 'json', timeColumn: 'date' });
    assert.deepEqual(table!.header, ['date', 'channel', 'sessions', 'revenue', 'converted', 'extra']);
    assert.deepEqual(cells(table, 'sessions'), [10, null, 30]);
    assert.deepEqual(cells(table, 'revenue'), [12.5, 3, null]);
    assert.deepEqual(cells(table, 'converted'), [true, false, true]);
    assert.deepEqual(times(table), ['2026-01-01', '2026-01-02', '2026-01-03']);
    assert.deepEqual(problems.map((p) => [p.kind, p.column, p.count]), [['unreadable-values', 'extra', 1]]);
    assert.equal(table!.lines, undefined);
  });

  it('reads NDJSON, counting bad lines and reading the rest', () => {
    const { table, problems } = fixture('web.ndjson', { format: 'ndjson', timeColumn: 'date' });
    assert.equal(table!.rowCount, 12);
    assert.deepEqual(times(table).slice(0, 4), ['2026-01-01', '2026-01-02', '2026-01-04', '2026-01-05']);
    assert.deepEqual(cells(table, 'sessions').slice(0, 4), [10, 20, null, 50]);
    assert.deepEqual([...table!.lines!].slice(0, 4), [1, 3, 6, 7]);
    assert.deepEqual(problems.map((p) => [p.kind, p.column, p.count, p.examples.map((e) => e.line)]), [
      ['unreadable-values', undefined, 2, [4, 5]],
      ['unreadable-values', 'sessions', 1, [6]],
    ]);
  });

  it('turns missing and binary files and folders into problems, never exceptions; reads UTF-16 with its byte-order mark', () => {
    const utf16 = fixture('utf16.csv');
    assert.deepEqual(utf16.problems, []);
    assert.deepEqual(utf16.table!.header, ['date', 'x']);
    for (const [name, pattern] of [['nope.csv', /does not exist/], ['binary.csv', /binary/]] as const) {
      const r = fixture(name);
      assert.equal(r.table, undefined);
      assert.equal(r.problems[0]!.kind, 'unreadable-file');
      assert.match(r.problems[0]!.message, pattern);
    }
    assert.match(readTableFile(FIXTURES, { format: 'csv', timezone: 'UTC' }).problems[0]!.message, /folder/);
    assert.match(fixture('web.ndjson', { format: 'json' }).problems[0]!.message, /not valid JSON.*line 3/);
    assert.equal(tableFromText('', 'x.csv', { format: 'csv', timezone: 'UTC' }).problems[0]!.kind, 'unreadable-file');
    assert.ok(path.isAbsolute(FIXTURES));
  });

  it('reports a quote never closed, with its line and the lines it swallowed, which are not rows', () => {
    const options = { format: 'csv', timezone: 'UTC' } as const;
    for (const end of ['\n', '']) {
      const r = tableFromText(`date,channel,visits\n2026-01-01,email,1\n2026-01-02,"ads,2\n2026-01-03,email,3\n2026-01-04,email,4${end}`, 'q.csv', options);
      assert.equal(r.table!.rowCount, 2, 'the rows before the quote, and the row it opens on');
      const unclosed = r.problems.filter((p) => p.kind === 'unclosed-quote');
      assert.deepEqual(unclosed.map((p) => [p.count, p.message]), [[2, 'a quote opened on line 3 is never closed, so its cell runs to the end of the file: the 2 lines after it are not read as rows; close the quote, or double a quote inside a value (`""`)']]);
      assert.deepEqual(r.problems.find((p) => p.kind === 'ragged-row')?.examples, [{ line: 3, value: '2026-01-02,"ads,2…' }], 'the example row is one line');
    }
    const closed = tableFromText('date,note\n2026-01-01,"two\nlines"\n2026-01-02,x\n', 'q.csv', options);
    assert.deepEqual(closed.problems, [], 'a closed quote may hold line breaks');
    assert.equal(closed.table!.rowCount, 2);
  });

  it('refuses a file with a NUL byte anywhere, naming the line of a late one', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `2026-01-01,${i}`);
    rows[15_000] = '2026-01-01,4\u0000';
    const r = tableFromText(`date,sessions\n${rows.join('\n')}\n`, 'x.csv', { format: 'csv', timezone: 'UTC' });
    assert.equal(r.table, undefined, 'no rows are read from it');
    assert.deepEqual(r.problems.map((p) => [p.kind, p.message]), [
      ['unreadable-file', 'it holds a NUL byte on line 15002, which no text file has: the export is damaged or not text'],
    ]);
  });
});
