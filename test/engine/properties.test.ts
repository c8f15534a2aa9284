import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { close } from './samplesData';
import { evalText, valueAt } from './evalText';

interface Row { day: string; channel: string; num: number; den: number }

const rowArb: fc.Arbitrary<Row> = fc.record({
  day: fc.constantFrom('2026-01-03', '2026-01-20', '2026-02-01', '2026-02-28', '2026-03-15', '2026-04-30'),
  channel: fc.constantFrom('email', 'organic', 'paid', '北京'),
  num: fc.integer({ min: 0, max: 1000 }),
  den: fc.integer({ min: 0, max: 1000 }),
});

const toCsv = (rows: Row[]) => 'day,channel,num,den\n' + rows.map((r) => `${r.day},${r.channel},${r.num},${r.den}`).join('\n') + '\n';

const SPEC = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  s: { file: s.csv, time: day, dimensions: [channel] }
metrics:
  num: { source: s, agg: sum, column: num }
  den: { source: s, agg: sum, column: den }
kpis:
  rate: { formula: num / den, by: [channel] }
  before: { formula: prev(num) }
`;

const months = ['2026-01', '2026-02', '2026-03', '2026-04'];

describe('engine: properties', () => {
  it('a ratio KPI is the ratio of the sums per period and group, null on a zero denominator', () => {
    fc.assert(fc.property(fc.array(rowArb, { minLength: 1, maxLength: 40 }), (rows) => {
      const result = evalText(SPEC, { 's.csv': toCsv(rows) });
      for (const m of months) {
        const inMonth = rows.filter((r) => r.day.startsWith(m));
        const expect = (rs: Row[]) => {
          if (!rs.length) return null;
          const d = rs.reduce((s, r) => s + r.den, 0);
          return d === 0 ? null : rs.reduce((s, r) => s + r.num, 0) / d;
        };
        if (inMonth.length) assert.ok(close(valueAt(result, 'rate', m), expect(inMonth)), `total ${m}`);
        for (const ch of new Set(rows.map((r) => r.channel))) {
          const v = valueAt(result, 'rate', m, 'channel', ch);
          assert.ok(close(v ?? null, expect(inMonth.filter((r) => r.channel === ch))), `${ch} ${m}: ${v}`);
        }
      }
    }), { numRuns: 60, seed: 42 });
  });

  it('splitting a source into two files and adding the parts gives the same results', () => {
    fc.assert(fc.property(fc.array(fc.tuple(rowArb, fc.boolean()), { minLength: 1, maxLength: 40 }), (tagged) => {
      const all = tagged.map(([r]) => r);
      const a = tagged.filter(([, left]) => left).map(([r]) => r);
      const b = tagged.filter(([, left]) => !left).map(([r]) => r);
      const split = `kpispec: 1
defaults: { grain: month, timezone: UTC }
sources:
  a: { file: a.csv, time: day, dimensions: [channel] }
  b: { file: b.csv, time: day, dimensions: [channel] }
metrics:
  num_a: { source: a, agg: sum, column: num }
  den_a: { source: a, agg: sum, column: den }
  num_b: { source: b, agg: sum, column: num }
  den_b: { source: b, agg: sum, column: den }
kpis:
  rate: { formula: '(coalesce(num_a, 0) + coalesce(num_b, 0)) / (coalesce(den_a, 0) + coalesce(den_b, 0))', by: [channel] }
`;
      const whole = evalText(SPEC, { 's.csv': toCsv(all) });
      const parts = evalText(split, { 'a.csv': toCsv(a), 'b.csv': toCsv(b) });
      for (const m of months) {
        if (!all.some((r) => r.day.startsWith(m))) continue;
        assert.ok(close(valueAt(parts, 'rate', m) ?? null, valueAt(whole, 'rate', m) ?? null), `total ${m}`);
        for (const ch of new Set(all.map((r) => r.channel))) {
          if (!all.some((r) => r.day.startsWith(m) && r.channel === ch)) continue;
          assert.ok(close(valueAt(parts, 'rate', m, 'channel', ch) ?? null, valueAt(whole, 'rate', m, 'channel', ch) ?? null), `${ch} ${m}`);
        }
      }
    }), { numRuns: 40, seed: 7 });
  });

  it('prev() at the first period is null, and null propagates through arithmetic but not coalesce', () => {
    const data = { 's.csv': 'day,channel,num,den\n2026-01-05,email,5,10\n2026-03-05,email,7,0\n' };
    const result = evalText(SPEC + `  sum_or_zero: { formula: 'coalesce(num, 0) + 1' }\n  plus_one: { formula: num + 1 }\n`, data);
    assert.equal(valueAt(result, 'before', '2026-01'), null);
    assert.equal(valueAt(result, 'before', '2026-02'), 5);
    assert.equal(valueAt(result, 'before', '2026-03'), null, 'February has no rows: no data');
    assert.equal(valueAt(result, 'plus_one', '2026-02'), null);
    assert.equal(valueAt(result, 'sum_or_zero', '2026-02'), 1);
    assert.equal(valueAt(result, 'rate', '2026-03'), null, 'division by zero is null');
    const k = result.kpis.find((x) => x.id === 'rate')!;
    assert.deepEqual(k.series.map((p) => p.period), months.slice(0, 3), 'gap months are in the series');
    assert.equal(k.series[1]!.status, 'no_data');
  });
});
