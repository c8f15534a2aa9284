import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { additiveSplit, ratioSplit, shapleySplit, type GroupValues, type MixMethod, type RatioGroup } from '../../server/src/explain';

/** Equal within 1e-9, relative to the size of the numbers compared (at least 1). */
function near(actual: number, expected: number, size = 1, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(size)), `${what}: ${actual} vs ${expected}`);
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const groupNames = (n: number) => Array.from({ length: n }, (_, i) => (i === n - 1 && n > 2 ? null : `g${i}`));

const value = fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null, freq: 6 });
const additiveGroups: fc.Arbitrary<GroupValues[]> = fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 12 })
  .map((xs) => xs.map(([before, after], i) => ({ group: groupNames(xs.length)[i]!, before, after })));

const count = fc.integer({ min: 0, max: 100_000 });
const cell = fc.option(fc.record({ numerator: count, denominator: count }), { nil: null, freq: 5 });
/** Groups of a ratio with a denominator in both periods: some groups absent on one side, some with a zero denominator. */
const ratioGroups: fc.Arbitrary<RatioGroup[]> = fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 10 })
  .map((xs) => xs.map(([before, after], i) => ({ group: groupNames(xs.length)[i]!, before, after })))
  .filter((gs) => sum(gs.map((g) => g.before?.denominator ?? 0)) > 0 && sum(gs.map((g) => g.after?.denominator ?? 0)) > 0);
const scale = fc.constantFrom(1, 0.4, -1, 100);
const MIXES: MixMethod[] = ['centered', 'plain'];

const swapped = (gs: RatioGroup[]): RatioGroup[] => gs.map((g) => ({ group: g.group, before: g.after, after: g.before }));

