import type { DataShape } from '../../data/shape';
import type { Column, DataProblem, Table, TableResult } from '../../data/table';
import { findColumn } from '../../data/table';
import type { Context } from '../../language/analysis/context';
import { forEachColumnName, forEachNode } from '../../language/analysis/references';
import { isRelational, Relations, targetKey } from '../../language/analysis/relations';
import type { LookupDef, MetricDef, SourceDef } from '../../language/model';
import { compileRow, type Value } from '../rowFilter';
import { asText, columnFrom, gather, textCodes } from './columns';
import { keyIndex, lookUp, type DuplicateKey, type LookupIndex } from './lookup';
import { groupRows, rollupColumn, timeOrder, type Grouping } from './rollup';

/** A source's own rows as read (file, inline rows), with where they came from. */
export interface BaseRead {
  result: TableResult;
  /** The data file (absolute) or '' for inline rows, for the line numbers in messages. */
  file: string;
  /** The data file as written in the spec, for messages. */
  shown: string;
}

/** What keeps a column from being computed; every KPI reading it shows no data and says why. */
class Unavailable {
  constructor(readonly problem: DataProblem) {}
}

/** The table of a source in the relational graph, with its counts for the results. */
export interface RelationalTable {
  result: TableResult;
  base?: BaseRead;
  rollup?: { from: string; fromRows: number; unkeyed: number };
  lookups?: { name: string; source: string; matched: number; unmatched: number }[];
}

/**
 * The tables of sources with relations (docs/language.md, "Relations"): rollups, lookups and
 * derived columns computed column by column over typed columns (group-by on dictionary codes,
 * hash lookups, no per-row objects). What the spec reads is planned first, so each data file is
 * read once with the columns needed; a column is then computed when first asked for, so that
 * `customers` may roll up `orders` while `orders` looks `customers` up.
 */
export class RelationalTables {
  private readonly plan: Relations;
  private typed?: Relations;
  private readonly needs = new Map<SourceDef, Set<string>>();
  private readonly lookupsNeeded = new Map<SourceDef, Set<string>>();
  private readonly bases = new Map<SourceDef, BaseRead>();
  private readonly columns = new Map<string, Column | Unavailable>();
  private readonly active = new Set<string>();
  private readonly groupings = new Map<SourceDef, Grouping | Unavailable>();
  private readonly keyIndexes = new Map<SourceDef, Map<string, number> | Unavailable>();
  private readonly indexes = new Map<string, LookupIndex | Unavailable>();
  private readonly orders = new Map<SourceDef, Int32Array | Unavailable>();
  private readonly tables = new Map<SourceDef, RelationalTable>();

  constructor(
    private readonly ctx: Context,
    metrics: Iterable<MetricDef>,
    private readonly readBase: (src: SourceDef, wanted: string[], text: string[]) => BaseRead,
    /** Why a source is not evaluated (an error in its definition), if it is not. */
    private readonly brokenSource: (src: SourceDef) => string | undefined,
  ) {
    this.plan = new Relations(ctx, () => undefined);
    for (const m of metrics) {
      const src = m.source && ctx.scope.sources.get(m.source.value);
      if (!src || !this.inGraph(src)) continue;
      this.needSource(src);
      if (m.column) this.need(src, m.column.value);
      if (m.where) this.needFormula(src, m.where.expr);
    }
  }

  /** Sources with relations, and those they roll up or look up: their tables are built here. */
  inGraph(src: SourceDef): boolean {
    if (isRelational(src)) return true;
    for (const s of this.ctx.scope.sources.values()) {
      if (s.from?.value === src.id) return true;
      for (const l of s.lookups.values()) if (l.source?.value === src.id) return true;
    }
    return false;
  }

  // ---- planning: which columns of which source the spec reads --------------------------------

