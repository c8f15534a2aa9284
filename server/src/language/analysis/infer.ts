import type { Expr } from '../formula/ast';
import type { ColumnType } from '../../data/table';
import type { KpiDef, MetricDef } from '../model';
import type { Span } from '../span';
import { baseUnit, describeUnit, divide, isRatio, multiply, RATIO, sameUnit, type Unit } from '../units';
import { Context } from './context';
import { dependenciesFirst, kpisNamedBy } from './order';
import { isColumnArg } from '../formula/functions';

export type ValueType = 'number' | 'bool' | 'string' | 'date';

/** What an expression computes. unit null: a plain literal that takes any unit; undefined: unknown. */
export interface Inferred {
  type: ValueType | undefined;
  unit: Unit | null | undefined;
}

const UNKNOWN: Inferred = { type: undefined, unit: undefined };

/** The unit of a metric: declared, or count. Currency without a code is the defining file's default. */
export function metricUnit(ctx: Context, metric: MetricDef): Unit {
  const declared = metric.unit?.value ?? (metric.currency ? 'currency' : 'count');
  if (declared === 'ratio') return RATIO;
  if (declared === 'currency') {
    const code = metric.currency?.value ?? ctx.ws.load(metric.file).parsed?.spec.defaults.currency ?? 'USD';
    return baseUnit(code);
  }
  return baseUnit(declared);
}

/**
 * Infers types and units of every KPI formula in scope (memoized, cycle-safe), reporting
 * type-mismatch and unit-mismatch for this file's own KPIs only.
 */
export class KpiInference {
  private readonly done = new Map<string, Inferred>();
  private readonly active = new Set<string>();

  constructor(private readonly ctx: Context) {}

  kpi(def: KpiDef): Inferred {
    const known = this.done.get(def.id);
    if (known) return known;
    // Dependencies first, so that inferring a long chain of KPIs never recurses deeply. In
    // that order a KPI named while another is being inferred is done, unless the two are on
    // a cycle: following the cycle would recurse once per KPI on it.
    if (this.active.size) return UNKNOWN; // cycles are reported elsewhere
    for (const dep of dependenciesFirst(def, (k) => this.kpiDeps(k))) this.infer(dep);
    return this.infer(def);
  }

  /** Done KPIs have their dependencies done too: no need to walk below them. */
  private kpiDeps(k: KpiDef): KpiDef[] {
    return kpisNamedBy(k, this.ctx.scope).filter((d) => !this.done.has(d.id));
  }

  private infer(def: KpiDef): Inferred {
    const known = this.done.get(def.id);
    if (known) return known;
    if (this.active.has(def.id) || !def.formula) return UNKNOWN; // cycles are reported elsewhere
    this.active.add(def.id);
    const own = def.file === this.ctx.file;
    const formula = def.formula;
    return this.ctx.about(def, () => {
      const result = new Walker(this.ctx, own, (name) => this.name(name)).infer(formula.expr);
      this.active.delete(def.id);
      this.done.set(def.id, result);
      if (own && result.type && result.type !== 'number') {
        this.ctx.report('type-mismatch', formula.span, `KPI \`${def.id}\` must compute a number, but its formula computes ${typeName(result.type)}`);
      }
      return result;
    });
  }

  private name(name: string): Inferred {
    const def = this.ctx.scope.get(name);
    if (def?.kind === 'metric') return { type: 'number', unit: metricUnit(this.ctx, def) };
    if (def?.kind === 'kpi') return this.kpi(def);
    return UNKNOWN;
  }
}

/** Checks a `where` filter: a condition over the source's columns. */
export function inferWhere(ctx: Context, metric: MetricDef, columnType: (name: string) => ColumnType | undefined): void {
  if (!metric.where) return;
  const walker = new Walker(ctx, true, (name) => {
    const t = columnType(name);
    return t ? { type: t === 'boolean' ? 'bool' : t, unit: null } : UNKNOWN;
  }, true);
  const result = walker.infer(metric.where.expr);
  if (result.type && result.type !== 'bool') {
    ctx.report('type-mismatch', metric.where.span, `\`where\` of metric \`${metric.id}\` must be a condition (e.g. \`channel == "email"\`), but it computes ${typeName(result.type)}`);
  }
}

/**
 * The type a row formula computes (a derived column), each name typed by `columnType`;
 * reports type-mismatch and column-type when `reporting`.
 */
export function inferRow(ctx: Context, expr: Expr, columnType: (name: string) => ColumnType | undefined, reporting: boolean): ValueType | undefined {
  return new Walker(ctx, reporting, (name) => {
    const t = columnType(name);
    return t ? { type: t === 'boolean' ? 'bool' : t, unit: null } : UNKNOWN;
  }, true).infer(expr).type;
}

