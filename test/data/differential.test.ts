import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import * as fc from 'fast-check';
import { tableFromText, type ReadOptions, type Table } from '../../server/src/data/readTable';
import { FIXTURES } from './cells';

/**
 * The reader against an oracle: csv-parse splits the text into strings, the typing rules below
 * (written out plainly, independently of the reader's code) turn them into values, and the
 * reader's table must hold exactly those values, cell by cell, bit for bit.
 */

type Decimal = '.' | ',';
type Kind = 'number' | 'boolean' | 'date' | 'string';

function oracleRecords(text: string, delimiter: string): string[][] {
  return parse(text, {
    delimiter,
    bom: true,
    // Unquoted cells trimmed, quoted ones as written, spaces around quotes ignored. csv-parse
    // would trim tab delimiters away too, so tab-separated cases are written without padding.
    trim: delimiter !== '\t',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n'],
  }) as string[][];
}

// ---- the typing rules, plainly ----

function numberOf(text: string, decimal: Decimal): number | undefined {
  const t = text.trim();
  if (decimal === '.') return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : undefined;
  if (/^[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t.replace(',', '.'));
  if (/^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  return undefined;
}

/** ISO dates (fields in range) as day numbers in UTC, the zone these tests read in. */
function dayOf(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})(-(\d{2})([T ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[4] ?? '01', m[6] ?? '00', m[7] ?? '00', m[9] ?? '00'].map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!));
  if (date.getUTCMonth() !== mo! - 1 || date.getUTCDate() !== d || h! > 23 || mi! > 59 || s! > 59) return undefined;
  const zone = m[11] ? m[11].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
  const ms = Date.parse(`${m[1]}-${m[2]}-${String(d).padStart(2, '0')}T${m[6] ?? '00'}:${m[7] ?? '00'}:${m[9] ?? '00'}${m[10] ?? ''}${zone}`);
  return Math.floor(ms / 86_400_000);
}

function booleanOf(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  return t === 'true' || t === 'yes' || t === '1' ? true : t === 'false' || t === 'no' || t === '0' ? false : undefined;
}

