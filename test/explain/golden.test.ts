import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalOptions } from '../../server/src/engine/run';
import { evaluateSpec } from '../../server/src/engine/run';
import { explainKpis, type Explanation, type ExplainRequest } from '../../server/src/explain';
import { Workspace } from '../../server/src/language/workspace';

const REPO = path.resolve(__dirname, '../..');
const SPEC = path.join(REPO, 'samples/webshop.kpi.yaml');
/** The samples' data ends on 2026-10-31: with this today, 2026-10 is the latest complete month. */
const OPTIONS: EvalOptions = { today: '2026-12-06' };

type Row = Record<string, string>;
const csv = (name: string): Row[] => parse(fs.readFileSync(path.join(REPO, 'samples/data', name), 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Row[];

/** Equal within 1e-9 relative (at least 1e-9 absolute). */
function near(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: module ${actual}, expected ${expected}`);
}

function explain(id: string, request: ExplainRequest = {}): Explanation {
  const ws = new Workspace(new NodeHost(), REPO);
  const data = new TableCache();
  const options = { ...OPTIONS, kpis: [id] };
  const result = evaluateSpec(ws, SPEC, options, data);
  const [e] = explainKpis(ws, SPEC, result, options, data, { ...request, kpis: [id] });
  assert.ok(e, `${id} explained`);
  return e;
}

/** Σ f(row) per group of `dim` over the rows of one month. */
function perGroup(rows: Row[], month: (r: Row) => string, m: string, dim: string, f: (r: Row) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) if (month(r) === m) out.set(r[dim]!, (out.get(r[dim]!) ?? 0) + f(r));
  return out;
}

/**
 * The drivers of three changes of the samples from 2026-09 to 2026-10, computed here from the
 * CSV rows (orders are stamped +08:00, Asia/Shanghai's offset: their date part is the local
 * day), with the formulas of docs/explain.md written out again, must equal the module's.
 */
describe('explain: golden drivers on the samples', () => {
  const orders = csv('orders.csv');
  const web = csv('web_sessions.csv');
  const orderMonth = (r: Row) => r.ordered_at!.slice(0, 7);
  const webMonth = (r: Row) => r.date!.slice(0, 7);

  before(() => assert.ok(orders.every((o) => o.ordered_at!.endsWith('+08:00'))));

  it('total_revenue (a sum): each channel, device and region\'s own change, 2026-10 vs 2026-09 and vs 2025-10', () => {
    for (const [request, base] of [[{}, '2026-09'], [{ vs: 'yoy' }, '2025-10']] as const) {
      const e = explain('total_revenue', request);
      assert.equal(e.kind, 'additive');
      assert.deepEqual([e.period, e.base], ['2026-10', base]);
      assert.deepEqual(e.dimensions.map((d) => d.dimension), ['channel', 'device', 'region']);
      for (const d of e.dimensions) {
        const before = perGroup(orders, orderMonth, base, d.dimension, (r) => Number(r.amount));
        const after = perGroup(orders, orderMonth, '2026-10', d.dimension, (r) => Number(r.amount));
        const groups = new Set([...before.keys(), ...after.keys()]);
        assert.deepEqual(new Set(d.groups.filter((g) => g.before !== null || g.after !== null).map((g) => g.group)), groups, `${d.dimension}: groups`);
        for (const g of groups) {
          const part = d.groups.find((x) => x.group === g)!;
          near(part.contribution, (after.get(g) ?? 0) - (before.get(g) ?? 0), `${d.dimension} ${g}`);
        }
        near(d.residual, 0, `${d.dimension}: residual`);
        const total = [...after.values()].reduce((s, v) => s + v, 0) - [...before.values()].reduce((s, v) => s + v, 0);
        near(e.change, total, 'change');
        // Ranked by absolute part.
        const sizes = d.groups.map((g) => Math.abs(g.contribution));
        assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), `${d.dimension}: ranked`);
      }
    }
  });

  it('conversion_rate (orders / sessions): rate and mix effects per device and channel', () => {
    const e = explain('conversion_rate');
    assert.equal(e.kind, 'ratio');
    assert.deepEqual(e.ratio, { numerator: 'orders', denominator: 'sessions', scale: 1 });
    const months = ['2026-09', '2026-10'] as const;
    const totalRate = (m: string) => orders.filter((r) => orderMonth(r) === m).length / web.filter((r) => webMonth(r) === m).reduce((s, r) => s + Number(r.sessions), 0);
    const [R0, R1] = months.map(totalRate) as [number, number];
    near(e.change, R1 - R0, 'change');
    for (const dim of ['channel', 'device']) {
      const d = e.dimensions.find((x) => x.dimension === dim)!;
      const [n0, n1] = months.map((m) => perGroup(orders, orderMonth, m, dim, () => 1));
      const [d0, d1] = months.map((m) => perGroup(web, webMonth, m, dim, (r) => Number(r.sessions)));
      const D0 = [...d0!.values()].reduce((s, v) => s + v, 0);
      const D1 = [...d1!.values()].reduce((s, v) => s + v, 0);
      let total = 0;
      for (const g of new Set([...d0!.keys(), ...d1!.keys()])) {
        const s0 = (d0!.get(g) ?? 0) / D0;
        const s1 = (d1!.get(g) ?? 0) / D1;
        const r0 = (n0!.get(g) ?? 0) / d0!.get(g)!;
        const r1 = (n1!.get(g) ?? 0) / d1!.get(g)!;
        const rate = (r1 - r0) * (s0 + s1) / 2;
        const mix = (s1 - s0) * ((r0 + r1) / 2 - (R0 + R1) / 2);
        const part = d.groups.find((x) => x.group === g)!;
        near(part.shareBefore, s0, `${g} share before`);
        near(part.shareAfter, s1, `${g} share after`);
        near(part.before, r0, `${g} rate before`);
        near(part.after, r1, `${g} rate after`);
        near(part.rate, rate, `${g} rate effect`);
        near(part.mix, mix, `${g} mix effect`);
        near(part.contribution, rate + mix, `${g} part`);
        total += rate + mix;
      }
      near(total, R1 - R0, `${dim}: the parts add up`);
    }
    // The sentence names the largest driver first: mobile's conversion fell.
    assert.equal(e.drivers[0]!.effect, 'rate');
    assert.equal(e.drivers[0]!.group, 'mobile');
    assert.match(e.summary, /^−0\.36 pp: mobile conversion rate fell from 2\.61% to 2\.11% \(−0\.32 pp\); /);
  });

  it('repurchase_rate (repeat_customers / customers, distinct counts): Shapley parts of its two inputs', () => {
    const e = explain('repurchase_rate');
    assert.equal(e.kind, 'derived');
    assert.equal(e.method, 'shapley');
    assert.deepEqual(e.dimensions, []);
    // A customer's first order in the data; a repeat customer ordered after it.
    const first = new Map<string, string>();
    for (const o of orders) if (!first.has(o.customer_id!) || o.ordered_at! < first.get(o.customer_id!)!) first.set(o.customer_id!, o.ordered_at!);
    const distinct = (m: string, keep: (r: Row) => boolean) => new Set(orders.filter((r) => orderMonth(r) === m && keep(r)).map((r) => r.customer_id)).size;
    const [a0, a1] = ['2026-09', '2026-10'].map((m) => distinct(m, (r) => r.ordered_at! > first.get(r.customer_id!)!)) as [number, number];
    const [b0, b1] = ['2026-09', '2026-10'].map((m) => distinct(m, () => true)) as [number, number];
    const f = (a: number, b: number) => a / b;
    const partA = ((f(a1, b0) - f(a0, b0)) + (f(a1, b1) - f(a0, b1))) / 2;
    const partB = ((f(a0, b1) - f(a0, b0)) + (f(a1, b1) - f(a1, b0))) / 2;
    const parts = new Map(e.inputs!.inputs.map((i) => [i.input, i]));
    assert.deepEqual([parts.get('repeat_customers')!.before, parts.get('repeat_customers')!.after], [a0, a1]);
    assert.deepEqual([parts.get('customers')!.before, parts.get('customers')!.after], [b0, b1]);
    near(parts.get('repeat_customers')!.contribution, partA, 'repeat_customers');
    near(parts.get('customers')!.contribution, partB, 'customers');
    near(e.change, f(a1, b1) - f(a0, b0), 'change');
    near(e.inputs!.residual, 0, 'residual');
    assert.equal(e.drivers[0]!.input, Math.abs(partA) >= Math.abs(partB) ? 'repeat_customers' : 'customers');
  });
});