export function typeName(t: ValueType): string {
  return { number: 'a number', bool: 'a condition (true/false)', string: 'text', date: 'a date' }[t];
}

class Walker {
  constructor(
    private readonly ctx: Context,
    private readonly reporting: boolean,
    private readonly resolve: (name: string) => Inferred,
    /** A row formula (`where`, `derive`): row functions apply; in a KPI formula they are reported elsewhere. */
    private readonly row = false,
  ) {}

  private report(rule: string, span: Span, message: string, data?: Record<string, string | number>): void {
    if (this.reporting) this.ctx.report(rule, span, message, data && { data });
  }

  /** Recursion is bounded by the parser's depth limit. */
  infer(e: Expr): Inferred {
    switch (e.kind) {
      case 'number':
        return { type: 'number', unit: e.percent ? RATIO : null };
      case 'string':
        return { type: 'string', unit: null };
      case 'bool':
        return { type: 'bool', unit: null };
      case 'name':
        return this.resolve(e.name);
      case 'error':
        return UNKNOWN;
      case 'unary': {
        const x = this.infer(e.operand);
        if (e.op === 'not') {
          this.expect(x, 'bool', e.operand.span, '`not`');
          return { type: 'bool', unit: null };
        }
        this.expect(x, 'number', e.operand.span, 'unary `-`');
        return x;
      }
      case 'binary':
        return this.binary(e);
      case 'call':
        return this.call(e);
    }
  }