describe('explain: properties of the decompositions', () => {
  describe('additive (sums and counts)', () => {
    it('the groups\' parts add up to the total change', () => {
      fc.assert(fc.property(additiveGroups, (gs) => {
        const s = additiveSplit(gs);
        near(sum(s.parts.map((p) => p.contribution)), s.change, Math.max(Math.abs(s.before), Math.abs(s.after)), 'Σ parts');
        near(s.change, sum(gs.map((g) => g.after ?? 0)) - sum(gs.map((g) => g.before ?? 0)), Math.max(Math.abs(s.before), Math.abs(s.after)), 'total');
      }));
    });

    it('a change confined to one group is attributed entirely to it', () => {
      fc.assert(fc.property(additiveGroups, fc.nat(), fc.double({ min: -1e5, max: 1e5, noNaN: true }), (gs, pick, delta) => {
        const i = pick % gs.length;
        const same = gs.map((g, j) => ({ ...g, after: j === i ? (g.before ?? 0) + delta : g.before }));
        const s = additiveSplit(same);
        s.parts.forEach((p, j) => near(p.contribution, j === i ? delta : 0, 1e6, `group ${j}`));
        near(s.change, delta, 1e6, 'change');
      }));
    });

    it('swapping the two periods negates every part', () => {
      fc.assert(fc.property(additiveGroups, (gs) => {
        const a = additiveSplit(gs);
        const b = additiveSplit(gs.map((g) => ({ group: g.group, before: g.after, after: g.before })));
        a.parts.forEach((p, j) => assert.equal(b.parts[j]!.contribution + p.contribution, 0));
      }));
    });
  });

  describe('ratio of sums (shift-share)', () => {
    for (const mix of MIXES) {
      it(`the rate and mix effects add up to R1 − R0, each group's to its part (${mix} mix)`, () => {
        fc.assert(fc.property(ratioGroups, scale, (gs, k) => {
          const s = ratioSplit(gs, { scale: k, mix });
          const n = (side: 'before' | 'after') => sum(gs.map((g) => g[side]?.numerator ?? 0));
          const d = (side: 'before' | 'after') => sum(gs.map((g) => g[side]?.denominator ?? 0));
          const r0 = (k * n('before')) / d('before');
          const r1 = (k * n('after')) / d('after');
          const size = Math.max(Math.abs(r0), Math.abs(r1));
          near(s.change!, r1 - r0, size, 'change');
          near(sum(s.parts.map((p) => p.contribution)), r1 - r0, size, 'Σ parts');
          near(sum(s.parts.map((p) => p.rate + p.mix)), r1 - r0, size, 'Σ rate + mix');
          for (const p of s.parts) near(p.rate + p.mix, p.contribution, size, 'rate + mix');
        }));
      });

      it(`swapping the two periods negates every rate and mix effect (${mix} mix)`, () => {
        fc.assert(fc.property(ratioGroups, scale, (gs, k) => {
          const a = ratioSplit(gs, { scale: k, mix });
          const b = ratioSplit(swapped(gs), { scale: k, mix });
          a.parts.forEach((p, j) => {
            const q = b.parts[j]!;
            near(q.rate, -p.rate, 1e-6, 'rate');
            near(q.mix, -p.mix, 1e-6, 'mix');
            near(q.contribution, -p.contribution, 1e-6, 'part');
          });
        }));
      });
    }

    it('a pure mix shift (the same rate in every group, in both periods) has no rate effect', () => {
      const arb = fc.tuple(fc.array(fc.tuple(fc.integer({ min: 1, max: 1e5 }), fc.integer({ min: 1, max: 1e5 })), { minLength: 1, maxLength: 10 }), fc.double({ min: 0, max: 5, noNaN: true }));
      fc.assert(fc.property(arb, scale, ([ds, rate], k) => {
        const gs: RatioGroup[] = ds.map(([d0, d1], i) => ({ group: `g${i}`, before: { numerator: rate * d0, denominator: d0 }, after: { numerator: rate * d1, denominator: d1 } }));
        for (const mix of MIXES) {
          const s = ratioSplit(gs, { scale: k, mix });
          for (const p of s.parts) near(p.rate, 0, rate * Math.abs(k), 'rate');
          near(s.change!, 0, rate * Math.abs(k), 'change');
        }
      }));
    });

    it('a pure rate change (the same shares in both periods) has no mix effect', () => {
      const arb = fc.tuple(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1e4 }), fc.integer({ min: 0, max: 1e4 }), fc.integer({ min: 0, max: 1e4 })), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 50 }),
      );
      fc.assert(fc.property(arb, scale, ([rows, times], k) => {
        // Every denominator multiplied by the same factor: the shares do not move.
        const gs: RatioGroup[] = rows.map(([d, n0, n1], i) => ({ group: `g${i}`, before: { numerator: n0, denominator: d }, after: { numerator: n1 * times, denominator: d * times } }));
        for (const mix of MIXES) {
          const s = ratioSplit(gs, { scale: k, mix });
          for (const p of s.parts) near(p.mix, 0, 1e4 * Math.abs(k), 'mix');
        }
      }));
    });

    it('a numerator change confined to one group is its rate effect alone', () => {
      fc.assert(fc.property(ratioGroups, fc.nat(), fc.integer({ min: 0, max: 1e5 }), (gs, pick, n) => {
        const withBoth = gs.filter((g) => (g.before?.denominator ?? 0) > 0);
        fc.pre(withBoth.length > 0);
        const target = withBoth[pick % withBoth.length]!;
        const same = gs.map((g) => ({ group: g.group, before: g.before, after: g === target ? { numerator: n, denominator: g.before!.denominator } : g.before }));
        const s = ratioSplit(same);
        const total = s.change!;
        for (const p of s.parts) {
          near(p.mix, 0, 1, `mix of ${p.group}`);
          near(p.rate, p.group === target.group ? total : 0, 1, `rate of ${p.group}`);
        }
      }));
    });

    it('a group present in one period only is all mix: its missing rate is taken as the other one', () => {
      const s = ratioSplit([
        { group: 'web', before: { numerator: 30, denominator: 1000 }, after: { numerator: 30, denominator: 1000 } },
        { group: 'app', before: null, after: { numerator: 50, denominator: 1000 } },
      ], { mix: 'plain' });
      const app = s.parts.find((p) => p.group === 'app')!;
      assert.equal(app.rate, 0);
      assert.equal(app.rateBefore, null);
      near(app.mix, 0.5 * 0.05, 1, 'its share times its rate');
      near(s.change!, 0.04 - 0.03, 1, 'change');
      near(sum(s.parts.map((p) => p.contribution)), 0.01, 1, 'Σ');
    });

    it('a share that moves toward a group with a rate below the average lowers the ratio (centered mix)', () => {
      // Two groups keep their rates (5% and 1%); sessions move from the first to the second.
      const groups: RatioGroup[] = [
        { group: 'high', before: { numerator: 25, denominator: 500 }, after: { numerator: 20, denominator: 400 } },
        { group: 'low', before: { numerator: 5, denominator: 500 }, after: { numerator: 6, denominator: 600 } },
      ];
      const s = ratioSplit(groups);
      const [high, low] = s.parts;
      near(s.change!, 0.026 - 0.03, 1, 'change');
      near(high!.rate + low!.rate, 0, 1, 'no rate effect');
      assert.ok(high!.mix < 0 && low!.mix < 0, 'both shifts lower the ratio');
      near(low!.mix, 0.1 * (0.01 - 0.028), 1, 'low: Δs × (r − R̄)');
      // The plain mix gives the same total, but a growing share always a positive mix.
      const plain = ratioSplit(groups, { mix: 'plain' });
      near(plain.parts[1]!.mix, 0.1 * 0.01, 1, 'plain: Δs × r');
      near(plain.parts[0]!.mix + plain.parts[1]!.mix, high!.mix + low!.mix, 1, 'same total');
    });

    it('no parts when a period has no denominator', () => {
      const s = ratioSplit([{ group: 'a', before: { numerator: 1, denominator: 0 }, after: { numerator: 1, denominator: 2 } }]);
      assert.equal(s.before, null);
      assert.equal(s.change, null);
      assert.deepEqual(s.parts, []);
    });
  });

  describe('derived (Shapley values over the inputs)', () => {
    /** Formulas over four inputs, some with a division that can be undefined. */
    const FORMULAS: ((x: readonly number[]) => number | null)[] = [
      (x) => x[0]! * x[1]!,
      (x) => (x[2] === 0 ? null : (x[0]! - x[1]!) / x[2]!),
      (x) => x[0]! + 2 * x[1]! - x[3]!,
      (x) => (x[1] === 0 || x[3] === 0 ? null : (x[0]! / x[1]!) / (x[2]! / x[3]!)),
      (x) => (x[1] === 0 ? null : x[0]! / x[1]! - 1),
      (x) => Math.max(x[0]!, x[1]!) * x[2]! + x[3]!,
    ];
    const inputs = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 4, maxLength: 4 });
    const game = (f: (typeof FORMULAS)[number], x0: number[], x1: number[]) => (moved: readonly boolean[]) => f(x0.map((v, i) => (moved[i] ? x1[i]! : v)));

    it('parts plus the residual are the change; with every order defined the residual is rounding only', () => {
      fc.assert(fc.property(fc.nat(FORMULAS.length - 1), inputs, inputs, (which, x0, x1) => {
        const f = FORMULAS[which]!;
        const s = shapleySplit(4, game(f, x0, x1));
        const before = f(x0);
        const after = f(x1);
        if (before === null || after === null) {
          assert.equal(s.change, null);
          return;
        }
        const size = Math.max(1, Math.abs(before), Math.abs(after), ...s.parts.map((p) => Math.abs(p ?? 0)));
        near(s.change!, after - before, size, 'change');
        near(sum(s.parts.map((p) => p ?? 0)) + s.residual!, s.change!, size, 'parts + residual');
        if (s.exact) near(s.residual!, 0, size, 'residual');
      }));
    });

    it('swapping the two periods negates every part; an input the formula ignores gets 0', () => {
      fc.assert(fc.property(fc.nat(FORMULAS.length - 1), inputs, inputs, (which, x0, x1) => {
        const f = FORMULAS[which]!;
        const a = shapleySplit(4, game(f, x0, x1));
        const b = shapleySplit(4, game(f, x1, x0));
        a.parts.forEach((p, i) => {
          if (p === null) assert.equal(b.parts[i], null);
          else near(b.parts[i]!, -p, Math.max(1, Math.abs(p)), `part ${i}`);
        });
        if (which === 0 || which === 4) for (const i of [2, 3]) assert.equal(a.parts[i], 0, `input ${i} is not in the formula`);
      }));
    });

    it('a product splits by the midpoint rule: Δa × (b0 + b1) / 2', () => {
      fc.assert(fc.property(inputs, inputs, (x0, x1) => {
        const s = shapleySplit(2, game((x) => x[0]! * x[1]!, x0, x1));
        near(s.parts[0]!, (x1[0]! - x0[0]!) * (x0[1]! + x1[1]!) / 2, 1e4, 'a');
        near(s.parts[1]!, (x1[1]! - x0[1]!) * (x0[0]! + x1[0]!) / 2, 1e4, 'b');
      }));
    });

    it('past the exact limit, each part is the mean of its first and last effects, with the residual', () => {
      const n = 14;
      const x0 = Array.from({ length: n }, (_, i) => i + 1);
      const x1 = x0.map((v) => v + 1);
      const product = (x: readonly number[]) => x.reduce((p, v) => p * v, 1) / 1e9;
      const s = shapleySplit(n, game(product, x0, x1));
      assert.equal(s.exact, false);
      near(sum(s.parts.map((p) => p!)) + s.residual!, s.change!, Math.abs(s.change!), 'parts + residual');
      const linear = shapleySplit(n, game((x) => sum([...x]), x0, x1));
      for (const p of linear.parts) near(p!, 1, 1, 'a sum splits exactly');
    });
  });
});
