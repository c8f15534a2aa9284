import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { additivityOf, isAdditive } from '../../server/src/engine/additivity';
import type { KpiDef } from '../../server/src/language/model';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, ROOT } from '../helpers/memoryHost';

const SPEC = `kpispec: 1
sources:
  s: { time: day, rows: [{ day: 2026-01-01, amount: 1, id: a, r: 0.5 }] }
metrics:
  revenue: { source: s, agg: sum, column: amount, unit: currency }
  cost:    { source: s, agg: sum, column: amount, unit: currency }
  orders:  { source: s, agg: count }
  newbies: { source: s, agg: first_seen, column: id }
  buyers:  { source: s, agg: count_distinct, column: id }
  kept:    { source: s, agg: retained, column: id }
  avg_amt: { source: s, agg: avg, column: amount }
  rates:   { source: s, agg: sum, column: r, unit: ratio }
kpis:
  k_sum:        { formula: revenue }
  k_count:      { formula: orders }
  k_first:      { formula: newbies }
  k_margin:     { formula: revenue - cost }
  k_scaled:     { formula: revenue * 0.9 / 2 }
  k_chain:      { formula: k_margin + k_sum }
  k_ratio:      { formula: revenue / orders }
  k_per_buyer:  { formula: revenue / buyers }
  k_avg:        { formula: avg_amt }
  k_growth:     { formula: growth(revenue) }
  k_cumulative: { formula: cumulative(revenue) }
  k_distinct:   { formula: buyers }
  k_retained:   { formula: kept }
  k_prev:       { formula: prev(revenue) }
  k_rolling:    { formula: rolling(revenue, 3) }
  k_mixed:      { formula: revenue + k_ratio }
  k_product:    { formula: revenue * orders }
  k_offset:     { formula: revenue + 100 }
  k_ratio_sum:  { formula: rates }
  k_coalesce:   { formula: coalesce(revenue, 0) }
`;

describe('engine: additivity of a KPI (how its targets convert between grains)', () => {
  const ws = new Workspace(new MemoryHost({ 'a.kpi.yaml': SPEC }), ROOT);
  const file = path.join(ROOT, 'a.kpi.yaml');
  const scope = ws.scope(file);
  const kind = (id: string) => additivityOf(scope.names.get(id) as KpiDef, scope).kind;

  it('sums and counts over time, and their sums, differences and constant multiples, are additive', () => {
    for (const id of ['k_sum', 'k_count', 'k_first', 'k_margin', 'k_scaled', 'k_chain', 'k_coalesce']) assert.equal(kind(id), 'additive', id);
    assert.equal(isAdditive(scope.names.get('k_sum') as KpiDef, scope), true);
  });

  it('ratios, averages, growth rates and running totals keep their bound (level)', () => {
    for (const id of ['k_ratio', 'k_per_buyer', 'k_avg', 'k_growth', 'k_cumulative']) assert.equal(kind(id), 'level', id);
    assert.equal(isAdditive(scope.names.get('k_ratio') as KpiDef, scope), false);
  });

  it('distinct counts, retained, prev, rolling and mixtures convert at no grain, and say why', () => {
    const reasons: Record<string, RegExp> = {
      k_distinct: /distinct values \(metric `buyers`\)/, k_retained: /retained ids/, k_prev: /prev\(\)/, k_rolling: /rolling\(\)/,
      k_mixed: /mixes a sum with a ratio/, k_product: /multiplies a sum/, k_offset: /adds a constant/, k_ratio_sum: /sums ratios/,
    };
    for (const [id, reason] of Object.entries(reasons)) {
      const a = additivityOf(scope.names.get(id) as KpiDef, scope);
      assert.equal(a.kind, 'fixed', id);
      assert.match((a as { reason: string }).reason, reason, id);
    }
  });
});
