import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { fastNumber } from '../../server/src/data/bytes';
import { tableFromText } from '../../server/src/data/readTable';
import { parseNumberText, numberFormat, currencyMark } from '../../server/src/data/values';
import { shapeFromText } from '../../server/src/data/shape';

const PARSEABLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Number texts in the shapes exports use, plus random digit soup for the fast path's limits. */
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x.toFixed(2)),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => x.toPrecision(15)),
  fc.integer().map(String),
  fc.tuple(fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{0,18}$/), fc.constantFrom('', '.'), fc.stringMatching(/^\d{0,18}$/), fc.constantFrom('', 'e5', 'E-3', 'e+308', 'e-400')).map((p) => p.join('')),
  fc.tuple(fc.constantFrom(' ', '  ', '\t', ''), fc.stringMatching(/^-?\d{1,15}(\.\d{1,6})?$/), fc.constantFrom(' ', '', '\t ')).map((p) => p.join('')),
  fc.constantFrom('#N/A', 'n/a', '-', '1,234', '0x10', 'Infinity', '1e', '.', '+', '--1', '1.2.3', '١٢'),
);

describe('data: numbers', () => {
  it('a number column holds exactly Number(cell.trim()) for every parseable cell (bit-exact)', () => {
    fc.assert(
      fc.property(fc.array(numberText, { minLength: 1, maxLength: 60 }), (texts) => {
        // Mostly parseable columns are numbers; pin to test every column, whatever its mix.
        const csv = `v\n${texts.map((t) => (/[\s,"]/.test(t) ? `"${t}"` : t)).join('\n')}\n`;
        const { table } = tableFromText(csv, 'x.csv', { format: 'csv', timezone: 'UTC', pinned: { v: 'number' } });
        const col = table!.columns.get('v')!;
        assert.equal(col.type, 'number');
        if (col.type !== 'number') return;
        const kept = texts.filter((t) => t !== ''); // empty lines are not rows; quoted blanks are
        assert.equal(table!.rowCount, kept.length);
        kept.forEach((t, r) => {
          const want = PARSEABLE.test(t.trim()) ? Number(t.trim()) : NaN;
          assert.ok(Object.is(col.values[r], want), `${JSON.stringify(t)}: got ${col.values[r]}, want ${want}`);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the byte fast path is bit-identical to Number() whenever it answers', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[+-]?\d{0,17}(\.\d{0,17})?$/), (t) => {
        const bytes = Buffer.from(t);
        const fast = fastNumber(bytes, 0, bytes.length, 46);
        if (!Number.isNaN(fast)) assert.ok(Object.is(fast, Number(t)), `${t}: ${fast} vs ${Number(t)}`);
        else assert.ok(t.replace(/[^\d]/g, '').length > 15 || !/\d/.test(t), `${t} should take the fast path`);
      }),
      { numRuns: 2000 },
    );
    for (const t of ['0.1', '-0', '-0.0', '5.', '.5', '123456789012345', '0.00000000000001', '999999999999999']) {
      assert.ok(Object.is(fastNumber(Buffer.from(t), 0, t.length, 46), Number(t)), t);
    }
    assert.ok(Number.isNaN(fastNumber(Buffer.from('9007199254740993'), 0, 16, 46)), '16 digits take the exact slow path');
  });

  it('decimal comma: `1234,5`, `1.234,5` and `1.234.567` read; a dot alone is not a decimal mark', () => {
    assert.equal(parseNumberText('1234,5', numberFormat({ decimal: ',' })), 1234.5);
    assert.equal(parseNumberText(' -1.234,5 ', numberFormat({ decimal: ',' })), -1234.5);
    assert.equal(parseNumberText('1.234.567', numberFormat({ decimal: ',' })), 1234567);
    assert.equal(parseNumberText('1,5e3', numberFormat({ decimal: ',' })), 1500);
    assert.ok(Number.isNaN(parseNumberText('1.5', numberFormat({ decimal: ',' }))));
    assert.ok(Number.isNaN(parseNumberText('12.34,5', numberFormat({ decimal: ',' }))));
    assert.ok(Number.isNaN(parseNumberText('1,234', numberFormat({ decimal: '.' }))), 'no thousands separators with decimal point');
    const { table } = tableFromText('a;b\n1,5;x\n"2,25";y\n 3 ;z\n', 'x.csv', { format: 'csv', delimiter: ';', decimal: ',', timezone: 'UTC' });
    const col = table!.columns.get('a')!;
    assert.ok(col.type === 'number');
    assert.deepEqual([...col.values], [1.5, 2.25, 3]);
  });

  it('thousands separators in real groups of three, with the separator declared', () => {
    const dot = numberFormat({ thousands: ',' });
    assert.equal(parseNumberText('1,647.43', dot), 1647.43);
    assert.equal(parseNumberText('-12,345,678', dot), -12345678);
    assert.ok(Number.isNaN(parseNumberText('1,23', dot)), 'not a group of three');
    assert.ok(Number.isNaN(parseNumberText('1,2345.6', dot)));
    assert.ok(Number.isNaN(parseNumberText('1,647.43', numberFormat({}))), 'undeclared: unreadable, and counted');
    assert.equal(parseNumberText("1'234.5", numberFormat({ thousands: "'" })), 1234.5);
    assert.equal(parseNumberText('1 234,5', numberFormat({ decimal: ',', thousands: ' ' })), 1234.5);
    const { table, problems } = tableFromText('day,amount\n2026-01-01,"1,647.43"\n2026-01-02,212.5\n2026-01-03,"12,000"\n', 'x.csv', { format: 'csv', timezone: 'UTC', thousands: ',' });
    const col = table!.columns.get('amount')!;
    assert.ok(col.type === 'number');
    assert.deepEqual([...col.values], [1647.43, 212.5, 12000]);
    assert.deepEqual(problems, []);
  });

  it('types JSON text amounts with the source\'s number format, as the reader reads them', () => {
    const head = '[{"day": "2026-01-01", "amount": "1,647.43"}, {"day": "2026-01-02", "amount": "12,000"}]';
    const plain = shapeFromText(head, true, { format: 'json' });
    const grouped = shapeFromText(head, true, { format: 'json', thousands: ',' });
    assert.ok(plain.ok && grouped.ok);
    assert.equal(plain.shape.types.get('amount'), 'string');
    assert.equal(grouped.shape.types.get('amount'), 'number');
  });

  it('percents read as fractions and amounts with a currency symbol or code as numbers', () => {
    const nf = numberFormat({ thousands: ',' });
    assert.equal(parseNumberText('3.5%', nf), 3.5 / 100);
    assert.equal(parseNumberText('-0.25 %', nf), -0.25 / 100);
    assert.equal(parseNumberText('€12.50', nf), 12.5);
    assert.equal(parseNumberText('¥1,234', nf), 1234);
    assert.equal(parseNumberText('-US$5', nf), -5);
    assert.equal(parseNumberText('1234元', nf), 1234);
    assert.equal(parseNumberText('CNY 12.50', nf), 12.5);
    assert.equal(parseNumberText('12,50 €', numberFormat({ decimal: ',' })), 12.5);
    for (const id of ['SKU 100', 'ORD123', 'EUR', '$', '%']) assert.ok(Number.isNaN(parseNumberText(id, nf)), id);
    assert.equal(currencyMark('€12.50'), '€');
    assert.equal(currencyMark('12.50 EUR'), 'EUR');
    assert.equal(currencyMark('12.50'), undefined);
    const { table } = tableFromText('rate,price\n3.5%,¥10\n12%,¥2.5\n', 'x.csv', { format: 'csv', timezone: 'UTC' });
    const rate = table!.columns.get('rate')!;
    const price = table!.columns.get('price')!;
    assert.ok(rate.type === 'number' && price.type === 'number');
    assert.deepEqual([...rate.values], [0.035, 0.12]);
    assert.deepEqual([...price.values], [10, 2.5]);
  });

  it('comma as both delimiter and decimal mark: only quoted values can hold a decimal', () => {
    const { table } = tableFromText('a,b\n"1,5",2\n3,4\n', 'x.csv', { format: 'csv', decimal: ',', timezone: 'UTC' });
    const a = table!.columns.get('a')!;
    assert.ok(a.type === 'number');
    assert.deepEqual([...a.values], [1.5, 3]);
  });
});
