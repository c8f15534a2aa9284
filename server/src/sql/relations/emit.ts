import type { Dialect } from '../dialect';
import { indentSql, type Cte } from '../sqlText';
import { keyText, sqlTypeName } from './keyText';
import type { Link, Need, RelationalPlan, WSrc } from './plan';

/** The SQL of a relational plan: its CTEs in dependency order and its rows of counts. */
export interface Emitted {
  ctes: Cte[];
  /** `rollup`, `lookup` and `duplicate` rows, in the query's six columns (see read.ts). */
  outputs: string[];
  /**
   * Per source read by metrics, the sources that leave it without rows: those with a `failure`
   * always, key-checked ones when a key value repeats.
   */
  failing: Map<WSrc, WSrc[]>;
  /** A source reads written text (the query needs the `blank` CTE). */
  text: boolean;
}

export function emitRelations(plan: RelationalPlan): Emitted {
  return new Emitter(plan).emit();
}

interface Stage {
  depth: number;
  name: string;
}

class Emitter {
  private readonly d: Dialect;
  private readonly stack: Need[] = [];
  private readonly bases = new Map<WSrc, number>();
  private readonly stages = new Map<WSrc, Stage[]>();
  private readonly items: { depth: number; cte: Cte }[] = [];

  constructor(private readonly plan: RelationalPlan) {
    this.d = plan.d;
  }

  emit(): Emitted {
    const used = [...this.plan.sources.values()].filter((w) => w.used);
    const reached = this.reach(used);
    const failing = new Map<WSrc, WSrc[]>();
    for (const w of used) {
      const all = new Set<WSrc>(w.failure ? [w] : []);
      for (const n of w.needs.values()) for (const f of this.fails(n)) all.add(f);
      failing.set(w, [...all]);
    }
    for (const w of reached) this.stages.set(w, this.stagesOf(w, !!failing.get(w)?.length));
    const outputs: string[] = [];
    for (const w of reached) {
      this.sourceCtes(w);
      if (w.checked && w.keys.length) outputs.push(...this.keyCheck(w));
    }
    for (const w of used) {
      const fails = failing.get(w)!;
      const last = this.stages.get(w)!.at(-1)!.name;
      if (fails.length) {
        this.items.push({ depth: Infinity, cte: { name: `src_${w.tag}`, comment: [`source ${w.def.id}: no rows when what it reads is unknown (a key that is not unique)`], body: `SELECT *\nFROM ${last}\nWHERE ${this.conditions(fails)}`, materialized: true } });
      }
      if (this.statically(w)) continue;
      outputs.push(...this.rollupCounts(w), ...this.lookupCounts(w, last));
    }
    const ctes = this.items.map((x, i) => ({ ...x, i })).sort((a, b) => a.depth - b.depth || a.i - b.i).map((x) => x.cte);
    return { ctes, outputs, failing, text: [...reached].some((w) => w.relation?.kind === 'text') };
  }

  /** The sources the used ones read, through lookups and rollups. */
  private reach(used: WSrc[]): Set<WSrc> {
    const out = new Set<WSrc>(used);
    for (const w of out) {
      if (w.from) out.add(w.from);
      for (const n of w.needs.values()) {
        if (n.input) out.add(n.input.src);
        if (n.link) out.add(n.link.target);
      }
    }
    return out;
  }

  /** A source's own failure (an error, no data): then the engine reports no counts either. */
  private statically(w: WSrc): boolean {
    return !!w.failure || !!w.from?.failure;
  }

  // ---- depths -----------------------------------------------------------------------------

  /** The depth of a source's own rows: 0 for a file, one more than its key's inputs for a rollup. */
  private base(w: WSrc): number {
    const known = this.bases.get(w);
    if (known !== undefined) return known;
    this.bases.set(w, 1);
    let d = 0;
    if (w.from) {
      const inputs = w.keys.flatMap((k) => (k.input && !k.dead ? [k.input] : []));
      const ord = w.needs.has('#n') ? w.from.needs.get('#n') : undefined;
      if (ord) inputs.push(ord);
      d = 1 + Math.max(0, ...inputs.map((n) => this.depth(n)));
    }
    this.bases.set(w, d);
    return d;
  }

