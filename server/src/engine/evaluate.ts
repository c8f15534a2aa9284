import type { Expr } from '../language/formula/ast';
import { roundHalfAway } from './rowFilter';

type Value = number | boolean | string | null;

/** Evaluation stops past this many steps: a formula can never hang the editor. */
export const MAX_STEPS = 20_000_000;

export class StepLimitError extends Error {}

/**
 * What a formula's names mean in one breakdown axis: a metric's or KPI's value in a cell
 * (period p, group g), null for no data.
 */
export interface Cells {
  periods: number;
  value(name: string, p: number, g: number): number | null;
}

/**
 * Evaluates a KPI formula in one cell. Safe by construction: it walks the AST, touches only
 * `cells`, and knows a closed set of functions; recursion is bounded by the parser's depth
 * limit and work by the step counter. Division by zero and non-finite results give null.
 */
export class FormulaEvaluator {
  steps = 0;

  constructor(private readonly cells: Cells) {}

  number(e: Expr, p: number, g: number): number | null {
    const v = this.compute(e, p, g);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }

  private compute(e: Expr, p: number, g: number): Value {
    if (++this.steps > MAX_STEPS) throw new StepLimitError(`evaluation stopped after ${MAX_STEPS.toLocaleString('en')} steps`);
    switch (e.kind) {
      case 'number': return e.value;
      case 'string': return e.value;
      case 'bool': return e.value;
      case 'error': return null;
      case 'name': return this.cells.value(e.name, p, g);
      case 'unary': {
        const v = this.compute(e.operand, p, g);
        if (e.op === 'not') return typeof v === 'boolean' ? !v : null;
        return typeof v === 'number' ? -v : null;
      }
      case 'binary': return this.binary(e, p, g);
      case 'call': return this.call(e, p, g);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, p: number, g: number): Value {
    if (e.op === 'and' || e.op === 'or') {
      const a = this.compute(e.left, p, g);
      if (e.op === 'and' && a === false) return false;
      if (e.op === 'or' && a === true) return true;
      const b = this.compute(e.right, p, g);
      if (e.op === 'and') return b === false ? false : a === null || b === null ? null : true;
      return b === true ? true : a === null || b === null ? null : false;
    }
    const a = this.compute(e.left, p, g);
    const b = this.compute(e.right, p, g);
    if (a === null || b === null) return null;
    switch (e.op) {
      case '+': return arith(a, b, (x, y) => x + y);
      case '-': return arith(a, b, (x, y) => x - y);
      case '*': return arith(a, b, (x, y) => x * y);
      case '/': return arith(a, b, (x, y) => (y === 0 ? null : x / y));
      case '==': return a === b;
      case '!=': return a !== b;
      case '<': return a < b;
      case '<=': return a <= b;
      case '>': return a > b;
      case '>=': return a >= b;
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>, p: number, g: number): Value {
    const arg = (i: number, at = p) => this.compute(e.args[i]!, at, g);
    const num = (i: number, at = p) => { const v = arg(i, at); return typeof v === 'number' ? v : null; };
    const literal = (i: number, fallback: number) => { const a = e.args[i]; return a?.kind === 'number' ? a.value : fallback; };
    switch (e.callee) {
      case 'prev': {
        const n = literal(1, 1);
        return p - n < 0 ? null : num(0, p - n);
      }
      case 'growth': {
        const now = num(0);
        const before = p - 1 < 0 ? null : num(0, p - 1);
        return now === null || before === null || before === 0 ? null : now / before - 1;
      }
      case 'rolling': {
        const n = literal(1, 1);
        if (p - n + 1 < 0) return null; // the window reaches before the first period in range
        return sumNonNull(p - n + 1, p, (q) => num(0, q));
      }
      case 'cumulative':
        return sumNonNull(0, p, (q) => num(0, q));
      case 'if': {
        const c = arg(0);
        return c === null ? null : c ? arg(1) : arg(2);
      }
      case 'coalesce':
        for (let i = 0; i < e.args.length; i++) { const v = arg(i); if (v !== null) return v; }
        return null;
      case 'min':
      case 'max': {
        let out: number | null = null;
        for (let i = 0; i < e.args.length; i++) {
          const v = num(i);
          if (v === null) return null;
          out = out === null ? v : e.callee === 'min' ? Math.min(out, v) : Math.max(out, v);
        }
        return out;
      }
      case 'abs': { const v = num(0); return v === null ? null : Math.abs(v); }
      case 'round': { const v = num(0); return v === null ? null : roundHalfAway(v, literal(1, 0)); }
      default: return null;
    }
  }
}

function arith(a: Value, b: Value, op: (x: number, y: number) => number | null): Value {
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  const v = op(a, b);
  return v === null || !Number.isFinite(v) ? null : v;
}

/** Sum of the non-null values over periods [from, to]; null when all are null. */
function sumNonNull(from: number, to: number, at: (q: number) => number | null): number | null {
  let sum = 0;
  let any = false;
  for (let q = from; q <= to; q++) {
    const v = at(q);
    if (v !== null) { sum += v; any = true; }
  }
  return any ? sum : null;
}
