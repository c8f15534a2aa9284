import type { Expr } from '../language/formula/ast';
import { PERIOD_GRAINS } from '../language/formula/functions';
import type { Grain } from '../language/model';
import type { ColumnType } from '../data/table';
import { periodStart } from '../language/period';
import type { Span } from '../language/span';
import type { Dialect } from './dialect';

/**
 * Formulas → SQL expressions, with the engine's semantics (engine/evaluate.ts for KPI formulas,
 * engine/rowFilter.ts for `where`): null propagates through arithmetic and comparisons, `and`
 * / `or` are three-valued, division by zero is null (NULLIF), `if` with a null condition is
 * null, `min`/`max` are null when any argument is, `round` rounds half away from zero on the
 * decimal digits. Every operation is parenthesised, so SQL precedence never decides anything.
 */

/** What a compiled expression holds. `native`: a database column of a type kpispec does not know. */
export type SqlType = 'number' | 'string' | 'bool' | 'date' | 'native' | 'null';

export interface SqlExpr {
  sql: string;
  type: SqlType;
}

/** A formula that cannot become SQL: the reason and where (document offsets). */
export class CompileError extends Error {
  constructor(message: string, readonly span: Span) {
    super(message);
  }
}

const NUMERIC: ReadonlySet<SqlType> = new Set(['number', 'native', 'null']);

export function sqlTypeOf(t: ColumnType | 'native'): SqlType {
  return t === 'boolean' ? 'bool' : t;
}

/** The operations both kinds of formula share; subclasses resolve names and time functions. */
abstract class FormulaCompiler {
  constructor(protected readonly d: Dialect) {}

  protected abstract name(e: Extract<Expr, { kind: 'name' }>): SqlExpr;
  protected abstract timeCall(e: Extract<Expr, { kind: 'call' }>): SqlExpr;

  compile(e: Expr): SqlExpr {
    switch (e.kind) {
      case 'number': return { sql: this.d.number(e.value), type: 'number' };
      case 'string': return { sql: this.d.string(e.value), type: 'string' };
      case 'bool': return { sql: e.value ? 'TRUE' : 'FALSE', type: 'bool' };
      case 'error': throw new CompileError('the formula has a syntax error', e.span);
      case 'name': return this.name(e);
      case 'unary': {
        const x = this.compile(e.operand);
        if (e.op === 'not') return { sql: `(NOT ${x.sql})`, type: 'bool' };
        return { sql: `(- ${this.num(x)})`, type: 'number' };
      }
      case 'binary': return this.binary(e);
      case 'call': return this.call(e);
    }
  }

  /** A value used as a number: database columns of unknown type are read as doubles. */
  protected num(x: SqlExpr): string {
    return x.type === 'native' ? `CAST(${x.sql} AS ${this.d.double})` : x.sql;
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): SqlExpr {
    if (e.op === 'and' || e.op === 'or') {
      const a = this.compile(e.left);
      const b = this.compile(e.right);
      return { sql: `(${a.sql} ${e.op.toUpperCase()} ${b.sql})`, type: 'bool' };
    }
    if (e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/') {
      const a = this.compile(e.left);
      const b = this.compile(e.right);
      // The engine computes only on numbers: anything else is null.
      if (!NUMERIC.has(a.type) || !NUMERIC.has(b.type)) return { sql: `CAST(NULL AS ${this.d.double})`, type: 'number' };
      if (e.op === '/') return { sql: `(${this.num(a)} / NULLIF(${this.num(b)}, 0))`, type: 'number' };
      return { sql: `(${this.num(a)} ${e.op} ${this.num(b)})`, type: 'number' };
    }
    return this.comparison(e);
  }

