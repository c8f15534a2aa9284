import type { EvalProblem } from '../../engine/results';
import { Context } from '../../language/analysis/context';
import { forEachColumnName, forEachNode } from '../../language/analysis/references';
import { isRelational, Relations, targetKey } from '../../language/analysis/relations';
import type { Expr } from '../../language/formula/ast';
import type { Definition, LookupDef, MetricDef, RollupFn, SourceDef, SpecFile } from '../../language/model';
import type { Scope, Workspace } from '../../language/workspace';
import type { Dialect } from '../dialect';
import { CompileError, WhereCompiler, type SqlExpr, type SqlType } from '../expr';
import { Projection, resolveSource, type Bindings, type SourceRelation } from '../sources';
import { keyText } from './keyText';

/**
 * Which columns of which sources a spec with relations reads, and how each is computed
 * (docs/sql.md, "Relations"). Every source in the relational graph (a source with `from`,
 * `key`, `lookups` or `derive`, and those they roll up or look up) becomes a chain of CTEs,
 * one per *depth*: its own rows first (the file, or a rollup's GROUP BY), then each further
 * CTE adds the columns whose inputs are all in earlier CTEs, of this source or of others
 * (LEFT JOINs for lookups, derived columns over `p`, the previous CTE). Depths are counted
 * column by column, so `customers` may roll up `orders.ordered_at` while `orders` looks up
 * `customers.first_order`.
 *
 * What is registered mirrors the in-process engine (engine/relations/tables.ts): every metric
 * of the spec, and for each source reached its time, dimensions, every lookup and a rollup's
 * key, so that the same duplicate keys make the same sources fail.
 */
export interface Need {
  kind: 'data' | 'day' | 'ord' | 'key' | 'agg' | 'derive' | 'lookup' | 'matched';
  src: WSrc;
  /** The column's name in the source's CTEs (`__day`, `__n` for the time's day and the row's place). */
  alias: string;
  type: SqlType;
  /** key, agg: the rolled-up source's column; lookup: the target's column; a rollup's day: its time column. */
  input?: Need;
  fn?: RollupFn;
  /** derive: the expression over `p`; a file's day: over `raw`. */
  sql?: string;
  /** derive: the columns and matches it reads. */
  refs?: Need[];
  link?: Link;
  /** Computes nothing (an input that is not there, a cycle): null. */
  dead?: boolean;
  depth?: number;
  fails?: Set<WSrc>;
}

/** A lookup of a source: its join columns and the target's key columns. */
export interface Link {
  def: LookupDef;
  src: WSrc;
  target: WSrc;
  on: Need[];
  key: Need[];
}

/** A source of the relational graph. */
export interface WSrc {
  def: SourceDef;
  tag: string;
  relation?: SourceRelation;
  projection?: Projection;
  /** A rollup: the source it rolls up. */
  from?: WSrc;
  /** A rollup's key columns, or the key a lookup target is checked unique on. */
  keys: Need[];
  /** Why it has no rows (its data cannot be read, or its definition has an error). */
  failure?: string;
  /** Spec names, and `#day`, `#n`, `#m:<lookup>` for the hidden columns. */
  needs: Map<string, Need>;
  /** Aliases taken (a rollup's; a file's are its projection's). */
  aliases: Set<string>;
  links: Map<string, Link>;
  /** Read by a metric of the query. */
  used: boolean;
  /** A lookup target that is not a rollup: its key is verified unique. */
  checked: boolean;
  problems: EvalProblem[];
}

export interface PlanOptions extends Bindings {
  timezone: string;
  /** Definitions with an error inside, with the problem that says so: not evaluated. */
  broken: Map<Definition, string>;
  /** A unique tag for a source's CTE names. */
  tag(def: SourceDef): string;
  /** Reports a row formula that cannot become SQL. */
  problem(def: SourceDef, e: CompileError, what: string): void;
}

export class RelationalPlan {
  readonly sources = new Map<SourceDef, WSrc>();
  private readonly rel: Relations;
  private readonly ordinals = new Map<SourceDef, boolean>();

