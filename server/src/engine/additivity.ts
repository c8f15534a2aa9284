import type { Expr } from '../language/formula/ast';
import type { KpiDef, MetricDef } from '../language/model';
import { dependenciesFirst, kpisNamedBy } from '../language/analysis/order';
import type { Scope } from '../language/workspace';

/**
 * How a KPI's value over a long period relates to its values over the shorter periods inside
 * it, which decides how a target set for one grain reads at another (docs/evaluation.md):
 *
 * - `additive`: a sum over time (a sum or count metric, first_seen, and sums, differences and
 *   constant multiples of those): a quarter's value is the sum of its months', so targets add up
 *   and pro-rate by days.
 * - `level`: a ratio, average, extreme, growth rate or running total: the same bound holds at
 *   every grain.
 * - `fixed`: neither (a distinct count, `retained`, `prev`, `rolling`, a product of sums, a sum
 *   mixed with a ratio): a target holds at the grain it is set for only; `reason` says why.
 */
export type Additivity = { kind: 'additive' } | { kind: 'level' } | { kind: 'fixed'; reason: string };

type Kind = Additivity | { kind: 'constant' };

const ADDITIVE: Additivity = { kind: 'additive' };
const LEVEL: Additivity = { kind: 'level' };
const CONSTANT: Kind = { kind: 'constant' };

/** Whether a KPI is a sum over time: its targets add up over periods (and its run-rate projects). */
export function isAdditive(kpi: KpiDef, scope: Scope, memo?: Map<KpiDef, Additivity>): boolean {
  return additivityOf(kpi, scope, memo).kind === 'additive';
}

/**
 * The additivity of a KPI, from its formula and its metrics' aggregates and units. KPIs it
 * names are classified first, without recursion (a chain of 10,000 KPIs), and kept in `memo`.
 */
export function additivityOf(kpi: KpiDef, scope: Scope, memo = new Map<KpiDef, Additivity>()): Additivity {
  const known = memo.get(kpi);
  if (known) return known;
  for (const k of dependenciesFirst(kpi, (x) => (memo.has(x) ? [] : kpisNamedBy(x, scope)))) {
    if (memo.has(k)) continue;
    // A KPI in a cycle meets itself unclassified: a checker error, and no conversion.
    memo.set(k, { kind: 'fixed', reason: 'is defined in a cycle' });
    const kind = k.formula ? classify(k.formula.expr, scope, memo) : { kind: 'fixed' as const, reason: 'has no formula' };
    memo.set(k, kind.kind === 'constant' ? LEVEL : kind);
  }
  return memo.get(kpi)!;
}

function classify(e: Expr, scope: Scope, memo: Map<KpiDef, Additivity>): Kind {
  switch (e.kind) {
    case 'number':
      return CONSTANT;
    case 'name': {
      const def = scope.names.get(e.name);
      if (def?.kind === 'metric') return ofMetric(def);
      if (def?.kind === 'kpi') return memo.get(def) ?? { kind: 'fixed', reason: `uses \`${e.name}\`, defined in a cycle` };
      return { kind: 'fixed', reason: `names \`${e.name}\`, which is no metric or KPI` };
    }
    case 'unary':
      return e.op === '-' ? classify(e.operand, scope, memo) : fixed('is a condition');
    case 'binary':
      return binary(e.op, classify(e.left, scope, memo), classify(e.right, scope, memo));
    case 'call':
      return call(e.callee, e.args.map((a) => classify(a, scope, memo)));
    default:
      return fixed('is not a number formula');
  }
}

function ofMetric(m: MetricDef): Kind {
  switch (m.agg?.value) {
    case 'sum':
      return m.unit?.value === 'ratio' ? fixed(`sums ratios (metric \`${m.id}\` has unit ratio)`) : ADDITIVE;
    case 'count':
    case 'first_seen': // each id is first seen in exactly one period: the months' counts add up to the quarter's
      return ADDITIVE;
    case 'avg':
    case 'min':
    case 'max':
      return LEVEL;
    case 'count_distinct':
      return fixed(`counts distinct values (metric \`${m.id}\`): an id seen in two months counts once in their quarter`);
    case 'retained':
      return fixed(`counts retained ids (metric \`${m.id}\`), which depends on the length of the period`);
    default:
      return fixed(`reads metric \`${m.id}\`, which has no aggregate`);
  }
}

function binary(op: string, a: Kind, b: Kind): Kind {
  if (a.kind === 'constant' && b.kind === 'constant') return CONSTANT;
  switch (op) {
    case '+':
    case '-':
      if (a.kind === 'constant') return b.kind === 'additive' ? fixed('adds a constant to a sum') : b;
      if (b.kind === 'constant') return a.kind === 'additive' ? fixed('adds a constant to a sum') : a;
      return same(a, b);
    case '*':
      // A constant scales a sum into a sum and a ratio into a ratio; two rates multiply into a rate.
      if (a.kind === 'constant') return b;
      if (b.kind === 'constant') return a;
      if (a.kind === 'level' && b.kind === 'level') return LEVEL;
      return firstFixed(a, b) ?? fixed('multiplies a sum by another value');
    case '/':
      if (b.kind === 'constant') return a;
      // A quotient of two quantities is a ratio: its bound holds at every grain.
      return LEVEL;
    default:
      return fixed('is a comparison or condition');
  }
}

function call(callee: string, args: Kind[]): Kind {
  const x = args[0] ?? CONSTANT;
  switch (callee) {
    case 'growth':
      return LEVEL;
    case 'cumulative':
      // A running total at the period's end: the same number whatever the grain.
      return x.kind === 'additive' ? LEVEL : fixed('is a running total of something that is not a sum');
    case 'prev':
      return fixed('uses prev(), the value of an earlier period of the grain');
    case 'rolling':
      return fixed('uses rolling(), a window counted in periods of the grain');
    case 'round':
      return x;
    case 'if':
      return merge(args.slice(1));
    case 'coalesce':
      return merge(args);
    case 'min':
    case 'max':
    case 'abs': {
      const m = merge(args);
      return m.kind === 'additive' ? fixed(`takes ${callee}() of sums`) : m;
    }
    default:
      return fixed(`uses ${callee}()`);
  }
}

/** Arguments that must agree (the branches of `if`, the choices of `coalesce`); constants go with anything. */
function merge(args: Kind[]): Kind {
  let out: Kind = CONSTANT;
  for (const a of args) {
    if (a.kind === 'constant') continue;
    out = out.kind === 'constant' ? a : same(out, a);
  }
  return out;
}

function same(a: Kind, b: Kind): Kind {
  const f = firstFixed(a, b);
  if (f) return f;
  if (a.kind === b.kind) return a;
  return fixed('mixes a sum with a ratio or average');
}

function firstFixed(a: Kind, b: Kind): Kind | undefined {
  return a.kind === 'fixed' ? a : b.kind === 'fixed' ? b : undefined;
}

function fixed(reason: string): Kind {
  return { kind: 'fixed', reason };
}
