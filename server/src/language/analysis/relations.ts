import type { DataShape } from '../../data/shape';
import type { ColumnType } from '../../data/table';
import { matchColumn } from '../../data/columnNames';
import type { DerivedColumn, LookupDef, RollupColumn, SourceDef } from '../model';
import type { Context } from './context';
import { inferRow } from './infer';

/**
 * The columns of sources with relations (docs/language.md, "Relations"): a rollup's key and
 * aggregates, derived columns and looked-up columns (`deal.won_date`), each resolved and typed
 * column by column, so that `customers` may roll up `orders` while `orders` looks `customers`
 * up. Only a column that depends on itself is a cycle.
 */
export type RelColumn =
  | { origin: 'data'; source: SourceDef; name: string }
  | { origin: 'key'; source: SourceDef; name: string }
  | { origin: 'aggregate'; source: SourceDef; name: string; def: RollupColumn }
  | { origin: 'derive'; source: SourceDef; name: string; def: DerivedColumn }
  | { origin: 'lookup'; source: SourceDef; name: string; lookup: LookupDef; target: SourceDef; column: RelColumn };

/** `deal.owner.team` is two lookups deep; three is the most. */
export const MAX_LOOKUP_DEPTH = 3;

export function isRelational(src: SourceDef): boolean {
  return !!src.from || src.key.length > 0 || src.lookups.size > 0 || src.derive.size > 0;
}

/** The key a lookup target is unique on: a rollup's by construction, or a declared `key`. */
export function targetKey(target: SourceDef): string[] {
  return target.key.map((k) => k.value);
}

export class Relations {
  private readonly types = new Map<string, ColumnType | undefined>();
  private readonly active: { key: string; column: RelColumn }[] = [];
  private readonly names = new Map<string, string[] | undefined>();
  private textColumns?: Map<SourceDef, Set<string>>;
  /** Columns found to depend on themselves, each chain once. */
  readonly cycles: RelColumn[][] = [];
  private readonly cycleKeys = new Set<string>();

  constructor(
    private readonly ctx: Context,
    /** A source's data file columns; undefined when they cannot be known (a table, an unreadable file). */
    private readonly baseShape: (src: SourceDef) => DataShape | undefined,
  ) {}

  source(id: string | undefined): SourceDef | undefined {
    return id === undefined ? undefined : this.ctx.scope.sources.get(id);
  }

  /** The column a name means in a source, or undefined when it names none. */
  column(src: SourceDef, name: string, depth = 0): RelColumn | undefined {
    const derived = src.derive.get(name);
    if (derived) return { origin: 'derive', source: src, name, def: derived };
    if (src.from) {
      const agg = src.aggregate.get(name);
      if (agg) return { origin: 'aggregate', source: src, name, def: agg };
      if (src.key.some((k) => k.value === name)) return { origin: 'key', source: src, name };
    }
    const dot = name.indexOf('.');
    const lookup = dot > 0 ? src.lookups.get(name.slice(0, dot)) : undefined;
    if (lookup) {
      const target = this.source(lookup.source?.value);
      if (!target || depth >= MAX_LOOKUP_DEPTH) return undefined;
      const inner = this.column(target, name.slice(dot + 1), depth + 1);
      return inner && { origin: 'lookup', source: src, name, lookup, target, column: inner };
    }
    if (src.from) return undefined;
    const shape = this.baseShape(src);
    if (!shape) return { origin: 'data', source: src, name };
    const found = matchColumn(name, shape.columns);
    return found === undefined ? undefined : { origin: 'data', source: src, name: found };
  }