function classOf(text: string, decimal: Decimal): Kind | 'empty' {
  const t = text.trim();
  if (t === '') return 'empty';
  // Spreadsheet markers of a missing value (#N/A, N/A, #DIV/0!, ...) do not count toward a type.
  if (/^(#N\/A|N\/A|#DIV\/0!|#VALUE!|#REF!|#NULL!|#NUM!|#NAME\?)$/i.test(t)) return 'empty';
  if (/^(true|false)$/i.test(t)) return 'boolean';
  if (numberOf(t, decimal) !== undefined) return 'number';
  if (dayOf(t) !== undefined) return 'date';
  return 'string';
}

/** At least 90% of the non-empty cells decide; none at all reads as numbers. */
function typeOfColumn(texts: string[], decimal: Decimal): Kind {
  const counts = { number: 0, boolean: 0, date: 0, string: 0 };
  let total = 0;
  for (const t of texts) {
    const c = classOf(t, decimal);
    if (c === 'empty') continue;
    counts[c]++;
    total++;
  }
  if (total === 0) return 'number';
  for (const k of ['number', 'date', 'boolean'] as const) if (counts[k] >= total * 0.9) return k;
  return 'string';
}

function expectedValue(text: string, kind: Kind, decimal: Decimal): { value: unknown; unreadable: boolean } {
  if (text.trim() === '') return { value: null, unreadable: false };
  const v = kind === 'number' ? numberOf(text, decimal) : kind === 'date' ? dayOf(text) : kind === 'boolean' ? booleanOf(text) : text;
  return { value: v ?? null, unreadable: v === undefined };
}

function actualValue(table: Table, name: string, r: number): unknown {
  const col = table.columns.get(name)!;
  switch (col.type) {
    case 'number': return Number.isNaN(col.values[r]) ? null : col.values[r];
    case 'date': return Number.isNaN(col.days[r]) ? null : col.days[r];
    case 'boolean': return col.values[r] === -1 ? null : col.values[r] === 1;
    case 'string': return col.codes[r]! < 0 ? null : col.dict[col.codes[r]!];
  }
}

/** Reads `text` both ways and compares every cell; `allText` reads every column as a dimension. */
function compare(text: string, delimiter: string, decimal: Decimal, allText = false): void {
  const records = oracleRecords(text, delimiter);
  const options: ReadOptions = { format: 'csv', delimiter, decimal, timezone: 'UTC' };
  if (records.length === 0) {
    assert.equal(tableFromText(text, 'x.csv', options).problems[0]?.kind, 'unreadable-file');
    return;
  }
  const header = records[0]!.map((h) => h.trim());
  const rows = records.slice(1);
  if (allText) options.stringColumns = header;
  const { table, problems } = tableFromText(text, 'x.csv', options);
  assert.ok(table, `no table: ${JSON.stringify(problems)}`);
  assert.deepEqual(table.header, header);
  assert.equal(table.rowCount, rows.length, 'row count');
  const ragged = rows.filter((r) => r.length !== header.length).length;
  assert.equal(problems.find((p) => p.kind === 'ragged-row')?.count ?? 0, ragged, 'ragged rows');
  header.forEach((name, c) => {
    if (name === '' || header.indexOf(name) !== c) return; // unnamed or repeated columns are not read
    const texts = rows.map((row) => row[c] ?? '');
    const kind = allText ? 'string' : typeOfColumn(texts, decimal);
    assert.equal(table.columns.get(name)!.type, kind, `type of ${name}`);
    let unreadable = 0;
    texts.forEach((t, r) => {
      const want = expectedValue(t, kind, decimal);
      if (want.unreadable) unreadable++;
      const got = actualValue(table, name, r);
      if (!Object.is(got, want.value)) assert.fail(`row ${r + 1}, column ${name} (${kind}): cell ${JSON.stringify(t)} read as ${String(got)}, expected ${String(want.value)}`);
    });
    assert.equal(problems.find((p) => p.kind === 'unreadable-values' && p.column === name)?.count ?? 0, unreadable, `unreadable in ${name}`);
  });
}

// ---- random CSVs ----

const numberText = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.nat({ max: 99999 })).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{0,20}$/), fc.constantFrom('', '.'), fc.stringMatching(/^\d{0,20}$/)).map((p) => p.join('')),
  fc.tuple(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('e', 'E'), fc.integer({ min: -330, max: 330 })).map(([m, e, x]) => `${Math.abs(m)}${e}${x >= 0 ? '+' : ''}${x}`),
  fc.constantFrom('-0', '+.5', '5.', '007', '2.81772E+18', '1e400', '0.1', '9007199254740993', '123456789012345', '1234567890123456', ' 12 ', '\u00a042\u3000'),
);
const commaNumberText = fc.oneof(
  fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat({ max: 999 })).map(([a, b]) => `${a},${b}`),
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.nat({ max: 99 })).map(([a, b, c]) => `${a}.${String(b).padStart(3, '0')},${c}`),
  fc.constantFrom('1.5', '1.23', '12.345.678', ',5', '-0,0'),
);
const dateText = fc.tuple(fc.integer({ min: 1990, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.constantFrom('', 'T10:30', ' 23:59:59', 'T00:00:00Z', 'T23:30:00+08:00', 'T01:00:00-0500', '-month'))
  .map(([y, m, d, rest]) => (rest === '-month' ? `${y}-${String(m).padStart(2, '0')}` : `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${rest}`));
const PIECES = ['a', 'Z', ' ', ',', ';', '\t', '"', '\n', '\r\n', 'é', 'Côte d’Ivoire', '北京', '😀', '\u00a0', '#N/A', '-', '1', 'x y', "'", '\\'];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((p) => p.join(''));
const junk = fc.constantFrom('', '', '   ', '#N/A', 'n/a', '-', 'TRUE', 'false', 'null');

type Flavor = 'number' | 'comma' | 'date' | 'boolean' | 'text';
const flavor = fc.constantFrom<Flavor>('number', 'number', 'comma', 'date', 'boolean', 'text');
function cellOf(f: Flavor): fc.Arbitrary<string> {
  const main = f === 'number' ? numberText : f === 'comma' ? commaNumberText : f === 'date' ? dateText : f === 'boolean' ? fc.constantFrom('true', 'False', 'TRUE', 'yes', '0') : text;
  return fc.oneof({ weight: 12, arbitrary: main }, { weight: 1, arbitrary: junk });
}

/** Writes one cell: quoted when it must be, and sometimes when it need not. */
function written(value: string, quote: boolean, pad: boolean, delimiter: string): string {
  const must = value.includes(delimiter) || value.includes('"') || /[\r\n]/.test(value) || (delimiter === '\t' && /^\s|\s$/.test(value));
  if (delimiter === '\t') pad = false;
  if (!must && !quote) return pad ? ` ${value} ` : value;
  const q = `"${value.replace(/"/g, '""')}"`;
  return pad ? `${value.length % 2 ? ' ' : '  '}${q} ` : q;
}

const csvCase = fc.record({
  delimiter: fc.constantFrom(',', ',', ';', '\t'),
  flavors: fc.array(flavor, { minLength: 1, maxLength: 5 }),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  seed: fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.boolean(), fc.constantFrom('\n', '\r\n'), fc.nat({ max: 20 })), { minLength: 0, maxLength: 40 }),
}).chain((c) => fc.record({
  c: fc.constant(c),
  header: fc.tuple(...c.flavors.map((_, i) => fc.constantFrom(`c${i}`, ` C${i} `, `Col ${i}`).map((h) => written(h, false, false, c.delimiter)))),
  rows: fc.array(fc.tuple(...c.flavors.map((f) => cellOf(f))), { maxLength: 40 }),
}));