  constructor(
    private readonly ws: Workspace,
    spec: SpecFile,
    private readonly scope: Scope,
    readonly d: Dialect,
    private readonly options: PlanOptions,
  ) {
    this.rel = new Relations(new Context(ws, spec, scope), (s) => {
      const h = this.sources.get(s)?.relation;
      return h?.header ? { columns: h.header, types: h.guessed ?? new Map() } : undefined;
    });
    for (const def of scope.names.values()) {
      if (def.kind !== 'metric' || options.broken.has(def)) continue;
      this.registerMetric(def);
    }
  }

  /** Sources with relations and those they roll up or look up (the engine's graph). */
  inWorld(src: SourceDef): boolean {
    if (isRelational(src)) return true;
    for (const s of this.scope.sources.values()) {
      if (s.from?.value === src.id) return true;
      for (const l of s.lookups.values()) if (l.source?.value === src.id) return true;
    }
    return false;
  }

  /** A source a metric of the query reads. */
  use(def: SourceDef): WSrc {
    const w = this.source(def);
    w.used = true;
    return w;
  }

  /** A column of a source by its spec name, as `prefix` + alias; undefined when it names none. */
  column(w: WSrc, name: string, prefix: string, numeric = false): SqlExpr | undefined {
    const n = this.need(w, name, numeric);
    return n && { sql: `${prefix}${n.alias}`, type: n.type };
  }

  matched(w: WSrc, lookup: string, prefix: string): SqlExpr | undefined {
    const n = this.matchedNeed(w, lookup);
    return n && { sql: `${prefix}${n.alias}`, type: 'bool' };
  }

  /** A dimension's groups: the column as text, as the engine makes it. */
  group(w: WSrc, name: string): string {
    const n = this.need(w, name);
    return n ? keyText(this.d, n.alias, n.type) : `CAST(NULL AS ${this.d.text})`;
  }

  // ---- registration ------------------------------------------------------------------------

  private registerMetric(m: MetricDef): void {
    const def = m.source && this.scope.sources.get(m.source.value);
    if (!def || !this.inWorld(def)) return;
    const w = this.source(def);
    const agg = m.agg?.value;
    if (m.column) this.need(w, m.column.value, agg === 'sum' || agg === 'avg' || agg === 'min' || agg === 'max');
    if (m.where) this.needFormula(w, m.where.expr);
  }

  private needFormula(w: WSrc, expr: Expr): void {
    forEachColumnName(expr, (e) => { this.need(w, e.name); });
    forEachNode(expr, (e) => { if (e.kind === 'call' && e.callee === 'matched' && e.args[0]?.kind === 'name') this.matchedNeed(w, e.args[0].name); });
  }

  /** A source of the graph, with what the engine reads of every source it reaches. */
  source(def: SourceDef): WSrc {
    const w = this.shell(def);
    this.touch(w);
    return w;
  }

  /** The source itself, where its rows are: nothing registered yet, so rollups may refer to each other. */
  private shell(def: SourceDef): WSrc {
    let w = this.sources.get(def);
    if (w) return w;
    w = { def, tag: this.options.tag(def), keys: [], needs: new Map(), aliases: new Set(['__day', '__n']), links: new Map(), used: false, checked: false, problems: [] };
    this.sources.set(def, w);
    const broken = this.options.broken.get(def);
    if (broken) w.failure = broken;
    if (def.from) {
      const from = this.scope.sources.get(def.from.value);
      if (from && from !== def) w.from = this.shell(from);
      else w.failure ??= `rollup \`${def.id}\`: no source \`${def.from.value}\``;
    } else this.resolve(w);
    return w;
  }

  private readonly touched = new Set<WSrc>();

  /** What the engine reads of every source it reaches (engine/relations/tables.ts needSource). */
  private touch(w: WSrc): void {
    if (this.touched.has(w)) return;
    this.touched.add(w);
    const def = w.def;
    if (w.from) {
      w.keys = def.key.map((k) => this.need(w, k.value) ?? this.dead(w, `k_${k.value}`));
      if (w.from.def.time) this.need(w.from, w.from.def.time.value);
    }
    if (def.time) { this.need(w, def.time.value); this.dayNeed(w); }
    for (const dim of def.dimensions) this.need(w, dim.value);
    for (const l of def.lookups.values()) this.matchedNeed(w, l.name);
  }