  private needSource(src: SourceDef): void {
    if (this.needs.has(src)) return;
    this.needs.set(src, new Set());
    if (src.time) this.need(src, src.time.value);
    for (const d of src.dimensions) this.need(src, d.value);
    // Every lookup is verified, used or not: a fan-out anywhere in the source is reported.
    for (const l of src.lookups.values()) this.needLookup(src, l);
    if (src.from) this.needRollup(src);
  }

  private need(src: SourceDef, name: string): void {
    this.needSource(src);
    const set = this.needs.get(src)!;
    if (set.has(name)) return;
    set.add(name);
    const col = this.plan.column(src, name);
    if (!col) return;
    if (col.origin === 'derive') this.needFormula(src, col.def.formula.expr);
    else if (col.origin === 'aggregate') {
      this.needRollup(src);
      const from = this.sourceOf(src.from?.value);
      if (from && col.def.column) this.need(from, col.def.column.value);
    } else if (col.origin === 'key') this.needRollup(src);
    else if (col.origin === 'lookup') {
      this.needLookup(src, col.lookup);
      this.need(col.target, col.column.name);
    }
  }

  private needFormula(src: SourceDef, expr: Parameters<typeof forEachNode>[0]): void {
    forEachColumnName(expr, (e) => this.need(src, e.name));
    forEachNode(expr, (e) => {
      if (e.kind === 'call' && e.callee === 'matched' && e.args[0]?.kind === 'name') {
        const l = src.lookups.get(e.args[0].name);
        if (l) this.needLookup(src, l);
      }
    });
  }

  private needRollup(src: SourceDef): void {
    const from = this.sourceOf(src.from?.value);
    if (!from) return;
    for (const k of src.key) this.need(from, k.value);
    if (from.time) this.need(from, from.time.value);
  }

  private needLookup(src: SourceDef, l: LookupDef): void {
    let set = this.lookupsNeeded.get(src);
    if (!set) this.lookupsNeeded.set(src, (set = new Set()));
    if (set.has(l.name)) return;
    set.add(l.name);
    for (const o of l.on) this.need(src, o.local.value);
    const target = this.sourceOf(l.source?.value);
    if (target) for (const k of targetKey(target)) this.need(target, k);
  }

  private sourceOf(id: string | undefined): SourceDef | undefined {
    return id === undefined ? undefined : this.ctx.scope.sources.get(id);
  }

  /**
   * What the tables are built from: the graph's definitions and why any is not evaluated, the
   * columns and lookups the spec reads of each, and the data read for them. Equal signatures
   * (the same objects) give the same tables, so an evaluation may keep an earlier instance.
   */
  signature(): unknown[] {
    const out: unknown[] = [];
    for (const s of this.ctx.scope.sources.values()) if (this.inGraph(s)) out.push(s, this.brokenSource(s) ?? '');
    for (const [src, names] of this.needs) out.push(src, [...names].join('\u0000'), src.from ? null : this.base(src).result);
    for (const [src, names] of this.lookupsNeeded) out.push(src, [...names].join('\u0000'));
    return out;
  }

  // ---- the tables ------------------------------------------------------------------------------

  /** The table a metric over src reads: every column it needs, or the problems that stopped it. */
  table(src: SourceDef): RelationalTable {
    let t = this.tables.get(src);
    if (!t) this.tables.set(src, (t = this.build(src)));
    return t;
  }