type Knob = [number, boolean, boolean, string, number];
interface Case { c: { delimiter: string; flavors: Flavor[]; bom: boolean; finalNewline: boolean; seed: Knob[] }; header: string[]; rows: string[][] }

/** The CSV text of a case; each row's knob picks quoting, padding, line end and shape. */
function render(k: Case): string {
  const { c } = k;
  const knob = (i: number): Knob => c.seed[i % c.seed.length] ?? [0, false, false, '\n', 0];
  const lines = [k.header.join(c.delimiter)];
  k.rows.forEach((row, i) => {
    const [, quote, pad, , shape] = knob(i);
    let cells = row.map((v, j) => written(v, quote && j % 2 === 0, pad && j % 3 === 1, c.delimiter));
    if (shape === 1) cells = cells.slice(0, Math.max(1, cells.length - 1)); // a short row
    if (shape === 2) cells = [...cells, 'extra'];
    if (shape === 3) lines.push(''); // a blank line
    lines.push(cells.join(c.delimiter));
  });
  let out = c.bom ? '\ufeff' : '';
  lines.forEach((l, i) => (out += l + (i < lines.length - 1 || c.finalNewline ? knob(i)[3] : '')));
  return out;
}

describe('data: CSV reader against csv-parse', () => {
  it('agrees on the quirk fixtures', () => {
    const options: Record<string, [string, Decimal]> = { 'semicolon.csv': [';', ','] };
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.csv') && !/binary|utf16/.test(f));
    assert.ok(files.length >= 14);
    for (const f of files) {
      const [delimiter, decimal] = options[f] ?? [',', '.'];
      const text = fs.readFileSync(path.join(FIXTURES, f), 'utf8');
      compare(text, delimiter, decimal);
      compare(text, delimiter, decimal, true);
    }
  });

  it('agrees on 400 random CSVs (quoting, delimiters, line ends, BOM, ragged rows, unicode, number formats)', () => {
    fc.assert(
      fc.property(csvCase, (k) => {
        const text = render(k);
        const decimal: Decimal = k.c.delimiter !== ',' && k.c.flavors.includes('comma') ? ',' : '.';
        compare(text, k.c.delimiter, decimal);
        compare(text, k.c.delimiter, decimal, true);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees when a column changes character after the first 1,000 rows (the sampled guess is wrong)', () => {
    const long = fc.record({
      head: fc.array(fc.tuple(flavor, flavor), { minLength: 1, maxLength: 3 }),
      split: fc.integer({ min: 900, max: 1400 }),
      total: fc.integer({ min: 1200, max: 2500 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(long, ({ head, split, total, seed }) => {
        const before = head.map(([f]) => fc.sample(cellOf(f), { numRuns: split, seed }));
        const after = head.map(([, f]) => fc.sample(cellOf(f), { numRuns: Math.max(0, total - split), seed: seed + 1 }));
        const lines = [head.map((_, i) => `c${i}`).join(',')];
        for (let r = 0; r < total; r++) lines.push(head.map((_, c) => written((r < split ? before[c]![r] : after[c]![r - split]) ?? '', r % 7 === 0, false, ',')).join(','));
        compare(lines.join('\n'), ',', '.');
      }),
      { numRuns: 25 },
    );
  });
});