  private resolve(w: WSrc): void {
    const def = w.def;
    const resolved = resolveSource(this.ws, def, this.d, this.options, this.wantsOrdinal(def));
    let relation: SourceRelation;
    if ('problem' in resolved) {
      // No rows and no columns: whatever reads it finds nothing, and the source says why.
      w.problems.push({ severity: 'error', message: resolved.problem, file: def.file });
      w.failure ??= `source \`${def.id}\` has no data`;
      relation = { from: `(SELECT 1 AS __one WHERE 1 = 0)`, kind: 'native', shown: def.path?.value ?? def.table?.value ?? '', header: [], ordinal: 'ROW_NUMBER() OVER ()' };
    } else relation = resolved.relation;
    w.relation = relation;
    w.projection = new Projection(this.d, def, relation, this.options.timezone, (name) => this.rel.isText(def, name));
  }

  /** Rows are numbered for `first`/`last` over them, and for the messages of a key checked unique. */
  private wantsOrdinal(def: SourceDef): boolean {
    const known = this.ordinals.get(def);
    if (known !== undefined) return known;
    this.ordinals.set(def, false);
    let wanted = false;
    for (const s of this.scope.sources.values()) {
      if (!def.from && [...s.lookups.values()].some((l) => l.source?.value === def.id)) wanted = true;
      if (s.from?.value === def.id && s !== def && ([...s.aggregate.values()].some((a) => a.fn?.value === 'first' || a.fn?.value === 'last') || this.wantsOrdinal(s))) wanted = true;
    }
    this.ordinals.set(def, wanted);
    return wanted;
  }

  private alias(w: WSrc, name: string, prefix: string): string {
    const plain = name.replace(/\./g, '__');
    if (w.projection) return w.projection.aliasFor(plain, prefix);
    const base = /^[A-Za-z0-9_]{1,40}$/.test(plain) ? `${prefix}_${plain.toLowerCase()}` : `${prefix}_${w.aliases.size}`;
    let alias = base;
    for (let i = 2; w.aliases.has(alias); i++) alias = `${base}_${i}`;
    w.aliases.add(alias);
    return alias;
  }

  /** A column that computes nothing (the checker says why), kept so that what refers to it stays valid SQL. */
  private dead(w: WSrc, name: string): Need {
    const n: Need = { kind: 'derive', src: w, alias: this.alias(w, name, 'x'), type: 'null', dead: true };
    w.needs.set(`#dead:${w.needs.size}`, n);
    return n;
  }