  /** The CTE a column is computed in: one after the last of its inputs. */
  depth(n: Need): number {
    if (n.depth !== undefined) return n.depth;
    const at = this.stack.indexOf(n);
    if (at >= 0) {
      // A column that depends on itself (the checker reports it): it and its chain are null.
      for (const x of this.stack.slice(at)) x.dead = true;
      return this.base(n.src) + 1;
    }
    this.stack.push(n);
    const d = this.compute(n);
    this.stack.pop();
    n.depth = n.dead ? this.base(n.src) + 1 : d;
    return n.depth;
  }

  private compute(n: Need): number {
    const w = n.src;
    const after = (list: (Need | undefined)[]) => 1 + Math.max(0, ...list.filter((x): x is Need => !!x).map((x) => this.depth(x)));
    if (n.dead) return this.base(w) + 1;
    switch (n.kind) {
      case 'data': return 0;
      case 'day': return n.input ? this.depth(n.input) : 0;
      case 'ord': case 'key': return this.base(w);
      case 'agg': return Math.max(this.base(w), this.aggDepth(n));
      case 'derive': return Math.max(this.base(w) + 1, after(n.refs ?? []));
      case 'lookup': case 'matched': {
        const l = n.link!;
        return Math.max(this.base(w) + 1, after([...l.on, ...l.key, n.input]));
      }
    }
  }

  private aggDepth(n: Need): number {
    const f = n.src.from!;
    const list = n.src.keys.flatMap((k) => (k.input ? [k.input] : []));
    if (n.input) list.push(n.input);
    if (n.fn === 'first' || n.fn === 'last') for (const x of [f.needs.get('#day'), f.needs.get('#n')]) if (x) list.push(x);
    return 1 + Math.max(0, ...list.map((x) => this.depth(x)));
  }

  /** The sources whose failure (an error, no data, a duplicate key) leaves a column unknown. */
  private fails(n: Need): Set<WSrc> {
    if (n.fails) return n.fails;
    const out = new Set<WSrc>();
    n.fails = out;
    const w = n.src;
    const add = (x: Need | undefined) => { if (x) for (const s of this.fails(x)) out.add(s); };
    if (w.failure) out.add(w);
    if (n.kind === 'key' || n.kind === 'agg' || (n.kind === 'ord' && w.from)) {
      if (w.from?.failure) out.add(w.from);
      for (const k of w.keys) add(k.input);
    }
    if (n.kind === 'agg' && (n.fn === 'first' || n.fn === 'last')) { add(w.from?.needs.get('#day')); add(w.from?.needs.get('#n')); }
    for (const r of n.refs ?? []) add(r);
    if (n.link) {
      for (const x of [...n.link.on, ...n.link.key]) add(x);
      if (n.link.target.checked || n.link.target.failure) out.add(n.link.target);
    }
    add(n.input);
    return out;
  }

  private conditions(fails: WSrc[]): string {
    if (fails.some((f) => f.failure)) return '1 = 0';
    return fails.map((f) => `NOT EXISTS (SELECT 1 FROM dup_${f.tag})`).join('\n  AND ');
  }

  // ---- the CTEs -----------------------------------------------------------------------------

  /** The depths a source has columns at; the last CTE is `src_<tag>` unless rows are filtered after it. */
  private stagesOf(w: WSrc, filtered: boolean): Stage[] {
    const depths = new Set<number>([this.base(w)]);
    for (const n of w.needs.values()) depths.add(this.depth(n));
    const sorted = [...depths].sort((a, b) => a - b);
    return sorted.map((depth, i) => ({ depth, name: i === sorted.length - 1 && !filtered ? `src_${w.tag}` : `rel_${w.tag}_${depth}` }));
  }

  /** The last CTE of a source holding every column of depth ≤ d. */
  private stageAt(w: WSrc, d: number): string {
    const stages = this.stages.get(w)!;
    let name = stages[0]!.name;
    for (const s of stages) if (s.depth <= d) name = s.name;
    return name;
  }