  private build(src: SourceDef): RelationalTable {
    this.needSource(src);
    const broken = this.brokenSource(src);
    if (broken) return { result: { problems: [{ kind: 'unavailable', message: broken, count: 1, examples: [] }] } };
    const base = src.from ? undefined : this.base(src);
    const problems: DataProblem[] = base ? [...base.result.problems] : [];
    const out: RelationalTable = { result: { problems }, base };
    const failed = (u: Unavailable) => { if (!problems.some((p) => p.message === u.problem.message)) problems.push(u.problem); };
    let rowCount: number;
    if (src.from) {
      const g = this.grouping(src);
      if (g instanceof Unavailable) { failed(g); return out; }
      rowCount = g.count;
      const from = this.sourceOf(src.from.value)!;
      out.rollup = { from: from.id, fromRows: g.groupOf.length, unkeyed: g.unkeyed };
      if (g.unkeyed) {
        problems.push({ kind: 'unkeyed-rows', count: g.unkeyed, examples: [], message: `${g.unkeyed} row${g.unkeyed === 1 ? '' : 's'} of \`${from.id}\` ${g.unkeyed === 1 ? 'has' : 'have'} an empty key (${src.key.map((k) => `\`${k.value}\``).join(', ')}) and ${g.unkeyed === 1 ? 'is' : 'are'} in no row of \`${src.id}\`` });
      }
    } else {
      if (!base?.result.table) return out;
      rowCount = base.result.table.rowCount;
    }
    const columns = new Map<string, Column>(src.from ? [] : base!.result.table!.columns);
    const header = src.from ? [] : [...base!.result.table!.header];
    const matches = new Map<string, Int32Array>();
    let ok = true;
    for (const name of this.lookupsNeeded.get(src) ?? []) {
      const l = src.lookups.get(name)!;
      const idx = this.index(src, l);
      if (idx instanceof Unavailable) { failed(idx); ok = false; continue; }
      matches.set(name, idx.matches);
      (out.lookups ??= []).push({ name, source: l.source!.value, matched: idx.matched, unmatched: rowCount - idx.matched });
    }
    const dims = new Set(src.dimensions.map((d) => d.value));
    for (const name of this.needs.get(src)!) {
      const col = this.column(src, name);
      if (col instanceof Unavailable) { failed(col); ok = false; continue; }
      if (!src.from && this.plan.column(src, name)?.origin === 'data') continue; // read as it is
      columns.set(name, dims.has(name) ? asText(col, name) : col);
      header.push(name);
    }
    if (!ok) return out;
    const table: Table = { rowCount, columns, header, matches };
    if (src.from) {
      const time = src.time && columns.get(src.time.value);
      if (time?.type === 'date') table.time = time.days;
    } else {
      const t = base!.result.table!;
      if (t.time) table.time = t.time;
      if (t.lines) table.lines = t.lines;
    }
    out.result = { table, problems };
    return out;
  }

  private base(src: SourceDef): BaseRead {
    let b = this.bases.get(src);
    if (b) return b;
    const wanted: string[] = [];
    for (const name of this.needs.get(src) ?? []) if (this.plan.column(src, name)?.origin === 'data') wanted.push(name);
    const text = [...src.dimensions.map((d) => d.value), ...wanted.filter((n) => this.plan.isText(src, n))];
    b = this.readBase(src, wanted, text);
    this.bases.set(src, b);
    return b;
  }

  /** The data's own columns and types, once read: what derived columns are typed by. */
  private shapeOf(src: SourceDef): DataShape | undefined {
    const t = src.from ? undefined : this.base(src).result.table;
    if (!t) return undefined;
    const types = new Map<string, Column['type']>();
    for (const [name, c] of t.columns) types.set(name, c.type);
    return { columns: t.header, types };
  }

  private column(src: SourceDef, name: string): Column | Unavailable {
    const key = `${src.file}\u0000${src.id}\u0000${name}`;
    const known = this.columns.get(key);
    if (known) return known;
    if (this.active.has(key)) return this.unavailable(`column \`${name}\` of source \`${src.id}\` depends on itself`);
    this.active.add(key);
    const made = this.compute(src, name);
    this.active.delete(key);
    this.columns.set(key, made);
    return made;
  }

  private compute(src: SourceDef, name: string): Column | Unavailable {
    const broken = this.brokenSource(src);
    if (broken) return this.unavailable(broken);
    const col = this.plan.column(src, name);
    if (!col) return this.unavailable(`\`${name}\` is not a column of source \`${src.id}\``);
    switch (col.origin) {
      case 'data': {
        const t = this.base(src).result.table;
        const found = t && findColumn(t, name);
        if (found) return found;
        return this.unavailable(t ? `column \`${name}\` is not in the data of source \`${src.id}\`` : `source \`${src.id}\` has no data`);
      }
      case 'key': {
        const g = this.grouping(src);
        if (g instanceof Unavailable) return g;
        const input = this.column(this.sourceOf(src.from!.value)!, name);
        return input instanceof Unavailable ? input : gather(input, g.firstRow, name);
      }
      case 'aggregate': {
        const g = this.grouping(src);
        if (g instanceof Unavailable) return g;
        const from = this.sourceOf(src.from!.value)!;
        const fn = col.def.fn?.value;
        if (!fn) return this.unavailable(`rollup column \`${name}\` of \`${src.id}\` is not an aggregate`);
        const input = col.def.column ? this.column(from, col.def.column.value) : undefined;
        if (input instanceof Unavailable) return input;
        if (!input && fn !== 'count') return this.unavailable(`rollup column \`${name}\` of \`${src.id}\` names no column`);
        // The whole file may type a column otherwise than the checker's sample did.
        const numeric = fn === 'sum' || fn === 'avg' || fn === 'min' || fn === 'max';
        if (input && numeric && input.type !== 'number' && !(input.type === 'date' && (fn === 'min' || fn === 'max'))) {
          return this.unavailable(`rollup column \`${name}\` of \`${src.id}\`: \`${fn}\` needs numbers, but \`${col.def.column!.value}\` of \`${from.id}\` reads as ${input.type === 'string' ? 'text' : input.type} over the whole data; pin its type with \`columns\``);
        }
        const order = fn === 'first' || fn === 'last' ? this.order(from) : new Int32Array(0);
        if (order instanceof Unavailable) return order;
        return rollupColumn(name, fn, input, g, order, fn === 'count_distinct' && input ? textCodes(input) : undefined);
      }
      case 'derive': {
        let missing: Unavailable | undefined;
        const compiled = compileRow(col.def.formula.expr, {
          column: (n) => { const c = this.column(src, n); if (c instanceof Unavailable) { missing ??= c; return undefined; } return c; },
          matches: (l) => { const lookup = src.lookups.get(l); const idx = lookup && this.index(src, lookup); if (idx instanceof Unavailable) { missing ??= idx; return undefined; } return idx?.matches; },
        });
        if (missing) return missing;
        if ('error' in compiled) return this.unavailable(`derived column \`${name}\` of \`${src.id}\`: ${compiled.error}`);
        const n = this.rowCount(src);
        if (n instanceof Unavailable) return n;
        const type = this.typedRelations().typeOf(src, name) ?? sniff(compiled.value, n);
        return columnFrom(name, type, n, compiled.value);
      }
      case 'lookup': {
        const idx = this.index(src, col.lookup);
        if (idx instanceof Unavailable) return idx;
        const inner = this.column(col.target, col.column.name);
        return inner instanceof Unavailable ? inner : gather(inner, idx.matches, name);
      }
    }
  }

  private typedRelations(): Relations {
    return (this.typed ??= new Relations(this.ctx, (s) => this.shapeOf(s)));
  }

  private rowCount(src: SourceDef): number | Unavailable {
    if (src.from) {
      const g = this.grouping(src);
      return g instanceof Unavailable ? g : g.count;
    }
    const t = this.base(src).result.table;
    return t ? t.rowCount : this.unavailable(`source \`${src.id}\` has no data`);
  }

  private grouping(src: SourceDef): Grouping | Unavailable {
    let g = this.groupings.get(src);
    if (g) return g;
    const from = this.sourceOf(src.from?.value);
    const broken = from && this.brokenSource(from);
    if (broken) g = this.unavailable(broken);
    else if (!from) g = this.unavailable(`rollup \`${src.id}\`: no source \`${src.from?.value}\``);
    else {
      const keys = src.key.map((k) => this.column(from, k.value));
      const n = this.rowCount(from);
      const failed = keys.find((k): k is Unavailable => k instanceof Unavailable) ?? (n instanceof Unavailable ? n : undefined);
      g = failed ?? groupRows(keys.map((k) => textCodes(k as Column)), n as number);
    }
    this.groupings.set(src, g);
    return g;
  }

  /** Rows of a source by day, then file order: what `first` and `last` follow. */
  private order(src: SourceDef): Int32Array | Unavailable {
    let o = this.orders.get(src);
    if (o) return o;
    const n = this.rowCount(src);
    if (n instanceof Unavailable) o = n;
    else if (src.from) {
      const time = src.time ? this.column(src, src.time.value) : undefined;
      o = time instanceof Unavailable ? time : timeOrder(time?.type === 'date' ? time.days : undefined, n);
    } else o = timeOrder(this.base(src).result.table?.time, n);
    this.orders.set(src, o);
    return o;
  }

  private index(src: SourceDef, l: LookupDef): LookupIndex | Unavailable {
    const key = `${src.file}\u0000${src.id}\u0000${l.name}`;
    let idx = this.indexes.get(key);
    if (idx) return idx;
    const target = this.sourceOf(l.source?.value);
    const broken = target && this.brokenSource(target);
    if (broken) return this.unavailable(broken);
    const unique = target && this.uniqueKey(target, src);
    if (!target || !unique) idx = this.unavailable(`lookup \`${l.name}\` of \`${src.id}\`: no source \`${l.source?.value}\``);
    else if (unique instanceof Unavailable) idx = unique;
    else {
      const on = l.on.map((o) => this.column(src, o.local.value));
      const n = this.rowCount(src);
      const failed = on.find((c): c is Unavailable => c instanceof Unavailable) ?? (n instanceof Unavailable ? n : undefined);
      idx = failed ?? lookUp(on.map((c) => textCodes(c as Column)), n as number, unique);
    }
    this.indexes.set(key, idx);
    return idx;
  }

  /** The target's rows by key, verified unique over all of them. */
  private uniqueKey(target: SourceDef, from: SourceDef): Map<string, number> | Unavailable {
    let u = this.keyIndexes.get(target);
    if (u) return u;
    const cols = targetKey(target).map((k) => this.column(target, k));
    const n = this.rowCount(target);
    const failed = cols.find((c): c is Unavailable => c instanceof Unavailable) ?? (n instanceof Unavailable ? n : undefined);
    if (failed) u = failed;
    else {
      const index = keyIndex(cols.map((c) => textCodes(c as Column)), n as number);
      u = index instanceof Map ? index : this.duplicate(target, index, from);
    }
    this.keyIndexes.set(target, u);
    return u;
  }

  private duplicate(target: SourceDef, d: DuplicateKey, from: SourceDef): Unavailable {
    const base = target.from ? undefined : this.base(target);
    const lines = base?.result.table?.lines;
    const [a, b] = d.rows;
    const where = lines ? `lines ${lines[a]} and ${lines[b]} of \`${base!.shown}\`` : target.rows ? `rows ${a + 1} and ${b + 1} of its rows` : `rows ${a + 1} and ${b + 1}`;
    const value = d.values.length === 1 ? `\`${d.values[0]}\`` : `(${d.values.map((v) => `\`${v}\``).join(', ')})`;
    const key = target.key.map((k) => `\`${k.value}\``).join(', ');
    return new Unavailable({
      kind: 'key-not-unique', count: 1, examples: lines ? [{ line: lines[b]!, value: d.values.join(', ') }] : [],
      message: `key ${key} of source \`${target.id}\` is not unique: ${value} is on ${where}; the KPIs over a source that looks it up (\`${from.id}\`) show no data rather than rows counted twice`,
    });
  }

  private unavailable(message: string): Unavailable {
    return new Unavailable({ kind: 'unavailable', message, count: 1, examples: [] });
  }
}

/** The type of a derived column whose inputs' types are not known: that of its first value. */
function sniff(value: (row: number) => Value, n: number): Column['type'] {
  for (let r = 0; r < n; r++) {
    const v = value(r);
    if (v === null) continue;
    return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
  }
  return 'number';
}
