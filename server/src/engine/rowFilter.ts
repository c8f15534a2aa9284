import type { Expr } from '../language/formula/ast';
import type { Column, Table } from '../data/table';
import { findColumn } from '../data/table';
import { periodStart } from '../language/period';

type Value = number | string | boolean | null;
type RowFn = (row: number) => Value;

/**
 * Compiles a `where` filter into a function of a row index over the table's columns. Only
 * columns and literals resolve; nulls make a comparison null, and a null condition drops the row.
 * Returns undefined (with a reason) when a name is not a column.
 */
export function compileWhere(expr: Expr, table: Table): { test: (row: number) => boolean } | { error: string } {
  try {
    const fn = compile(expr, table);
    return { test: (row) => fn(row) === true };
  } catch (e) {
    if (e instanceof CompileError) return { error: e.message };
    throw e;
  }
}

class CompileError extends Error {}

function columnReader(col: Column): RowFn {
  switch (col.type) {
    case 'number': {
      const v = col.values;
      return (r) => (Number.isNaN(v[r]!) ? null : v[r]!);
    }
    case 'date': {
      const v = col.days;
      return (r) => (Number.isNaN(v[r]!) ? null : v[r]!);
    }
    case 'boolean': {
      const v = col.values;
      return (r) => (v[r] === -1 ? null : v[r] === 1);
    }
    case 'string': {
      const { codes, dict } = col;
      return (r) => (codes[r]! < 0 ? null : dict[codes[r]!]!);
    }
  }
}

function compile(e: Expr, table: Table): RowFn {
  switch (e.kind) {
    case 'number': return () => e.value;
    case 'string': return () => e.value;
    case 'bool': return () => e.value;
    case 'error': throw new CompileError('the filter has a syntax error');
    case 'name': {
      const col = findColumn(table, e.name);
      if (!col) throw new CompileError(`column \`${e.name}\` is not in the data`);
      return columnReader(col);
    }
    case 'unary': {
      const x = compile(e.operand, table);
      if (e.op === 'not') return (r) => { const v = x(r); return v === null ? null : !v; };
      return (r) => { const v = x(r); return typeof v === 'number' ? -v : null; };
    }
    case 'binary':
      return binary(e, table);
    case 'call':
      return call(e, table);
  }
}

function binary(e: Extract<Expr, { kind: 'binary' }>, table: Table): RowFn {
  let l = compile(e.left, table);
  let r = compile(e.right, table);
  // A date column compared with a written date: compare day numbers.
  const dateSide = (x: Expr) => x.kind === 'name' && findColumn(table, x.name)?.type === 'date';
  if (dateSide(e.left) && e.right.kind === 'string') r = dateLiteral(e.right.value);
  if (dateSide(e.right) && e.left.kind === 'string') l = dateLiteral(e.left.value);
  switch (e.op) {
    case 'and': return (row) => { const a = l(row); if (a === false) return false; const b = r(row); return b === false ? false : a === null || b === null ? null : true; };
    case 'or': return (row) => { const a = l(row); if (a === true) return true; const b = r(row); return b === true ? true : a === null || b === null ? null : false; };
    case '+': return num(l, r, (a, b) => a + b);
    case '-': return num(l, r, (a, b) => a - b);
    case '*': return num(l, r, (a, b) => a * b);
    case '/': return num(l, r, (a, b) => (b === 0 ? null : a / b));
    default: {
      const cmp = COMPARE[e.op];
      return (row) => { const a = l(row); const b = r(row); return a === null || b === null ? null : cmp(a, b); };
    }
  }
}

const COMPARE: Record<string, (a: Value, b: Value) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a! < b!,
  '<=': (a, b) => a! <= b!,
  '>': (a, b) => a! > b!,
  '>=': (a, b) => a! >= b!,
};

function num(l: RowFn, r: RowFn, op: (a: number, b: number) => number | null): RowFn {
  return (row) => {
    const a = l(row);
    const b = r(row);
    if (typeof a !== 'number' || typeof b !== 'number') return null;
    const v = op(a, b);
    return v === null || !Number.isFinite(v) ? null : v;
  };
}

function dateLiteral(text: string): RowFn {
  const day = periodStart(text.slice(0, 10));
  if (day === undefined) throw new CompileError(`\`${text}\` is not a date (write YYYY-MM-DD)`);
  return () => day;
}

function call(e: Extract<Expr, { kind: 'call' }>, table: Table): RowFn {
  const args = e.args.map((a) => compile(a, table));
  switch (e.callee) {
    case 'if': return (row) => { const c = args[0]!(row); return c === null ? null : c ? args[1]!(row) : args[2]!(row); };
    case 'coalesce': return (row) => { for (const a of args) { const v = a(row); if (v !== null) return v; } return null; };
    case 'abs': return (row) => { const v = args[0]!(row); return typeof v === 'number' ? Math.abs(v) : null; };
    case 'min':
    case 'max': {
      const pick = e.callee === 'min' ? Math.min : Math.max;
      return (row) => { let out: number | null = null; for (const a of args) { const v = a(row); if (typeof v !== 'number') return null; out = out === null ? v : pick(out, v); } return out; };
    }
    case 'round': {
      const digits = e.args[1]?.kind === 'number' ? e.args[1].value : 0;
      return (row) => { const v = args[0]!(row); return typeof v === 'number' ? roundHalfAway(v, digits) : null; };
    }
    default: throw new CompileError(`\`${e.callee}\` cannot be used in a filter`);
  }
}

/**
 * Rounds half away from zero at the given number of decimal digits, on the decimal digits as
 * written (1.005 → 1.01), not on the binary approximation (which would give 1.00).
 */
export function roundHalfAway(v: number, digits: number): number {
  if (!Number.isFinite(v)) return v;
  const abs = Math.abs(v);
  const text = String(abs);
  if (text.includes('e')) {
    const f = 10 ** digits; // tiny or huge: no written decimals to honour
    return (Math.sign(v) * Math.round(abs * f)) / f || 0;
  }
  return Math.sign(v) * Number(`${Math.round(Number(`${text}e${digits}`))}e-${digits}`) || 0;
}