  private expect(x: Inferred, type: ValueType, span: Span, what: string): boolean {
    if (x.type === undefined || x.type === type) return true;
    this.report('type-mismatch', span, `${what} needs ${typeName(type)}, but this is ${typeName(x.type)}`);
    return false;
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Inferred {
    const l = this.infer(e.left);
    const r = this.infer(e.right);
    switch (e.op) {
      case 'and':
      case 'or':
        this.expect(l, 'bool', e.left.span, `\`${e.op}\``);
        this.expect(r, 'bool', e.right.span, `\`${e.op}\``);
        return { type: 'bool', unit: null };
      case '+':
      case '-': {
        const okL = this.expect(l, 'number', e.left.span, `\`${e.op}\``);
        const okR = this.expect(r, 'number', e.right.span, `\`${e.op}\``);
        if (!okL || !okR) return UNKNOWN;
        return { type: 'number', unit: this.unify(l.unit, r.unit, e, e.op === '+' ? 'add' : 'subtract') };
      }
      case '*':
      case '/': {
        const okL = this.expect(l, 'number', e.left.span, `\`${e.op}\``);
        const okR = this.expect(r, 'number', e.right.span, `\`${e.op}\``);
        if (!okL || !okR) return UNKNOWN;
        if (l.unit === undefined || r.unit === undefined) return { type: 'number', unit: undefined };
        if (l.unit === null && r.unit === null) return { type: 'number', unit: null };
        const lu = l.unit ?? RATIO;
        const ru = r.unit ?? RATIO;
        return { type: 'number', unit: e.op === '*' ? multiply(lu, ru) : divide(lu, ru) };
      }
      default:
        return this.compare(e, l, r);
    }
  }

  private compare(e: Extract<Expr, { kind: 'binary' }>, l: Inferred, r: Inferred): Inferred {
    if (l.type && r.type) {
      const comparable = l.type === r.type || (l.type === 'date' && r.type === 'string') || (l.type === 'string' && r.type === 'date');
      if (!comparable) {
        const [column, columnType] = e.left.kind === 'name' ? [e.left.name, l.type] : e.right.kind === 'name' ? [e.right.name, r.type] : [];
        const rule = column && !this.isMetricOrKpi(column) ? 'column-type' : 'type-mismatch';
        this.report(rule, e.opSpan, `cannot compare ${typeName(l.type)} with ${typeName(r.type)}${column ? ` (\`${column}\` is ${typeName(columnType!)})` : ''}`);
      } else if ((e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') && l.type === 'bool') {
        this.report('type-mismatch', e.opSpan, `\`${e.op}\` orders numbers, text or dates, not conditions`);
      } else if (l.type === 'number') this.unify(l.unit, r.unit, e, 'compare');
    }
    return { type: 'bool', unit: null };
  }

  private isMetricOrKpi(name: string): boolean {
    const k = this.ctx.scope.get(name)?.kind;
    return k === 'metric' || k === 'kpi';
  }

  /** Like units or a plain literal; otherwise unit-mismatch. */
  private unify(a: Unit | null | undefined, b: Unit | null | undefined, e: Extract<Expr, { kind: 'binary' }> | Extract<Expr, { kind: 'call' }>, verb: string): Unit | null | undefined {
    if (a === undefined || b === undefined) return undefined;
    if (a === null) return b;
    if (b === null) return a;
    if (sameUnit(a, b)) return a;
    const span = e.kind === 'binary' ? e.opSpan : e.calleeSpan;
    const [x, y] = e.kind === 'binary' ? [e.left, e.right] : [e.args[0]!, e.args[1]!];
    // data: the two units, for the quick fixes (a ratio, or an operand of the other unit)
    this.report('unit-mismatch', span, `cannot ${verb} ${label(x)} (${describeUnit(a)}) and ${label(y)} (${describeUnit(b)}): the units differ${isRatio(a) || isRatio(b) ? '' : '; divide them to get a ratio instead'}`, { left: describeUnit(a), right: describeUnit(b) });
    return undefined;
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Inferred {
    const args = e.args.map((a, i) => (isColumnArg(e.callee, i) ? this.infer(a) : UNKNOWN));
    const first = args[0] ?? UNKNOWN;
    switch (e.callee) {
      case 'prev':
      case 'rolling':
      case 'cumulative':
      case 'abs':
      case 'round':
        this.expect(first, 'number', e.args[0]?.span ?? e.span, `\`${e.callee}\``);
        return { type: 'number', unit: first.unit };
      case 'growth':
        this.expect(first, 'number', e.args[0]?.span ?? e.span, '`growth`');
        return { type: 'number', unit: RATIO };
      case 'if': {
        this.expect(first, 'bool', e.args[0]?.span ?? e.span, 'the condition of `if`');
        const [a, b] = [args[1] ?? UNKNOWN, args[2] ?? UNKNOWN];
        if (a.type && b.type && a.type !== b.type) {
          this.report('type-mismatch', e.calleeSpan, `the two branches of \`if\` compute ${typeName(a.type)} and ${typeName(b.type)}`);
          return UNKNOWN;
        }
        return { type: a.type ?? b.type, unit: a.type === 'number' ? this.unifyAll([args[1], args[2]], e) : null };
      }
      case 'coalesce': {
        // Of one type: numbers (with like units), text, dates or conditions.
        const type = args.find((a) => a.type)?.type;
        if (type && type !== 'number') {
          args.forEach((a, i) => this.expect(a, type, e.args[i]!.span, '`coalesce`'));
          return { type, unit: null };
        }
        args.forEach((a, i) => this.expect(a, 'number', e.args[i]!.span, '`coalesce`'));
        return { type: 'number', unit: this.unifyAll(args, e) };
      }
      case 'min':
      case 'max':
        args.forEach((a, i) => this.expect(a, 'number', e.args[i]!.span, `\`${e.callee}\``));
        return { type: 'number', unit: this.unifyAll(args, e) };
      case 'period':
      case 'days_between':
      case 'matched':
        return this.rowCall(e, args);
      default:
        return UNKNOWN;
    }
  }

  private rowCall(e: Extract<Expr, { kind: 'call' }>, args: Inferred[]): Inferred {
    if (!this.row) return UNKNOWN;
    const first = args[0] ?? UNKNOWN;
    switch (e.callee) {
      case 'period':
        this.expect(first, 'date', e.args[0]?.span ?? e.span, '`period`');
        return { type: 'string', unit: null };
      case 'days_between':
        args.forEach((a, i) => this.expect(a, 'date', e.args[i]!.span, '`days_between`'));
        return { type: 'number', unit: null };
      default:
        return { type: 'bool', unit: null };
    }
  }

  private unifyAll(args: (Inferred | undefined)[], e: Extract<Expr, { kind: 'call' }>): Unit | null | undefined {
    let unit: Unit | null | undefined = null;
    for (const [i, a] of args.entries()) {
      if (!a) continue;
      if (a.unit === undefined || unit === undefined) return undefined;
      if (unit === null) unit = a.unit;
      else if (a.unit !== null && !sameUnit(unit, a.unit)) {
        // data: the units so far and the argument (index into the call's arguments) that differs
        const arg = e.callee === 'if' ? i + 1 : i;
        this.report('unit-mismatch', e.calleeSpan, `the arguments of \`${e.callee}\` have different units (${describeUnit(unit)} and ${describeUnit(a.unit)})`, { left: describeUnit(unit), right: describeUnit(a.unit), arg });
        return undefined;
      }
    }
    return unit;
  }
}

function label(e: Expr): string {
  if (e.kind === 'name') return `\`${e.name}\``;
  if (e.kind === 'call') return `\`${e.callee}(…)\``;
  return 'an expression';
}
