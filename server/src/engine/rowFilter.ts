import type { Expr } from '../language/formula/ast';
import type { Column, Table } from '../data/table';
import { findColumn } from '../data/table';
import { periodStart } from '../language/period';
import { PERIOD_GRAINS } from '../language/formula/functions';
import type { Grain } from '../language/model';
import { periodKey, periodStartOf } from './periods';

export type Value = number | string | boolean | null;
export type RowFn = (row: number) => Value;

/** What a row formula reads: the columns of its source (data, derived, looked up) and its lookups' matches. */
export interface RowEnv {
  column(name: string): Column | undefined;
  /** Per row, the matched row of the lookup's target (-1: none). */
  matches?(lookup: string): Int32Array | undefined;
}

/**
 * Compiles a `where` filter into a function of a row index over the table's columns. Only
 * columns and literals resolve; nulls make a comparison null, and a null condition drops the row.
 * Returns undefined (with a reason) when a name is not a column.
 */
export function compileWhere(expr: Expr, table: Table): { test: (row: number) => boolean } | { error: string } {
  const compiled = compileRow(expr, tableEnv(table));
  if ('error' in compiled) return compiled;
  const fn = compiled.value;
  return { test: (row) => fn(row) === true };
}

/** A row formula (a derived column, a filter) as a function of a row index; dates are day numbers. */
export function compileRow(expr: Expr, env: RowEnv): { value: RowFn } | { error: string } {
  try {
    return { value: compile(expr, env) };
  } catch (e) {
    if (e instanceof CompileError) return { error: e.message };
    throw e;
  }
}

export function tableEnv(table: Table): RowEnv {
  return { column: (name) => findColumn(table, name), matches: (lookup) => table.matches?.get(lookup) };
}

class CompileError extends Error {}

export function columnReader(col: Column): RowFn {
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

function compile(e: Expr, env: RowEnv): RowFn {
  switch (e.kind) {
    case 'number': return () => e.value;
    case 'string': return () => e.value;
    case 'bool': return () => e.value;
    case 'error': throw new CompileError('the filter has a syntax error');
    case 'name': {
      const col = env.column(e.name);
      if (!col) throw new CompileError(`column \`${e.name}\` is not in the data`);
      return columnReader(col);
    }
    case 'unary': {
      const x = compile(e.operand, env);
      if (e.op === 'not') return (r) => { const v = x(r); return v === null ? null : !v; };
      return (r) => { const v = x(r); return typeof v === 'number' ? -v : null; };
    }
    case 'binary':
      return binary(e, env);
    case 'call':
      return call(e, env);
  }
}

function binary(e: Extract<Expr, { kind: 'binary' }>, env: RowEnv): RowFn {
  let l = compile(e.left, env);
  let r = compile(e.right, env);
  // A date column compared with a written date: compare day numbers.
  const dateSide = (x: Expr) => x.kind === 'name' && env.column(x.name)?.type === 'date';
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

function call(e: Extract<Expr, { kind: 'call' }>, env: RowEnv): RowFn {
  if (e.callee === 'matched') {
    const lookup = e.args[0]?.kind === 'name' ? e.args[0].name : '';
    const matches = env.matches?.(lookup);
    if (!matches) throw new CompileError(`\`${lookup}\` is not a lookup of the source`);
    return (row) => matches[row]! >= 0;
  }
  if (e.callee === 'period') {
    const grain = e.args[1]?.kind === 'name' ? e.args[1].name : '';
    if (!PERIOD_GRAINS.includes(grain)) throw new CompileError(`\`${grain}\` is not a grain`);
    const date = compile(e.args[0]!, env);
    return (row) => { const d = date(row); return typeof d === 'number' ? periodKey(periodStartOf(d, grain as Grain), grain as Grain) : null; };
  }
  const args = e.args.map((a) => compile(a, env));
  switch (e.callee) {
    case 'days_between': return (row) => { const a = args[0]!(row); const b = args[1]!(row); return typeof a === 'number' && typeof b === 'number' ? b - a : null; };
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