  /** Every column name of a source (looked-up ones as `lookup.column`); undefined when its data columns are unknown. */
  columnNames(src: SourceDef, depth = 0): string[] | undefined {
    const memo = `${src.file}\u0000${src.id}\u0000${depth}`;
    if (this.names.has(memo)) return this.names.get(memo);
    this.names.set(memo, undefined); // a lookup back to this source while listing adds nothing
    const base = src.from ? [...src.key.map((k) => k.value), ...src.aggregate.keys()] : this.baseShape(src)?.columns;
    let out: string[] | undefined;
    if (base) {
      out = [...base, ...src.derive.keys()];
      for (const lookup of src.lookups.values()) {
        const target = this.source(lookup.source?.value);
        const inner = target && depth < MAX_LOOKUP_DEPTH ? this.columnNames(target, depth + 1) : undefined;
        if (inner) for (const n of inner) out.push(`${lookup.name}.${n}`);
      }
    }
    this.names.set(memo, out);
    return out;
  }

  /** A column's type; undefined when unknown (or on a cycle, which is recorded). */
  type(col: RelColumn): ColumnType | undefined {
    const key = `${col.source.file}\u0000${col.source.id}\u0000${col.name}`;
    if (this.types.has(key)) return this.types.get(key);
    const at = this.active.findIndex((a) => a.key === key);
    if (at >= 0) {
      this.recordCycle(this.active.slice(at).map((a) => a.column));
      return undefined;
    }
    this.active.push({ key, column: col });
    const t = this.compute(col);
    this.active.pop();
    this.types.set(key, t);
    return t;
  }

  typeOf(src: SourceDef, name: string): ColumnType | undefined {
    const col = this.column(src, name);
    return col && this.type(col);
  }

  private compute(col: RelColumn): ColumnType | undefined {
    const src = col.source;
    switch (col.origin) {
      case 'data': {
        const pinned = src.columns.get(col.name)?.value;
        if (pinned) return pinned;
        if (this.isText(src, col.name)) return 'string';
        // The time column is read as dates, whatever its stray values.
        if (src.time && matchColumn(src.time.value, [col.name]) !== undefined) return 'date';
        const t = this.baseShape(src)?.types.get(col.name);
        return t === 'empty' ? undefined : t;
      }
      case 'key': {
        const from = this.source(src.from?.value);
        return from ? this.typeOf(from, col.name) : undefined;
      }
      case 'aggregate': {
        const fn = col.def.fn?.value;
        if (!fn) return undefined;
        if (fn === 'count' || fn === 'count_distinct' || fn === 'sum' || fn === 'avg') return 'number';
        const from = this.source(src.from?.value);
        return from && col.def.column ? this.typeOf(from, col.def.column.value) : undefined;
      }
      case 'derive': {
        const t = inferRow(this.ctx, col.def.formula.expr, (name) => this.typeOf(src, name), false);
        return t === 'bool' ? 'boolean' : t;
      }
      case 'lookup':
        return this.type(col.column);
    }
  }

  /** Key and join columns are read as text, so that `007` matches `007` on every engine. */
  isText(src: SourceDef, name: string): boolean {
    if (!this.textColumns) {
      this.textColumns = new Map();
      const add = (s: SourceDef, n: string) => { let set = this.textColumns!.get(s); if (!set) this.textColumns!.set(s, (set = new Set())); set.add(n); };
      for (const s of this.ctx.scope.sources.values()) {
        if (s.from) { const from = this.source(s.from.value); if (from) for (const k of s.key) add(from, k.value); }
        else for (const k of s.key) add(s, k.value);
        for (const l of s.lookups.values()) for (const o of l.on) add(s, o.local.value);
      }
    }
    const set = this.textColumns.get(src);
    return !!set && matchColumn(name, [...set]) !== undefined;
  }

  private recordCycle(chain: RelColumn[]): void {
    const key = chain.map((c) => `${c.source.id}.${c.name}`).sort().join('\u0000');
    if (this.cycleKeys.has(key)) return;
    this.cycleKeys.add(key);
    this.cycles.push(chain);
  }
}

/** `orders.cohort → customers.first_order → orders.cohort`, for messages. */
export function spellChain(chain: RelColumn[]): string {
  const first = chain[0]!;
  return [...chain, first].map((c) => `\`${c.source.id}.${c.name}\``).join(' → ');
}
