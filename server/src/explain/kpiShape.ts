import type { Expr } from '../language/formula/ast';
import { printFormula } from '../language/formula/printer';
import type { KpiDef, MetricDef } from '../language/model';
import type { Scope } from '../language/workspace';

/**
 * What a KPI's formula is, for explaining its change (docs/explain.md):
 *
 * - `additive`: a sum over the rows — sum, count and first_seen metrics, their sums and
 *   differences, constant multiples, and rolling(), cumulative() and prev() of those. Its value
 *   over all rows is the sum of its values over the groups of any breakdown.
 * - `ratio`: `scale × N / D` with N and D additive (`orders / sessions`,
 *   `(paid_revenue - ad_spend) / ad_spend`), or an `avg` metric (the sum of its column over the
 *   count of its values).
 * - `derived`: anything else (`clv / cac`, `growth(sessions)`, a distinct count): its change is
 *   split over the metrics and KPIs its formula names.
 *
 * KPIs named in a formula are followed through their own formulas. Pure.
 */
export type KpiShape =
  | { kind: 'additive'; terms: Term[] }
  | { kind: 'ratio'; numerator: Term[]; denominator: Term[]; scale: number; text: { numerator: string; denominator: string } }
  | { kind: 'derived'; expr: Expr; inputs: { name: string; kind: 'metric' | 'kpi' }[] };

/** A part of a sum: `coef × piece`, the piece computed per period and group by the engine. */
export interface Term {
  coef: number;
  piece: Piece;
}

/** What the engine computes for a term: a formula (a metric, or rolling() of sums), or a metric made for it (an avg metric's sum and count). */
export type Piece = { formula: string } | { metric: { source: string; agg: 'sum' | 'count'; column: string; where?: string } };

/** Identifies a piece: the same key is computed once. */
export function pieceKey(p: Piece): string {
  return 'formula' in p ? `f:${p.formula}` : `m:${JSON.stringify(p.metric)}`;
}

/** How deep KPIs naming KPIs are followed before the formula counts as derived. */
const MAX_DEPTH = 64;

export function kpiShape(kpi: KpiDef, scope: Scope): KpiShape | undefined {
  if (!kpi.formula) return undefined;
  const expr = kpi.formula.expr;
  const seen = new Set([kpi.id]);
  const terms = linear(expr, scope, seen, 0);
  if (terms) return { kind: 'additive', terms: merged(terms) };
  const ratio = ratioOf(expr, scope, seen, 0);
  if (ratio) return ratio;
  return { kind: 'derived', expr, inputs: inputsOf(expr, scope) };
}

/** The metrics and KPIs a formula names, each once, in written order. */
export function inputsOf(expr: Expr, scope: Scope): { name: string; kind: 'metric' | 'kpi' }[] {
  const out: { name: string; kind: 'metric' | 'kpi' }[] = [];
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'name': {
        const def = scope.names.get(e.name);
        if ((def?.kind === 'metric' || def?.kind === 'kpi') && !out.some((i) => i.name === e.name)) out.push({ name: e.name, kind: def.kind });
        return;
      }
      case 'unary': return visit(e.operand);
      case 'binary': visit(e.left); return visit(e.right);
      case 'call': for (const a of e.args) visit(a); return;
      default: return;
    }
  };
  visit(expr);
  return out;
}

/** The formula as a sum of terms, when it is one; undefined otherwise. */
function linear(e: Expr, scope: Scope, seen: Set<string>, depth: number): Term[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (e.kind) {
    case 'name': {
      const def = scope.names.get(e.name);
      if (def?.kind === 'metric') return isSum(def) ? [{ coef: 1, piece: { formula: e.name } }] : undefined;
      if (def?.kind === 'kpi' && def.formula && !seen.has(def.id)) {
        seen.add(def.id);
        const out = linear(def.formula.expr, scope, seen, depth + 1);
        seen.delete(def.id);
        return out;
      }
      return undefined;
    }
    case 'unary':
      return e.op === '-' ? scaled(linear(e.operand, scope, seen, depth + 1), -1) : undefined;
    case 'binary': {
      if (e.op === '+' || e.op === '-') {
        const a = linear(e.left, scope, seen, depth + 1);
        const b = a && linear(e.right, scope, seen, depth + 1);
        return a && b ? [...a, ...(e.op === '-' ? scaled(b, -1)! : b)] : undefined;
      }
      if (e.op === '*') {
        const cl = constant(e.left);
        if (cl !== undefined) return scaled(linear(e.right, scope, seen, depth + 1), cl);
        const cr = constant(e.right);
        return cr !== undefined ? scaled(linear(e.left, scope, seen, depth + 1), cr) : undefined;
      }
      if (e.op === '/') {
        const cr = constant(e.right);
        return cr !== undefined && cr !== 0 ? scaled(linear(e.left, scope, seen, depth + 1), 1 / cr) : undefined;
      }
      return undefined;
    }
    case 'call':
      // A window or shift of sums is a sum per group too: the engine computes it as a piece.
      if ((e.callee === 'rolling' || e.callee === 'cumulative' || e.callee === 'prev') && e.args[0] && linear(e.args[0], scope, seen, depth + 1)) {
        return [{ coef: 1, piece: { formula: printFormula(e) } }];
      }
      return undefined;
    default:
      return undefined;
  }
}