  private sourceCtes(w: WSrc): void {
    const stages = this.stages.get(w)!;
    const byDepth = new Map<number, Need[]>();
    for (const n of w.needs.values()) {
      const d = this.depth(n);
      let list = byDepth.get(d);
      if (!list) byDepth.set(d, (list = []));
      if (!list.includes(n)) list.push(n);
    }
    for (const [i, s] of stages.entries()) {
      const needs = byDepth.get(s.depth) ?? [];
      if (i === 0 && !w.from) {
        const day = w.needs.get('#day');
        for (const cte of w.projection!.ctes(s.name, w.tag, day?.sql ? [`${day.sql} AS __day`] : [])) this.items.push({ depth: s.depth, cte });
      } else if (i === 0) this.items.push({ depth: s.depth, cte: this.rollupBase(w, s, needs) });
      else this.items.push({ depth: s.depth, cte: this.stage(w, s, stages[i - 1]!.name, needs) });
    }
  }

  private indent(text: string): string {
    return indentSql(text, 2, this.d);
  }

  private select(cols: string[]): string {
    return `SELECT\n${this.indent((cols.length ? cols : ['1 AS __one']).join(',\n'))}`;
  }

  private nul(n: Need): string {
    return `CAST(NULL AS ${sqlTypeName(this.d, n.type)})`;
  }

  /** A rollup's key values as text, over `f` (its rows' source). */
  private keyTexts(w: WSrc): string[] {
    return w.keys.map((k) => (k.input && !k.dead ? keyText(this.d, `f.${k.input.alias}`, k.input.type) : `CAST(NULL AS ${this.d.text})`));
  }

  /** One row per key: the rows of the rolled-up source grouped by the key's text, empty keys left out. */
  private rollupBase(w: WSrc, s: Stage, needs: Need[]): Cte {
    const keys = this.keyTexts(w);
    const cols: string[] = [];
    const expr = (n: Need): string => {
      if (n.dead) return this.nul(n);
      if (n.kind === 'key') {
        const i = w.keys.indexOf(n);
        const t = n.input!.type;
        if (t === 'number' || t === 'date') return `MIN(f.${n.input!.alias})`;
        if (t === 'bool') return `(CASE WHEN ${keys[i]} = 'true' THEN TRUE WHEN ${keys[i]} = 'false' THEN FALSE END)`;
        return keys[i]!;
      }
      if (n.kind === 'ord') return 'MIN(f.__n)';
      if (n.kind === 'day') return n.input ? expr(n.input) : 'CAST(NULL AS DATE)';
      return this.aggregate(n);
    };
    for (const n of needs) cols.push(`${expr(n)} AS ${n.alias}`);
    const from = w.from!;
    const where = keys.length ? keys.map((k) => `${k} IS NOT NULL`).join(' AND ') : '1 = 0';
    return {
      name: s.name, comment: [`rollup ${w.def.id}: one row per ${w.def.key.map((k) => k.value).join(', ')} of ${from.def.id}`], materialized: true,
      body: `${this.select(cols)}\nFROM ${this.stageAt(from, s.depth - 1)} AS f\nWHERE ${where}${keys.length ? `\nGROUP BY ${keys.join(', ')}` : ''}`,
    };
  }

  /** A rollup column over the rows `f` of its key; empty values are skipped (SQL's aggregates do). */
  private aggregate(n: Need): string {
    const d = this.d;
    const x = n.input ? `f.${n.input.alias}` : '';
    const t = n.input?.type;
    const num = t === 'number' ? x : t === 'native' ? `CAST(${x} AS ${d.double})` : `CAST(NULL AS ${d.double})`;
    switch (n.fn) {
      case 'count': return `CAST(COUNT(*) AS ${d.double})`;
      case 'count_distinct': return `CAST(COUNT(DISTINCT ${x}) AS ${d.double})`;
      case 'sum': return `SUM(${num})`;
      case 'avg': return `AVG(${num})`;
      case 'min': case 'max': return `${n.fn.toUpperCase()}(${t === 'native' ? num : x})`;
      default: {
        // By the rolled-up source's day (rows without one last), then by the row's place in its file.
        const day = n.src.from!.needs.get('#day');
        return d.firstValue(x, { day: day ? 'f.__day' : undefined, n: 'f.__n' }, n.fn === 'last');
      }
    }
  }

