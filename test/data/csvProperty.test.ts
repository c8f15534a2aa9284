import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { tableFromText, type ReadOptions } from '../../server/src/data/readTable';
import type { Thousands } from '../../server/src/data/table';

/**
 * Random CSV content (quoting, delimiters, line breaks and quotes inside cells, numbers written
 * with a decimal comma or thousands separators), written the way exporters write it: read with
 * the matching options, every value comes back exactly; read without them, every value that
 * does not read is counted, none dropped silently.
 */

interface Format {
  delimiter: string;
  decimal: '.' | ',';
  thousands?: Thousands;
}

const FORMATS: Format[] = [
  { delimiter: ',', decimal: '.' },
  { delimiter: ',', decimal: '.', thousands: ',' },
  { delimiter: ';', decimal: ',' },
  { delimiter: ';', decimal: ',', thousands: ' ' },
  { delimiter: '\t', decimal: '.', thousands: "'" },
  { delimiter: '|', decimal: ',', thousands: '.' },
];

/** A number as an exporter in that format writes it: two decimals, groups of three. */
function written(n: number, f: Format): string {
  const [int, frac] = Math.abs(n).toFixed(2).split('.') as [string, string];
  const grouped = f.thousands ? int.replace(/\B(?=(\d{3})+(?!\d))/g, f.thousands) : int;
  return `${n < 0 ? '-' : ''}${grouped}${f.decimal}${frac}`;
}

/** Whether a cell is quoted: when it must be, and at random when it need not. */
function quoted(text: string, delimiter: string, quote: boolean): boolean {
  return quote || text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim();
}

function cell(text: string, delimiter: string, quote: boolean): string {
  return quoted(text, delimiter, quote) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What a text cell reads as: quoted, as written; unquoted, trimmed; blank, null. */
function readBack(text: string, wasQuoted: boolean): string | null {
  const v = wasQuoted ? text : text.trim();
  return v.trim() === '' ? null : v;
}

const text = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '中', ' ', ',', ';', '|', '\t', '"', '\n', '\r\n', 'x'), maxLength: 8 });
const amount = fc.integer({ min: -99_999_999, max: 99_999_999 }).map((c) => c / 100);
const rows = fc.array(fc.tuple(text, amount, fc.boolean(), fc.boolean()), { maxLength: 25 });

describe('data: CSV reading, property', () => {
  it('reads back every value written, whatever the quoting, delimiter and number format', () => {
    fc.assert(fc.property(rows, fc.constantFrom(...FORMATS), (data, f) => {
      const lines = ['label' + f.delimiter + 'amount', ...data.map(([t, n, q1, q2]) => cell(t, f.delimiter, q1) + f.delimiter + cell(written(n, f), f.delimiter, q2))];
      const options: ReadOptions = { format: 'csv', timezone: 'UTC', delimiter: f.delimiter, decimal: f.decimal, thousands: f.thousands, pinned: { label: 'string', amount: 'number' } };
      const { table, problems } = tableFromText(lines.join('\n') + '\n', 'x.csv', options);
      assert.deepEqual(problems, []);
      assert.equal(table!.rowCount, data.length);
      const label = table!.columns.get('label')!;
      const amounts = table!.columns.get('amount')!;
      assert.ok(label.type === 'string' && amounts.type === 'number');
      data.forEach(([t, n, q1], r) => {
        assert.equal(label.codes[r]! < 0 ? null : label.dict[label.codes[r]!], readBack(t, quoted(t, f.delimiter, q1)), `row ${r + 1} label`);
        assert.equal(amounts.values[r], Number(n.toFixed(2)), `row ${r + 1}: ${written(n, f)}`);
      });
    }), { numRuns: 300 });
  });

  it('counts every value that does not read without the options, and drops none silently', () => {
    fc.assert(fc.property(rows, fc.constantFrom(...FORMATS.filter((f) => f.decimal === ',' || f.thousands)), (data, f) => {
      const lines = ['amount', ...data.map(([, n, q]) => cell(written(n, f), ',', q))];
      const { table, problems } = tableFromText(lines.join('\n') + '\n', 'x.csv', { format: 'csv', timezone: 'UTC', pinned: { amount: 'number' } });
      const amounts = table!.columns.get('amount')!;
      assert.ok(amounts.type === 'number');
      let unread = 0;
      data.forEach(([, n], r) => {
        const v = amounts.values[r]!;
        if (Number.isNaN(v)) unread++;
        else assert.equal(v, Number(n.toFixed(2)), `row ${r + 1}: a value read without the options is read right`);
      });
      const counted = problems.filter((p) => p.kind === 'unreadable-values' && p.column === 'amount').reduce((s, p) => s + p.count, 0);
      assert.equal(counted, unread);
    }), { numRuns: 300 });
  });
});