function ratioOf(e: Expr, scope: Scope, seen: Set<string>, depth: number): Extract<KpiShape, { kind: 'ratio' }> | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (e.kind) {
    case 'name': {
      const def = scope.names.get(e.name);
      if (def?.kind === 'metric') return averageOf(def);
      if (def?.kind === 'kpi' && def.formula && !seen.has(def.id)) {
        seen.add(def.id);
        const out = ratioOf(def.formula.expr, scope, seen, depth + 1);
        seen.delete(def.id);
        return out;
      }
      return undefined;
    }
    case 'unary':
      return e.op === '-' ? rescaled(ratioOf(e.operand, scope, seen, depth + 1), -1) : undefined;
    case 'binary': {
      if (e.op === '*') {
        const cl = constant(e.left);
        if (cl !== undefined) return rescaled(ratioOf(e.right, scope, seen, depth + 1), cl);
        const cr = constant(e.right);
        return cr !== undefined ? rescaled(ratioOf(e.left, scope, seen, depth + 1), cr) : undefined;
      }
      if (e.op !== '/') return undefined;
      const cr = constant(e.right);
      if (cr !== undefined) return cr === 0 ? undefined : rescaled(ratioOf(e.left, scope, seen, depth + 1), 1 / cr);
      const numerator = linear(e.left, scope, seen, depth + 1);
      const denominator = numerator && linear(e.right, scope, seen, depth + 1);
      if (!numerator || !denominator) return undefined;
      return { kind: 'ratio', numerator: merged(numerator), denominator: merged(denominator), scale: 1, text: { numerator: printFormula(e.left), denominator: printFormula(e.right) } };
    }
    default:
      return undefined;
  }
}

/** An avg metric as the sum of its column over the count of its values (same source, same filter). */
function averageOf(m: MetricDef): Extract<KpiShape, { kind: 'ratio' }> | undefined {
  if (m.agg?.value !== 'avg' || !m.source || !m.column) return undefined;
  const base = { source: m.source.value, column: m.column.value, ...(m.where ? { where: m.where.text } : {}) };
  return {
    kind: 'ratio',
    numerator: [{ coef: 1, piece: { metric: { ...base, agg: 'sum' } } }],
    denominator: [{ coef: 1, piece: { metric: { ...base, agg: 'count' } } }],
    scale: 1,
    text: { numerator: `sum of ${m.column.value}`, denominator: `count of ${m.column.value}` },
  };
}

function isSum(m: MetricDef): boolean {
  const agg = m.agg?.value;
  return agg === 'sum' || agg === 'count' || agg === 'first_seen';
}

/** The value of a formula made of numbers only. */
function constant(e: Expr): number | undefined {
  if (e.kind === 'number') return e.value;
  if (e.kind === 'unary' && e.op === '-') {
    const v = constant(e.operand);
    return v === undefined ? undefined : -v;
  }
  if (e.kind !== 'binary') return undefined;
  const a = constant(e.left);
  const b = a === undefined ? undefined : constant(e.right);
  if (a === undefined || b === undefined) return undefined;
  switch (e.op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? undefined : a / b;
    default: return undefined;
  }
}

function scaled(terms: Term[] | undefined, by: number): Term[] | undefined {
  return terms?.map((t) => ({ ...t, coef: t.coef * by }));
}

function rescaled<T extends { scale: number }>(shape: T | undefined, by: number): T | undefined {
  return shape && { ...shape, scale: shape.scale * by };
}

/** Terms of the same piece added up, in first-seen order. */
function merged(terms: Term[]): Term[] {
  const out = new Map<string, Term>();
  for (const t of terms) {
    const key = pieceKey(t.piece);
    const known = out.get(key);
    if (known) known.coef += t.coef;
    else out.set(key, { ...t });
  }
  return [...out.values()];
}