  /** Columns computed on the previous CTE's rows (`p`): derived columns, lookups (LEFT JOINs), a rollup's later aggregates. */
  private stage(w: WSrc, s: Stage, prev: string, needs: Need[]): Cte {
    const d = this.d;
    const joins: string[] = [];
    const joined = new Map<Link, string>();
    const join = (l: Link): string => {
      let alias = joined.get(l);
      if (alias) return alias;
      alias = `j${joined.size + 1}`;
      joined.set(l, alias);
      const stage = this.stageAt(l.target, s.depth - 1);
      // A target whose key is not unique is joined with no rows: a fan-out never happens.
      const target = l.target.checked ? `(SELECT * FROM ${stage} WHERE NOT EXISTS (SELECT 1 FROM dup_${l.target.tag}))` : stage;
      const on = l.on.map((o, i) => `${keyText(d, `p.${o.alias}`, o.type)} = ${keyText(d, `${alias}.${l.key[i]!.alias}`, l.key[i]!.type)}`);
      joins.push(`LEFT JOIN ${target} AS ${alias} ON ${on.join(' AND ')}`);
      return alias!;
    };
    const late = needs.filter((n) => n.kind === 'agg' && !n.dead);
    if (late.length) {
      const keys = this.keyTexts(w);
      const inner = [...keys.map((k, i) => `${k} AS __k${i + 1}`), ...late.map((n) => `${this.aggregate(n)} AS ${n.alias}`)];
      const on = w.keys.map((k, i) => `g.__k${i + 1} = ${keyText(d, `p.${k.alias}`, k.type)}`);
      joins.push(`LEFT JOIN (\n${this.indent(`${this.select(inner)}\nFROM ${this.stageAt(w.from!, s.depth - 1)} AS f\nWHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')}\nGROUP BY ${keys.join(', ')}`)}\n) AS g ON ${on.join(' AND ')}`);
    }
    const expr = (n: Need): string => {
      if (n.dead) return this.nul(n);
      switch (n.kind) {
        case 'derive': return n.sql!;
        case 'lookup': return `${join(n.link!)}.${n.input!.alias}`;
        case 'matched': return `(${join(n.link!)}.${n.link!.key[0]!.alias} IS NOT NULL)`;
        case 'agg': return `g.${n.alias}`;
        case 'day': return n.input ? expr(n.input) : 'CAST(NULL AS DATE)';
        default: return this.nul(n);
      }
    };
    const cols = ['p.*', ...needs.map((n) => `${expr(n)} AS ${n.alias}`)];
    const what = needs.map((n) => (n.kind === 'matched' ? `matched(${n.link?.def.name ?? '?'})` : n.kind === 'day' ? '__day' : [...w.needs].find(([, x]) => x === n)?.[0] ?? n.alias));
    return {
      name: s.name, comment: [`source ${w.def.id}: ${what.join(', ')}`], materialized: true,
      body: `SELECT\n${this.indent(cols.join(',\n'))}\nFROM ${prev} AS p${joins.length ? `\n${joins.join('\n')}` : ''}`,
    };
  }

  // ---- keys checked unique, and counts --------------------------------------------------------

  /** `dup_<tag>`: the key values more than one row holds; `dupat_<tag>`: the first such pair of rows, for the message. */
  private keyCheck(w: WSrc): string[] {
    const d = this.d;
    const depth = Math.max(0, ...w.keys.map((k) => this.depth(k)));
    const stage = this.stageAt(w, depth);
    const ks = w.keys.map((k, i) => `${k.dead ? `CAST(NULL AS ${d.text})` : keyText(d, `t.${k.alias}`, k.type)} AS __k${i + 1}`);
    const names = w.keys.map((_, i) => `__k${i + 1}`);
    const keyed = `(SELECT ${[...ks, 't.__n'].join(', ')} FROM ${stage} AS t) AS t`;
    this.items.push({
      depth: depth + 0.5,
      cte: {
        name: `dup_${w.tag}`, comment: [`source ${w.def.id}: key values held by more than one row (a lookup onto it would count rows twice)`],
        body: `SELECT ${names.join(', ')}, COUNT(*) AS __rows\nFROM ${keyed}\nWHERE ${names.map((k) => `${k} IS NOT NULL`).join(' AND ')}\nGROUP BY ${names.join(', ')}\nHAVING COUNT(*) > 1`,
      },
    });
    const part = names.map((k) => `t.${k}`).join(', ');
    this.items.push({
      depth: depth + 0.5,
      cte: {
        name: `dupat_${w.tag}`, comment: [`source ${w.def.id}: the repeated key met first in the file, with its first two rows`],
        body: `SELECT ${names.map((k) => `x.${k}`).join(', ')}, x.__a, x.__b\nFROM (\n  SELECT ${part}, MIN(t.__n) OVER (PARTITION BY ${part}) AS __a, t.__n AS __b, ROW_NUMBER() OVER (PARTITION BY ${part} ORDER BY t.__n) AS __i\n  FROM ${keyed}\n  JOIN dup_${w.tag} AS u ON ${names.map((k) => `u.${k} = t.${k}`).join(' AND ')}\n) AS x\nWHERE x.__i = 2\nORDER BY x.__b\nLIMIT 1`,
      },
    });
    return names.map((k, i) => `SELECT 'duplicate', ${d.string(w.def.id)}, '${i}', ${k}, CAST(__a AS ${d.text}), CAST(__b AS ${d.double}) FROM dupat_${w.tag}`);
  }

  /** A used rollup: its rolled-up source's rows and those with an empty key. */
  private rollupCounts(w: WSrc): string[] {
    if (!w.from) return [];
    const d = this.d;
    const keys = this.keyTexts(w);
    const groupFails = new Set<WSrc>();
    for (const k of w.keys) if (k.input) for (const f of this.fails(k.input)) groupFails.add(f);
    if ([...groupFails].some((f) => f.failure)) return [];
    const base = this.base(w);
    this.items.push({
      depth: base + 0.5,
      cte: {
        name: `rollup_${w.tag}`, comment: [`rollup ${w.def.id}: the rows of ${w.from.def.id}, and those with an empty key (in no row)`],
        body: `SELECT COUNT(*) AS __rows, COUNT(CASE WHEN ${keys.length ? keys.map((k) => `${k} IS NULL`).join(' OR ') : '1 = 1'} THEN 1 END) AS __unkeyed\nFROM ${this.stageAt(w.from, base - 1)} AS f`,
      },
    });
    const where = groupFails.size ? ` WHERE ${this.conditions([...groupFails])}` : '';
    const nul = `CAST(NULL AS ${d.text})`;
    return [
      `SELECT 'rollup', ${d.string(w.def.id)}, 'rows', ${nul}, ${nul}, CAST(__rows AS ${d.double}) FROM rollup_${w.tag}${where}`,
      `SELECT 'rollup', ${d.string(w.def.id)}, 'unkeyed', ${nul}, ${nul}, CAST(__unkeyed AS ${d.double}) FROM rollup_${w.tag}${where}`,
    ];
  }

  /** A used source's lookups: how many of its rows found their match (all rows, before any filter). */
  private lookupCounts(w: WSrc, stage: string): string[] {
    const d = this.d;
    const list = [...w.def.lookups.values()].map((l) => w.needs.get(`#m:${l.name}`)).filter((n): n is Need => !!n && !n.dead);
    if (!list.length) return [];
    this.items.push({
      depth: Infinity,
      cte: {
        name: `lookups_${w.tag}`, comment: [`source ${w.def.id}: rows, and rows matched by each lookup`],
        body: `SELECT COUNT(*) AS __rows${list.map((n, i) => `, COUNT(CASE WHEN ${n.alias} THEN 1 END) AS __m${i + 1}`).join('')}\nFROM ${stage}`,
      },
    });
    const out: string[] = [];
    list.forEach((n, i) => {
      const fails = [...this.fails(n)].filter((f) => f !== w || !w.failure);
      if (fails.some((f) => f.failure)) return;
      const where = fails.length ? ` WHERE ${this.conditions(fails)}` : '';
      const name = d.string(n.link!.def.name);
      out.push(`SELECT 'lookup', ${d.string(w.def.id)}, ${name}, 'matched', CAST(NULL AS ${d.text}), CAST(__m${i + 1} AS ${d.double}) FROM lookups_${w.tag}${where}`);
      out.push(`SELECT 'lookup', ${d.string(w.def.id)}, ${name}, 'unmatched', CAST(NULL AS ${d.text}), CAST(__rows - __m${i + 1} AS ${d.double}) FROM lookups_${w.tag}${where}`);
    });
    return out;
  }
}
