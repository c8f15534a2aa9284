import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { EvalResult } from '../../server/src/engine/results';
import { close } from './samplesData';
import { evalText, valueAt } from './evalText';

/**
 * Properties of rollups and lookups over random small tables, written as inline `rows:`
 * sources: rolling up never adds or loses what additive aggregates sum, a lookup never
 * changes how many rows a source has, a repeated key is an error and never a number, and a
 * rollup does not depend on how its entities' rows are split over files.
 */

interface Row { day: string; k: string; ch: string; v: number | null }

// Date-times with an offset land in another month in Asia/Shanghai than they are written in.
const DAYS = ['2026-01-03', '2026-01-31T20:00:00Z', '2026-02-01', '2026-02-28T23:30:00-05:00', '2026-03-15', '2026-03-31T16:30:00Z'];
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'];
// `007` and `7` are different keys (matched as written), and keys may be CJK.
const KEYS = ['a', 'b', 'c', '007', '7', '北京'];

const rowArb = (keys: string[], channels: string[]): fc.Arbitrary<Row> =>
  fc.record({
    day: fc.constantFrom(...DAYS),
    k: fc.constantFrom(...keys),
    ch: fc.constantFrom(...channels),
    v: fc.option(fc.integer({ min: -50, max: 1000 }), { nil: null, freq: 5 }),
  });

/** Inline rows as YAML flow mappings (JSON is valid YAML; an empty value is null). */
const rowsYaml = (rows: object[], indent: string) =>
  rows.length ? rows.map((r) => `\n${indent}- ${JSON.stringify(r)}`).join('') : ' []';

// Pinned, so that a table whose values happen to be all empty or all digits keeps its types.
const COLUMNS = '{ k: string, ch: string, v: number }';

const HEAD = `kpispec: 1
defaults: { grain: month, timezone: Asia/Shanghai }
`;

/** The groups a breakdown shows, null for rows with an empty value. */
const groupsOf = (r: EvalResult, kpi: string, dimension: string) =>
  r.kpis.find((k) => k.id === kpi)?.breakdowns.find((b) => b.dimension === dimension)?.rows.map((x) => x.group) ?? [];

/** The sum of two cells that may have no data: null only when both are. */
const addCells = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

const noErrors = (r: EvalResult) => {
  const errors = [...r.problems, ...r.sources.flatMap((s) => s.problems), ...r.kpis.flatMap((k) => k.problems)].filter((p) => p.severity === 'error');
  assert.deepEqual(errors, []);
};

