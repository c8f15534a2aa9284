import * as assert from 'node:assert/strict';
import { agree, breakdown, series } from './engines';

/**
 * The compiled SQL follows the in-process engine's semantics (docs/evaluation.md) on the corners
 * the samples do not reach. Each spec is evaluated in process, on DuckDB and on PostgreSQL, and
 * all three must agree (1e-9 relative, nulls equal); the expected values are spelt out too.
 */

const rows = (list: Record<string, unknown>[]) => `\n${list.map((r) => `      - ${JSON.stringify(r)}`).join('\n')}`;

describe('SQL engines: the engine\'s semantics on DuckDB and PostgreSQL', function () {
  this.timeout(60_000);

  it('where: nulls drop rows, and/or/not are three-valued, division by zero is null, text orders by code points', async () => {
    const data = [
      { d: '2026-01-05', ch: 'a', x: 1, y: 0 }, { d: '2026-01-06', ch: 'B', x: 2, y: 2 }, { d: '2026-01-07', ch: 'é', x: 4, y: null },
      { d: '2026-01-08', ch: null, x: 8, y: 1 }, { d: '2026-01-09', ch: 'b', x: null, y: 4 }, { d: '2026-01-10', ch: 'Z', x: 16, y: 8 },
    ];
    const spec = `kpispec: 1
sources:
  s:
    time: d
    dimensions: [ch]
    rows: ${rows(data)}
metrics:
  lower_than_b: { source: s, agg: sum, column: x, where: 'ch < "b"' }
  not_a:        { source: s, agg: sum, column: x, where: 'not (ch == "a")' }
  ratio_big:    { source: s, agg: count, where: 'x / y > 1' }
  either:       { source: s, agg: count, where: 'ch == "a" or y > 3' }
  both:         { source: s, agg: count, where: 'ch != "a" and y >= 0' }
  none_kept:    { source: s, agg: sum, column: x, where: 'x > 100' }
  avg_none:     { source: s, agg: avg, column: x, where: 'x > 100' }
  n_x:          { source: s, agg: count, column: x }
kpis:
  k_lower: { formula: lower_than_b }
  k_not_a: { formula: not_a }
  k_ratio: { formula: ratio_big }
  k_either: { formula: either }
  k_both: { formula: both }
  k_none: { formula: none_kept }
  k_avg_none: { formula: 'coalesce(avg_none, -1)' }
  k_n_x: { formula: n_x }
`;
    const { expected } = await agree({ 'a.kpi.yaml': spec });
    // Code points: 'B' (66) and 'Z' (90) are below 'b' (98); 'a' (97) too; 'é' is above.
    assert.deepEqual(series(expected, 'k_lower'), [['2026-01', 1 + 2 + 16]]);
    assert.deepEqual(series(expected, 'k_not_a'), [['2026-01', 2 + 4 + 16]]);
    assert.deepEqual(series(expected, 'k_ratio'), [['2026-01', 2]]); // 8/1, 16/8; 1/0 is null
    assert.deepEqual(series(expected, 'k_either'), [['2026-01', 3]]);
    assert.deepEqual(series(expected, 'k_both'), [['2026-01', 3]]);
    assert.deepEqual(series(expected, 'k_none'), [['2026-01', 0]]);
    assert.deepEqual(series(expected, 'k_avg_none'), [['2026-01', -1]]);
    assert.deepEqual(series(expected, 'k_n_x'), [['2026-01', 5]]);
  });

  it('where: if, coalesce, min, max, abs, round half away from zero, booleans, dates against written dates', async () => {
    const data = [
      { d: '2026-01-05', amount: 1.005, flag: 'yes', shipped: '2026-01-04', v: -3 },
      { d: '2026-01-06', amount: 2.675, flag: 'no', shipped: '2026-01-20', v: null },
      { d: '2026-01-07', amount: -0.5, flag: 'true', shipped: null, v: 5 },
      { d: '2026-01-08', amount: 0.125, flag: '0', shipped: '2026-02-01', v: 2 },
      { d: '2026-01-09', amount: 7, flag: null, shipped: '2026-01-15', v: -7 },
    ];
    const spec = `kpispec: 1
sources:
  s:
    time: d
    columns: { flag: boolean, shipped: date }
    rows: ${rows(data)}
metrics:
  rounded:  { source: s, agg: count, where: 'round(amount, 2) == 1.01 or round(amount, 2) == 2.68 or round(amount) == -1 or round(amount, 2) == 0.13' }
  flagged:  { source: s, agg: count, where: flag }
  unflagged: { source: s, agg: count, where: not flag }
  late:     { source: s, agg: count, where: 'shipped >= "2026-01-15"' }
  early:    { source: s, agg: count, where: 'shipped < "2026-01-15"' }
  picked:   { source: s, agg: sum, column: amount, where: 'if(v > 0, v, 0 - v) >= 5' }
  filled:   { source: s, agg: count, where: 'coalesce(v, 100) > 50' }
  small:    { source: s, agg: count, where: 'min(v, 3) == v and max(v, -4) == v' }
  absolute: { source: s, agg: count, where: 'abs(v) > 4' }
kpis:
  k_rounded: { formula: rounded }
  k_flagged: { formula: flagged }
  k_unflagged: { formula: unflagged }
  k_late: { formula: late }
  k_early: { formula: early }
  k_picked: { formula: picked }
  k_filled: { formula: filled }
  k_small: { formula: small }
  k_absolute: { formula: absolute }
`;
    const { expected } = await agree({ 'a.kpi.yaml': spec });
    assert.deepEqual(series(expected, 'k_rounded'), [['2026-01', 4]]);
    assert.deepEqual(series(expected, 'k_flagged'), [['2026-01', 2]]);
    assert.deepEqual(series(expected, 'k_unflagged'), [['2026-01', 2]]);
    assert.deepEqual(series(expected, 'k_late'), [['2026-01', 3]]);
    assert.deepEqual(series(expected, 'k_early'), [['2026-01', 1]]);
    assert.deepEqual(series(expected, 'k_picked'), [['2026-01', -0.5 + 7]]);
    assert.deepEqual(series(expected, 'k_filled'), [['2026-01', 1]]);
    assert.deepEqual(series(expected, 'k_small'), [['2026-01', 2]]);
    assert.deepEqual(series(expected, 'k_absolute'), [['2026-01', 2]]);
  });

  it('KPI formulas: ratio of sums, division by zero, prev/growth/rolling/cumulative over gaps, nested time functions, KPIs of KPIs', async () => {
    // Months 1, 2, 4, 5, 6 have rows; month 3 has none (no data, but on the timeline).
    const data = [
      { d: '2026-01-10', a: 10, b: 2 }, { d: '2026-01-20', a: 5, b: 3 }, { d: '2026-02-01', a: 0, b: 0 },
      { d: '2026-04-15', a: 8, b: 4 }, { d: '2026-05-15', a: 12, b: 0 }, { d: '2026-06-15', a: 9, b: 3 },
    ];
    const spec = `kpispec: 1
sources:
  s:
    time: d
    rows: ${rows(data)}
metrics:
  a: { source: s, agg: sum, column: a }
  b: { source: s, agg: sum, column: b }
kpis:
  ratio: { formula: a / b }
  back2: { formula: 'prev(a, 2)' }
  grow: { formula: growth(a) }
  roll3: { formula: 'rolling(a, 3)' }
  roll1: { formula: 'rolling(a, 1)' }
  cum: { formula: cumulative(a) }
  grow_roll: { formula: 'growth(rolling(a, 2))' }
  prev_prev: { formula: prev(prev(a)) }
  prev_ratio: { formula: prev(ratio) }
  mixed: { formula: 'if(a > 8, a, 0) + coalesce(b, 1) * 10% + min(a, b) - max(a, b) + abs(0 - a)' }
  rounded: { formula: 'round(a / 3, 2)' }
  constant: { formula: 100 / 3 }
`;
    const { expected } = await agree({ 'a.kpi.yaml': spec });
    assert.deepEqual(series(expected, 'ratio'), [['2026-01', 3], ['2026-02', null], ['2026-03', null], ['2026-04', 2], ['2026-05', null], ['2026-06', 3]]);
    assert.deepEqual(series(expected, 'back2').map((x) => x[1]), [null, null, 15, 0, null, 8]);
    assert.deepEqual(series(expected, 'roll3').map((x) => x[1]), [null, null, 15, 8, 20, 29]);
    assert.deepEqual(series(expected, 'cum').map((x) => x[1]), [15, 15, 15, 23, 35, 44]);
    assert.deepEqual(series(expected, 'prev_prev').map((x) => x[1]), [null, null, 15, 0, null, 8]);
    assert.deepEqual(series(expected, 'constant'), [['all', 100 / 3]]);
  });

  it('customers: count_distinct, retained and first_seen by a dimension with an empty group; first rows outside the range still count', async () => {
    const data = [
      { d: '2025-12-30', c: 'x', r: 'north' },
      { d: '2026-01-03', c: 'x', r: 'north' }, { d: '2026-01-04', c: 'y', r: 'south' }, { d: '2026-01-05', c: 'z', r: null },
      { d: '2026-02-03', c: 'x', r: 'north' }, { d: '2026-02-04', c: 'y', r: 'north' }, { d: '2026-02-05', c: 'w', r: null },
      { d: '2026-03-01', c: 'w', r: null }, { d: '2026-03-02', c: null, r: 'south' }, { d: '2026-03-09', c: 'v', r: 'south' },
    ];
    const spec = `kpispec: 1
sources:
  s:
    time: d
    dimensions: [r]
    rows: ${rows(data)}
metrics:
  customers: { source: s, agg: count_distinct, column: c }
  kept: { source: s, agg: retained, column: c }
  fresh: { source: s, agg: first_seen, column: c }
  fresh_south: { source: s, agg: first_seen, column: c, where: 'r == "south"' }
kpis:
  k_customers: { formula: customers, by: [r] }
  k_kept: { formula: kept, by: [r] }
  k_fresh: { formula: fresh, by: [r] }
  k_fresh_south: { formula: fresh_south, by: [r] }
  retention: { formula: kept / prev(customers), by: [r] }
`;
    const { expected } = await agree({ 'a.kpi.yaml': spec }, { from: '2026-01' });
    assert.deepEqual(series(expected, 'k_kept').map((x) => x[1]), [null, 2, 1]);
    assert.deepEqual(series(expected, 'k_fresh').map((x) => x[1]), [2, 1, 1]);
    assert.deepEqual(breakdown(expected, 'k_kept', 'r'), { north: [null, 1, null], south: [null, null, 0], null: [null, 0, 1] });
    assert.deepEqual(breakdown(expected, 'k_fresh', 'r'), { north: [0, 0, null], south: [1, null, 1], null: [1, 1, 0] });
  });

  for (const grain of ['day', 'week', 'month', 'quarter', 'year', 'all'] as const) {
    it(`periods at ${grain} grain: time zones move instants across midnight, --from/--to/--last cut the timeline`, async () => {
      const data = [
        { t: '2025-12-31T16:30:00Z', n: 1 }, { t: '2026-01-01T10:00:00+08:00', n: 2 }, { t: '2026-03-31 23:59', n: 4 },
        { t: '2026-04-01T00:00:00-05:00', n: 8 }, { t: '2026-06', n: 16 }, { t: 'not a date', n: 32 }, { t: '2026-07-05', n: 64 },
      ];
      const spec = `kpispec: 1
defaults: { timezone: Asia/Shanghai, grain: ${grain} }
sources:
  s:
    time: t
    rows: ${rows(data)}
metrics:
  n: { source: s, agg: sum, column: n }
kpis:
  total: { formula: n, target: 10 }
  roll: { formula: 'rolling(n, 2)' }
`;
      await agree({ 'a.kpi.yaml': spec });
      await agree({ 'a.kpi.yaml': spec }, { from: '2026-01', to: '2026-Q2' });
      if (grain !== 'all') await agree({ 'a.kpi.yaml': spec }, { last: 2 });
    });
  }

  it('sources without a time column, constant KPIs, and breakdowns over two sources whose groups differ', async () => {
    const spec = `kpispec: 1
sources:
  budget:
    dimensions: [ch]
    rows: ${rows([{ ch: 'email', amount: 100 }, { ch: 'social', amount: 300 }, { ch: null, amount: 50 }])}
  spend:
    time: d
    dimensions: [ch]
    rows: ${rows([{ d: '2026-01-02', ch: 'email', x: 10 }, { d: '2026-02-02', ch: 'search', x: 20 }, { d: '2026-02-03', ch: 'email', x: 5 }])}
  visits:
    time: d
    dimensions: [ch]
    rows: ${rows([{ d: '2026-01-02', ch: 'email', v: 100 }, { d: '2026-02-10', ch: 'social', v: 40 }])}
metrics:
  budget: { source: budget, agg: sum, column: amount }
  spend: { source: spend, agg: sum, column: x }
  visits: { source: visits, agg: sum, column: v }
kpis:
  k_budget: { formula: budget, by: [ch] }
  per_visit: { formula: spend / visits, by: [ch] }
  filled: { formula: 'coalesce(spend, 0) + 1', by: [ch] }
  fixed: { formula: 42 }
`;
    const { expected } = await agree({ 'a.kpi.yaml': spec });
    assert.deepEqual(breakdown(expected, 'k_budget', 'ch'), { email: [100], social: [300], null: [50] });
    assert.deepEqual(breakdown(expected, 'filled', 'ch'), { email: [11, 6], search: [1, 21] });
    assert.deepEqual(series(expected, 'fixed'), [['all', 42]]);
  });

  it('data files on DuckDB: read by kpispec\'s rules (unreadable values are null, decimal comma, delimiter, quotes, ragged rows, BOM, time_format)', async () => {
    const csv = '\ufeffDatum; Kanal ;Betrag;ok\n'
      + '05.01.2026;email;1.234,5;ja\n'
      + '06.01.2026;"so;cial";#N/A;true\n'
      + '\n'
      + '07.01.2026; email ;2,5\n'
      + '01.02.2026;email;-;false;extra\n'
      + '02.02.2026;"""quoted""";3;FALSE\n'
      + 'bad date;email;100;true\n';
    const spec = `kpispec: 1
sources:
  s:
    file: data/eu.txt
    format: csv
    delimiter: ';'
    decimal: ','
    time: Datum
    time_format: DD.MM.YYYY
    dimensions: [Kanal]
    columns: { ok: boolean, Betrag: number }
metrics:
  amount: { source: s, agg: sum, column: Betrag }
  n: { source: s, agg: count, column: Betrag }
  flagged: { source: s, agg: count, where: ok }
kpis:
  k_amount: { formula: amount, by: [Kanal] }
  k_n: { formula: n }
  k_flagged: { formula: flagged }
`;
    const { expected } = await agree({ 'a.kpi.yaml': spec, 'data/eu.txt': csv }, {}, ['duckdb']);
    assert.deepEqual(series(expected, 'k_amount'), [['2026-01', 1237], ['2026-02', 3]]);
    assert.deepEqual(breakdown(expected, 'k_amount', 'Kanal'), { '"quoted"': [null, 3], email: [1237, null], 'so;cial': [null, null] });
    assert.deepEqual(series(expected, 'k_flagged').map((x) => x[1]), [1, 0]);
  });

  it('definitions with errors are not compiled: their KPIs say why, the rest is computed as in process', async () => {
    const spec = `kpispec: 1
sources:
  s:
    time: d
    rows:
      - { d: 2026-01-02, x: 1 }
      - { d: 2026-02-02, x: 2 }
metrics:
  x: { source: s, agg: sum, column: x }
  broken_metric: { source: s, agg: sum }
kpis:
  fine: { formula: x * 2 }
  broken: { formula: x + nope }
  uses_broken: { formula: broken_metric + x }
  uses_broken_kpi: { formula: 'coalesce(broken, 0) + x' }
`;
    const { expected, results } = await agree({ 'a.kpi.yaml': spec }, {}, ['duckdb', 'postgres'], undefined, true);
    assert.deepEqual(series(expected, 'fine').map((x) => x[1]), [2, 4]);
    assert.deepEqual(series(expected, 'uses_broken').map((x) => x[1]), [null, null]);
    assert.deepEqual(series(expected, 'uses_broken_kpi').map((x) => x[1]), [1, 2]);
    assert.match(results.duckdb.result.kpis.find((k) => k.id === 'broken')!.problems[0]!.message, /`broken` is not evaluated: unknown metric or KPI `nope`/);
  });

  it('--by and --kpi', async () => {
    const spec = `kpispec: 1
sources:
  s:
    time: d
    dimensions: [ch, dev]
    rows: ${rows([{ d: '2026-01-02', ch: 'a', dev: 'm', x: 1 }, { d: '2026-02-02', ch: 'b', dev: 'd', x: 2 }])}
metrics:
  x: { source: s, agg: sum, column: x }
kpis:
  k: { formula: x, by: [ch] }
  k2: { formula: x * 2 }
`;
    await agree({ 'a.kpi.yaml': spec }, { by: 'dev' });
    await agree({ 'a.kpi.yaml': spec }, { kpis: ['k2'] });
  });
});