  protected comparison(e: Extract<Expr, { kind: 'binary' }>): SqlExpr {
    let a = this.compile(e.left);
    let b = this.compile(e.right);
    // A date compared with a written date compares days.
    if (a.type === 'date' && e.right.kind === 'string') b = this.dateLiteral(e.right.value, e.right.span);
    if (b.type === 'date' && e.left.kind === 'string') a = this.dateLiteral(e.left.value, e.left.span);
    const op = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }[e.op as '==']!;
    const known = (t: SqlType) => t !== 'native' && t !== 'null';
    if (known(a.type) && known(b.type) && a.type !== b.type) {
      // The engine compares strictly: a number never equals a text.
      if (e.op === '==' || e.op === '!=') return { sql: `(CASE WHEN ${a.sql} IS NULL OR ${b.sql} IS NULL THEN NULL ELSE ${e.op === '==' ? 'FALSE' : 'TRUE'} END)`, type: 'bool' };
      throw new CompileError(`cannot order ${typeName(a.type)} against ${typeName(b.type)}`, e.opSpan);
    }
    if (a.type === 'bool' && e.op !== '==' && e.op !== '!=') throw new CompileError('conditions (true/false) cannot be ordered', e.opSpan);
    // Text is ordered by code points, as in the engine, whatever the database's collation says.
    if (op !== '=' && op !== '<>' && (a.type === 'string' || b.type === 'string')) return { sql: `(${this.d.ordered(a.sql)} ${op} ${b.sql})`, type: 'bool' };
    return { sql: `(${a.sql} ${op} ${b.sql})`, type: 'bool' };
  }

  private dateLiteral(text: string, span: Span): SqlExpr {
    const day = periodStart(text.slice(0, 10));
    if (day === undefined) throw new CompileError(`\`${text}\` is not a date (write YYYY-MM-DD)`, span);
    return { sql: this.d.date(day), type: 'date' };
  }

  private call(e: Extract<Expr, { kind: 'call' }>): SqlExpr {
    const literal = (i: number, fallback: number) => { const a = e.args[i]; return a?.kind === 'number' ? a.value : fallback; };
    switch (e.callee) {
      case 'prev': case 'growth': case 'rolling': case 'cumulative':
        return this.timeCall(e);
      case 'if': {
        const [c, a, b] = e.args.map((x) => this.compile(x));
        if (!c || !a || !b) throw new CompileError('`if` takes three arguments', e.span);
        return { sql: `(CASE WHEN ${c.sql} IS NULL THEN NULL WHEN ${c.sql} THEN ${a.sql} ELSE ${b.sql} END)`, type: a.type === 'null' ? b.type : a.type };
      }
      case 'coalesce': {
        const args = e.args.map((x) => this.compile(x));
        return { sql: `COALESCE(${args.map((x) => x.sql).join(', ')})`, type: args.find((x) => x.type !== 'null')?.type ?? 'null' };
      }
      case 'min': case 'max': {
        const args = e.args.map((x) => this.num(this.compile(x)));
        // LEAST/GREATEST skip nulls in some engines; the engine's min/max are null when any argument is.
        const anyNull = args.map((a) => `${a} IS NULL`).join(' OR ');
        return { sql: `(CASE WHEN ${anyNull} THEN NULL ELSE ${e.callee === 'min' ? 'LEAST' : 'GREATEST'}(${args.join(', ')}) END)`, type: 'number' };
      }
      case 'abs': {
        const x = this.compile(e.args[0]!);
        return { sql: `ABS(${this.num(x)})`, type: 'number' };
      }
      case 'round': {
        const x = this.compile(e.args[0]!);
        return { sql: this.d.round(this.num(x), literal(1, 0)), type: 'number' };
      }
      default: {
        const row = this.rowCall(e);
        if (row) return row;
        throw new CompileError(`\`${e.callee}\` is not a function`, e.calleeSpan);
      }
    }
  }

  /** The row functions (period, days_between, matched): only row formulas know them. */
  protected rowCall(_e: Extract<Expr, { kind: 'call' }>): SqlExpr | undefined {
    return undefined;
  }
}

function typeName(t: SqlType): string {
  return { number: 'a number', string: 'text', bool: 'a condition', date: 'a date', native: 'a value', null: 'null' }[t];
}

/** A row formula (a `where` filter, a derived column) over a source's columns (each resolved to an alias and a type). */
export class WhereCompiler extends FormulaCompiler {
  constructor(
    d: Dialect,
    private readonly column: (name: string) => SqlExpr | undefined,
    /** `matched(lookup)`: whether the row found its match (sources with lookups). */
    private readonly matched?: (lookup: string) => SqlExpr | undefined,
  ) {
    super(d);
  }