describe('engine: properties of rollups and lookups', () => {
  it('a rollup followed by sum equals the sum over the source, for count and sum, per period and group', () => {
    fc.assert(fc.property(fc.array(rowArb(KEYS, ['email', 'seo', '微信']), { minLength: 1, maxLength: 30 }), (rows) => {
      // Keyed by (k, month, ch), every entity lies in one period and one group.
      const spec = `${HEAD}sources:
  s:
    rows:${rowsYaml(rows, '      ')}
    time: day
    columns: ${COLUMNS}
    derive: { m: 'period(day, month)' }
    dimensions: [ch]
  e:
    from: s
    key: [k, m, ch]
    time: first_day
    aggregate: { first_day: min(day), n: count(), total: sum(v) }
    dimensions: [ch]
metrics:
  rows_s: { source: s, agg: count }
  sum_s: { source: s, agg: sum, column: v }
  rows_e: { source: e, agg: sum, column: n }
  sum_e: { source: e, agg: sum, column: total }
kpis:
  source_rows: { formula: rows_s, by: [ch] }
  source_sum: { formula: sum_s, by: [ch] }
  rollup_rows: { formula: rows_e, by: [ch] }
  rollup_sum: { formula: sum_e, by: [ch] }
`;
      const r = evalText(spec);
      noErrors(r);
      assert.deepEqual(groupsOf(r, 'rollup_rows', 'ch').sort(), groupsOf(r, 'source_rows', 'ch').sort());
      let total = 0;
      for (const m of MONTHS) {
        for (const [a, b] of [['rollup_rows', 'source_rows'], ['rollup_sum', 'source_sum']] as const) {
          assert.ok(close(valueAt(r, a, m) ?? null, valueAt(r, b, m) ?? null), `${a} ${m}: ${valueAt(r, a, m)} vs ${valueAt(r, b, m)}`);
          for (const ch of groupsOf(r, b, 'ch')) {
            assert.ok(close(valueAt(r, a, m, 'ch', ch) ?? null, valueAt(r, b, m, 'ch', ch) ?? null), `${a} ${m} [${ch}]`);
          }
        }
        total += valueAt(r, 'rollup_rows', m) ?? 0;
      }
      assert.equal(total, rows.length);
    }), { numRuns: 60, seed: 20261 });
  });

  it('a lookup never changes the row count of its source, matched or not', () => {
    const tableArb = fc.record({
      rows: fc.array(rowArb([...KEYS, ''], ['email', 'seo', '']), { minLength: 1, maxLength: 30 }),
      targets: fc.uniqueArray(fc.constantFrom(...KEYS, 'zz'), { minLength: 1, maxLength: 7 }),
    });
    fc.assert(fc.property(tableArb, ({ rows, targets }) => {
      const spec = `${HEAD}sources:
  t:
    rows:${rowsYaml(targets.map((k, i) => ({ k, tier: i % 2 ? 'gold' : 'silver' })), '      ')}
    key: k
  plain:
    rows:${rowsYaml(rows, '      ')}
    time: day
    columns: ${COLUMNS}
    dimensions: [ch]
  looked:
    rows:${rowsYaml(rows, '      ')}
    time: day
    columns: ${COLUMNS}
    lookups: { x: { source: t, on: k } }
    dimensions: [ch, x.tier]
  entities:
    from: plain
    key: k
    time: first_day
    aggregate: { first_day: min(day), n: count() }
  looked_twice:
    rows:${rowsYaml(rows, '      ')}
    time: day
    columns: ${COLUMNS}
    lookups: { x: { source: t, on: k }, e: { source: entities, on: k } }
    dimensions: [ch]
metrics:
  plain_rows: { source: plain, agg: count }
  plain_sum: { source: plain, agg: sum, column: v }
  looked_rows: { source: looked, agg: count }
  looked_sum: { source: looked, agg: sum, column: v }
  matched_rows: { source: looked, agg: count, where: matched(x) }
  unmatched_rows: { source: looked, agg: count, where: not matched(x) }
  twice_rows: { source: looked_twice, agg: count }
kpis:
  plain_count: { formula: plain_rows, by: [ch] }
  plain_total: { formula: plain_sum, by: [ch] }
  looked_count: { formula: looked_rows, by: [ch] }
  looked_total: { formula: looked_sum, by: [ch] }
  matched_count: { formula: matched_rows, by: [ch] }
  unmatched_count: { formula: unmatched_rows, by: [ch] }
  twice_count: { formula: twice_rows, by: [ch] }
`;
      const r = evalText(spec);
      noErrors(r);
      for (const m of MONTHS) {
        const cells: [string | undefined, string | null | undefined][] = [[undefined, undefined], ...groupsOf(r, 'plain_count', 'ch').map((g): [string, string | null] => ['ch', g])];
        for (const [dim, group] of cells) {
          const at = (kpi: string) => valueAt(r, kpi, m, dim, group) ?? null;
          const label = `${m}${dim ? ` [${group}]` : ''}`;
          assert.equal(at('looked_count'), at('plain_count'), `looked ${label}`);
          assert.equal(at('twice_count'), at('plain_count'), `looked up twice ${label}`);
          assert.ok(close(at('looked_total'), at('plain_total')), `sum ${label}`);
          assert.equal(addCells(at('matched_count'), at('unmatched_count')), at('plain_count'), `matched + unmatched ${label}`);
          // Matched: the rows whose key the target holds (an empty key matches nothing).
          const kept = rows.filter((x) => localMonth(x.day) === m && (dim === undefined || (x.ch || null) === group));
          if (kept.length) assert.equal(at('matched_count'), kept.filter((x) => x.k !== '' && targets.includes(x.k)).length, `matched ${label}`);
        }
      }
      const matched = rows.filter((x) => x.k !== '' && targets.includes(x.k)).length;
      assert.deepEqual(r.sources.find((s) => s.id === 'looked')!.lookups, [{ name: 'x', source: 't', matched, unmatched: rows.length - matched }]);
    }), { numRuns: 60, seed: 20262 });
  });

  it('a repeated key always gives key-not-unique and never a value over the looking-up source', () => {
    const caseArb = fc
      .record({
        keys: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 6 }),
        dupIndex: fc.nat(),
        insertAt: fc.nat(),
        rows: fc.array(rowArb(KEYS, ['email', 'seo']), { minLength: 1, maxLength: 20 }),
      })
      .map(({ keys, dupIndex, insertAt, rows }) => {
        const dup = keys[dupIndex % keys.length]!;
        const targets = [...keys];
        targets.splice(insertAt % (targets.length + 1), 0, dup);
        return { dup, targets, rows };
      });
    fc.assert(fc.property(caseArb, ({ dup, targets, rows }) => {
      const spec = `${HEAD}sources:
  t:
    rows:${rowsYaml(targets.map((k, i) => ({ k, n: i })), '      ')}
    key: k
  looked:
    rows:${rowsYaml(rows, '      ')}
    time: day
    columns: ${COLUMNS}
    lookups: { x: { source: t, on: k } }
    dimensions: [ch]
  plain:
    rows:${rowsYaml(rows, '      ')}
    time: day
    columns: ${COLUMNS}
metrics:
  looked_rows: { source: looked, agg: count }
  looked_sum: { source: looked, agg: sum, column: v }
  looked_n: { source: looked, agg: sum, column: x.n }
  plain_rows: { source: plain, agg: count }
kpis:
  looked_count: { formula: looked_rows, by: [ch] }
  looked_total: { formula: looked_sum, by: [ch] }
  looked_target: { formula: looked_n, by: [ch] }
  plain_count: { formula: plain_rows }
`;
      const r = evalText(spec);
      const problems = [...r.problems, ...r.sources.flatMap((s) => s.problems), ...r.kpis.flatMap((k) => k.problems)];
      const quoted = `\`${dup}\``;
      assert.ok(
        problems.some((p) => p.severity === 'error' && p.message.includes('key `k` of source `t` is not unique') && p.message.includes(quoted)),
        `a key-not-unique error naming ${quoted}: ${JSON.stringify(problems.map((p) => p.message))}`,
      );
      for (const id of ['looked_count', 'looked_total', 'looked_target']) {
        const k = r.kpis.find((x) => x.id === id)!;
        const values = [...k.series, ...k.breakdowns.flatMap((b) => b.rows.flatMap((x) => x.series))].map((p) => p.value);
        assert.ok(values.every((v) => v === null), `${id} shows no value: ${JSON.stringify(values)}`);
        assert.equal(k.latest.value, null);
      }
      // Sources that do not look the target up are computed as usual.
      assert.equal(MONTHS.reduce((s, m) => s + (valueAt(r, 'plain_count', m) ?? 0), 0), rows.length);
    }), { numRuns: 60, seed: 20263 });
  });

  it('splitting a source\'s rows over two files, by entity and in the same order, gives the same rollup results', () => {
    const AGGREGATE = '{ first_day: min(day), last_day: max(day), n: count(), total: sum(v), lo: min(v), hi: max(v), first_v: first(v), last_v: last(v), first_ch: first(ch), last_ch: last(ch), channels: count_distinct(ch), mean: avg(v) }';
    const MEASURES: [string, string][] = [
      ['n', 'agg: count'],
      ['total', 'agg: sum, column: total'],
      ['lo', 'agg: sum, column: lo'],
      ['hi', 'agg: sum, column: hi'],
      ['first_v', 'agg: sum, column: first_v'],
      ['last_v', 'agg: sum, column: last_v'],
      ['channels', 'agg: sum, column: channels'],
      ['mean', 'agg: sum, column: mean'],
      ['span', 'agg: sum, column: span'],
      ['ends_seo', "agg: count, where: 'last_ch == \"seo\"'"],
    ];
    const caseArb = fc.record({
      rows: fc.array(rowArb([...KEYS, ''], ['email', 'seo', '']), { minLength: 1, maxLength: 30 }),
      left: fc.subarray(KEYS),
    });
    fc.assert(fc.property(caseArb, ({ rows, left }) => {
      const a = rows.filter((x) => left.includes(x.k));
      const b = rows.filter((x) => !left.includes(x.k));
      fc.pre(a.length > 0 && b.length > 0);
      const source = (id: string, part: Row[]) => `  ${id}:
    rows:${rowsYaml(part, '      ')}
    time: day
    columns: ${COLUMNS}
  ${id}_e:
    from: ${id}
    key: k
    time: first_day
    aggregate: ${AGGREGATE}
    derive: { span: 'days_between(first_day, last_day)' }
    dimensions: [first_ch]
`;
      const parts = ['whole', 'a', 'b'] as const;
      const spec = `${HEAD}sources:
${source('whole', rows)}${source('a', a)}${source('b', b)}metrics:
${parts.flatMap((p) => MEASURES.map(([m, def]) => `  ${p}_${m}_m: { source: ${p}_e, ${def} }`)).join('\n')}
kpis:
${parts.flatMap((p) => MEASURES.map(([m]) => `  ${p}_${m}: { formula: ${p}_${m}_m, by: [first_ch] }`)).join('\n')}
`;
      const r = evalText(spec);
      const errors = [...r.problems, ...r.sources.flatMap((s) => s.problems), ...r.kpis.flatMap((k) => k.problems)].filter((p) => p.severity === 'error');
      assert.deepEqual(errors, []);
      for (const [m] of MEASURES) {
        const groups = new Set([...groupsOf(r, `a_${m}`, 'first_ch'), ...groupsOf(r, `b_${m}`, 'first_ch')]);
        assert.deepEqual(groupsOf(r, `whole_${m}`, 'first_ch').sort(), [...groups].sort(), `${m}: groups`);
        for (const month of MONTHS) {
          const at = (p: string, group?: string | null) => (group === undefined ? valueAt(r, `${p}_${m}`, month) : valueAt(r, `${p}_${m}`, month, 'first_ch', group)) ?? null;
          assert.ok(close(at('whole'), addCells(at('a'), at('b'))), `${m} ${month}: ${at('whole')} vs ${at('a')} + ${at('b')}`);
          for (const g of groups) assert.ok(close(at('whole', g), addCells(at('a', g), at('b', g))), `${m} ${month} [${g}]`);
        }
      }
    }), { numRuns: 50, seed: 20264 });
  });
});

/** The Asia/Shanghai month of one of DAYS (UTC+8; dates without an offset are local). */
function localMonth(day: string): string {
  if (day.length === 10) return day.slice(0, 7);
  return new Date(Date.parse(day) + 8 * 3600_000).toISOString().slice(0, 7);
}