  private need(w: WSrc, name: string, numeric = false): Need | undefined {
    this.touch(w);
    const known = w.needs.get(name);
    if (known) return known;
    const col = this.rel.column(w.def, name);
    if (!col) return undefined;
    const add = (n: Need) => { w.needs.set(name, n); return n; };
    switch (col.origin) {
      case 'data': {
        if (!w.projection) return this.dead(w, name);
        const c = w.projection.column(name, numeric);
        return add({ kind: 'data', src: w, alias: c.sql, type: c.type });
      }
      case 'key': {
        const n = add({ kind: 'key', src: w, alias: this.alias(w, name, 'k'), type: 'string' });
        const input = w.from && this.need(w.from, name);
        if (!input) n.dead = true;
        else { n.input = input; n.type = input.type === 'native' || input.type === 'null' ? 'string' : input.type; }
        return n;
      }
      case 'aggregate': {
        const fn = col.def.fn?.value;
        const n = add({ kind: 'agg', src: w, alias: this.alias(w, name, 'a'), type: 'number', fn });
        if (!fn || !w.from) { n.dead = true; return n; }
        if (col.def.column) {
          const input = this.need(w.from, col.def.column.value, fn === 'sum' || fn === 'avg' || fn === 'min' || fn === 'max');
          if (!input) { n.dead = true; return n; }
          n.input = input;
          if (fn === 'min' || fn === 'max' || fn === 'first' || fn === 'last') n.type = input.type;
        } else if (fn !== 'count') n.dead = true;
        if (fn === 'first' || fn === 'last') { this.dayNeed(w.from); this.ordNeed(w.from); }
        return n;
      }
      case 'derive': {
        const n = add({ kind: 'derive', src: w, alias: this.alias(w, name, 'd'), type: 'null', refs: [] });
        const ref = (r: Need | undefined) => { if (r) n.refs!.push(r); return r; };
        try {
          const c = new WhereCompiler(this.d,
            (x) => { const r = ref(this.need(w, x)); return r && { sql: `p.${r.alias}`, type: r.type }; },
            (l) => { const r = ref(this.matchedNeed(w, l)); return r && { sql: `p.${r.alias}`, type: 'bool' }; },
          ).compile(col.def.formula.expr);
          n.sql = c.sql;
          n.type = c.type;
        } catch (e) {
          if (!(e instanceof CompileError)) throw e;
          this.options.problem(w.def, e, `derived column \`${name}\` of \`${w.def.id}\``);
          n.dead = true;
        }
        return n;
      }
      case 'lookup': {
        const link = this.link(w, col.lookup);
        const n = add({ kind: 'lookup', src: w, alias: this.alias(w, name, 'l'), type: 'null', link });
        const input = link && this.need(link.target, name.slice(name.indexOf('.') + 1));
        if (!input) n.dead = true;
        else { n.input = input; n.type = input.type; }
        return n;
      }
    }
  }

  private matchedNeed(w: WSrc, lookup: string): Need | undefined {
    this.touch(w);
    const key = `#m:${lookup}`;
    const known = w.needs.get(key);
    if (known) return known;
    const def = w.def.lookups.get(lookup);
    if (!def) return undefined;
    const n: Need = { kind: 'matched', src: w, alias: this.alias(w, lookup, 'm'), type: 'bool' };
    w.needs.set(key, n);
    const link = this.link(w, def);
    if (link) n.link = link;
    else n.dead = true;
    return n;
  }

  private link(w: WSrc, def: LookupDef): Link | undefined {
    const known = w.links.get(def.name);
    if (known) return known;
    const targetDef = def.source && this.scope.sources.get(def.source.value);
    if (!targetDef) return undefined;
    const target = this.source(targetDef);
    const key = targetKey(targetDef);
    if (!key.length || key.length !== def.on.length) return undefined;
    const link: Link = { def, src: w, target, on: [], key: [] };
    w.links.set(def.name, link);
    link.on = def.on.map((o) => this.need(w, o.local.value) ?? this.dead(w, o.local.value));
    link.key = key.map((k) => this.need(target, k) ?? this.dead(target, k));
    if (!targetDef.from) {
      // A file, rows or table source declares its key: it is verified unique on all its rows.
      target.checked = true;
      if (!target.keys.length) target.keys = link.key;
      this.ordNeed(target);
    }
    return link;
  }

  /** The time column's local day, `__day`: the periods and the order of `first`/`last`. */
  dayNeed(w: WSrc): Need | undefined {
    this.touch(w);
    const known = w.needs.get('#day');
    if (known) return known;
    if (!w.def.time) return undefined;
    const n: Need = { kind: 'day', src: w, alias: '__day', type: 'date' };
    w.needs.set('#day', n);
    if (w.projection) n.sql = w.projection.day();
    else {
      const input = this.need(w, w.def.time.value);
      if (input && input.type === 'date') n.input = input;
      else n.dead = true;
    }
    return n;
  }

  /** The row's place in the file (a rollup's: its key's first row), `__n`. */
  ordNeed(w: WSrc): Need {
    this.touch(w);
    const known = w.needs.get('#n');
    if (known) return known;
    const n: Need = { kind: 'ord', src: w, alias: '__n', type: 'number' };
    w.needs.set('#n', n);
    if (w.from) this.ordNeed(w.from);
    return n;
  }
}