  protected override rowCall(e: Extract<Expr, { kind: 'call' }>): SqlExpr | undefined {
    const d = this.d;
    if (e.callee === 'matched') {
      const arg = e.args[0];
      const m = arg?.kind === 'name' ? this.matched?.(arg.name) : undefined;
      if (!m) throw new CompileError(`\`${arg?.kind === 'name' ? arg.name : '?'}\` is not a lookup of the source`, arg?.span ?? e.span);
      return m;
    }
    if (e.callee === 'period') {
      const grain = e.args[1]?.kind === 'name' ? e.args[1].name : '';
      if (!PERIOD_GRAINS.includes(grain)) throw new CompileError(`\`${grain}\` is not a grain (day, week, month, quarter or year)`, e.args[1]?.span ?? e.span);
      const g = grain as Exclude<Grain, 'all'>;
      const x = this.compile(e.args[0]!);
      // The engine labels only dates; anything else is null.
      if (x.type !== 'date') return { sql: `CAST(NULL AS ${d.text})`, type: 'string' };
      return { sql: `(${d.periodKey(g === 'day' ? x.sql : d.periodStart(x.sql, g), g)})`, type: 'string' };
    }
    if (e.callee === 'days_between') {
      const [a, b] = e.args.map((x) => this.compile(x));
      if (a?.type !== 'date' || b?.type !== 'date') return { sql: `CAST(NULL AS ${d.double})`, type: 'number' };
      return { sql: d.daysBetween(a.sql, b.sql), type: 'number' };
    }
    return undefined;
  }

  protected name(e: Extract<Expr, { kind: 'name' }>): SqlExpr {
    const c = this.column(e.name);
    if (!c) throw new CompileError(`column \`${e.name}\` is not in the data`, e.span);
    return c;
  }

  protected timeCall(e: Extract<Expr, { kind: 'call' }>): SqlExpr {
    throw new CompileError(`\`${e.callee}\` cannot be used in a filter`, e.calleeSpan);
  }
}

/** A column of a KPI grid: a metric, a KPI, or a time function's argument, with the layer that computes it. */
export interface GridColumn {
  alias: string;
  level: number;
  sql: string;
}

/**
 * A KPI formula over the columns of a grid (one row per period and group). Names are metric
 * and KPI columns; a time function is a window over the column of its argument, so an argument
 * that is not a plain column gets a column of its own one layer further down (window functions
 * do not nest).
 */
export class KpiCompiler extends FormulaCompiler {
  /** The highest layer any column used so far lives in. */
  level = 0;

  constructor(
    d: Dialect,
    /** The grid column of a metric or KPI id (undefined: no data, null). */
    private readonly column: (name: string) => GridColumn | undefined,
    /** Adds a hidden column computing an expression; returns it. */
    private readonly hidden: (e: Expr) => GridColumn,
    /** The window over periods: `PARTITION BY __g ORDER BY __p` or `ORDER BY __p`. */
    private readonly window: string,
  ) {
    super(d);
  }

  protected name(e: Extract<Expr, { kind: 'name' }>): SqlExpr {
    const c = this.column(e.name);
    if (!c) return { sql: `CAST(NULL AS ${this.d.double})`, type: 'number' };
    this.level = Math.max(this.level, c.level);
    return { sql: c.alias, type: 'number' };
  }

  protected timeCall(e: Extract<Expr, { kind: 'call' }>): SqlExpr {
    const arg = e.args[0]!;
    const col = arg.kind === 'name' ? this.column(arg.name) : this.hidden(arg);
    if (!col) return { sql: `CAST(NULL AS ${this.d.double})`, type: 'number' };
    this.level = Math.max(this.level, col.level);
    const x = col.alias;
    const n = e.args[1]?.kind === 'number' ? e.args[1].value : 1;
    const over = (frame = '') => `OVER (${this.window}${frame})`;
    switch (e.callee) {
      case 'prev':
        return { sql: `LAG(${x}, ${n}) ${over()}`, type: 'number' };
      case 'growth':
        return { sql: `(${x} / NULLIF(LAG(${x}, 1) ${over()}, 0) - 1)`, type: 'number' };
      case 'rolling': {
        // Null while the window reaches before the first period in range (a partial sum would understate).
        const frame = n === 1 ? ' ROWS BETWEEN CURRENT ROW AND CURRENT ROW' : ` ROWS BETWEEN ${n - 1} PRECEDING AND CURRENT ROW`;
        return { sql: `(CASE WHEN __p >= ${n - 1} THEN SUM(${x}) ${over(frame)} END)`, type: 'number' };
      }
      default:
        return { sql: `SUM(${x}) ${over(' ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW')}`, type: 'number' };
    }
  }
}
