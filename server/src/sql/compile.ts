import type { Encoding } from '../data/encoding';
import { brokenDefinitions, type EvalOptions } from '../engine/run';
import type { EvalProblem } from '../engine/results';
import { MetricsRead } from '../language/analysis/metricsRead';
import { dependenciesFirst, kpisNamedBy } from '../language/analysis/order';
import type { Expr } from '../language/formula/ast';
import { printFormula } from '../language/formula/printer';
import { forEachNode } from '../language/analysis/references';
import { LineIndex } from '../language/lineIndex';
import type { Definition, Grain, KpiDef, MetricDef, SourceDef, SpecFile } from '../language/model';
import type { Problem } from '../language/problem';
import type { Scope, Workspace } from '../language/workspace';
import { DIALECT, type Dialect, type DialectName } from './dialect';
import { firstSeenCtes, retainedCtes } from './customers';
import { CompileError, KpiCompiler, WhereCompiler, type GridColumn, type SqlExpr } from './expr';
import { emitRelations } from './relations/emit';
import { RelationalPlan, type WSrc } from './relations/plan';
import { relationsInfo, type RelationsInfo } from './relations/info';
import { Projection, resolveSource, type Bindings, type ReadCheck, type SourceRelation } from './sources';
import { indentSql, queryBody, queryText, type Cte } from './sqlText';
import { weightedAggregate } from './weighted';
import { rowsCte, timelineCtes } from './timeline';
import { isRelational } from '../language/analysis/relations';

/**
 * Compiles a spec (its KPIs at a grain, over a range, with their breakdowns) into one SQL
 * query. The query returns rows of six columns:
 *
 * | kind     | kpi       | dimension          | grp               | period           | value      |
 * |----------|-----------|--------------------|-------------------|------------------|------------|
 * | `value`  | KPI id    | `''` for the total | the group or null | the period's key | the value  |
 * | `source` | source id |                    | first day         | last day         | row count  |
 * | `range`  |           |                    | first day         | last day         |            |
 *
 * Sources with relations add `rollup`, `lookup` and `duplicate` rows (relations/emit.ts).
 *
 * `read.ts` turns them into the results model with the engine's own code (targets, status,
 * latest, goals). The SQL follows the in-process engine's semantics (docs/evaluation.md): each
 * metric is aggregated over its own source per (period, group), metrics meet on (period,
 * group) over a grid holding every period of the timeline and every group of the KPI's
 * sources, KPI formulas are computed on that grid, and the time functions are window functions
 * over it.
 */
export interface CompileOptions extends EvalOptions, Bindings {
  dialect: DialectName;
  /** The checker's problems for the file; definitions with an error inside are not compiled. */
  checked?: Problem[];
  /** Names the spec in the header comment (`kpispec samples/webshop.kpi.yaml`). */
  title?: string;
}

export interface Compiled {
  sql: string;
  dialect: DialectName;
  grain: Grain;
  /** What could not be compiled, and warnings (a file source assumed to be a table). */
  problems: EvalProblem[];
  /** Each source the query reads, by id: as shown in results, its dimensions and its problems. */
  sources: Map<string, CompiledSource>;
  /** Rollups, lookups and keys checked unique: what the counts and duplicate rows mean (read.ts). */
  relations?: RelationsInfo;
  /**
   * DuckDB, when sources are read by a grouped scan: each scan as a query of its own, and the
   * query reading them as tables of those names. Two queries of one evaluation (the range, then
   * the same days of the previous period) then read each file once (see sql/evaluate.ts).
   */
  scans?: { tables: { name: string; sql: string }[]; sql: string };
}

export interface CompiledSource {
  file: string;
  dimensions: string[];
  problems: EvalProblem[];
  /** The time column, when the source has one. */
  time?: string;
  /** The columns whose unreadable values the query counts (`unreadable` rows), and how to show them. */
  reads?: SourceReads;
}

export interface SourceReads {
  checks: ReadCheck[];
  /** Where the values are written (the data file, else the spec), and the source's `time_format`. */
  file: string;
  timeFormat?: string;
  /** The query giving the first unreadable values with their rows' places (see Projection.examplesQuery). */
  examples?: string;
  csv?: { path: string; delimiter?: string; encoding?: Encoding };
}

/** A source as the query reads it. */
interface Src {
  def: SourceDef;
  tag: string;
  projection?: Projection;
  relation?: SourceRelation;
  timed: boolean;
  problems: EvalProblem[];
  /** Aggregate CTEs by axis ('' = total): the metric columns each holds, with their SQL. */
  aggs: Map<string, Agg>;
  /** The source CTE's first columns (the local day of the time column). */
  head: string[];
  /** A source of the relational graph: its CTEs and columns come from the plan. */
  world?: WSrc;
}

interface Agg {
  name: string;
  exprs: Map<string, string>;
  comment: string[];
}

/** A KPI grid: one row per period and group; metrics meet here and KPIs are computed on it. */
interface Grid {
  name: string;
  timed: boolean;
  dimension: string;
  sources: Src[];
  /** KPIs whose values the query returns from this grid. */
  outputs: KpiDef[];
  columns: Map<string, GridColumn>;
  /** Columns per layer (0: metrics), in order. */
  layers: { alias: string; sql: string; comment?: string }[][];
  hiddenCount: number;
  /** Per-metric CTEs joined to the grid (retained, first_seen). */
  extra: { name: string; alias: string }[];
}

export function compileSpec(ws: Workspace, file: string, options: CompileOptions): Compiled {
  return new Compiler(ws, file, options).compile();
}

class Compiler {
  private readonly d: Dialect;
  private readonly spec: SpecFile;
  private readonly scope: Scope;
  private readonly grain: Grain;
  private readonly broken = new Set<Definition>();
  private readonly problems: EvalProblem[] = [];
  private readonly ctes: Cte[] = [];
  private readonly srcs = new Map<SourceDef, Src>();
  private readonly tags = new Set<string>();
  private readonly lines = new Map<string, LineIndex>();
  private hasTimeline = false;
  private readonly metricsRead: MetricsRead;
  /** Rollups, lookups and derived columns, when the spec has any. */
  private plan?: RelationalPlan;
  private readonly brokenMessages = new Map<Definition, string>();
  private readonly unreadable = new Set<Definition>();

  constructor(
    private readonly ws: Workspace,
    private readonly file: string,
    private readonly options: CompileOptions,
  ) {
    this.d = DIALECT[options.dialect];
    const spec = ws.load(file).parsed?.spec;
    if (!spec) throw new Error(`internal: ${file} is not loaded`);
    this.spec = spec;
    this.scope = ws.scope(file);
    this.metricsRead = new MetricsRead(this.scope);
    this.grain = options.grain ?? spec.defaults.grain;
  }

  compile(): Compiled {
    for (const { def, error } of brokenDefinitions(this.ws, this.file, this.options.checked)) {
      this.broken.add(def);
      // A data file the checker could not read is not read again (its problem is said once).
      if (error.rule === 'data-file-unreadable') this.unreadable.add(def);
      this.brokenMessages.set(def, `\`${def.id}\` is not evaluated: ${error.message}`);
    }
    if ([...this.scope.sources.values()].some(isRelational)) {
      this.plan = new RelationalPlan(this.ws, this.spec, this.scope, this.d, {
        ...this.options, timezone: this.spec.defaults.timezone, broken: this.brokenMessages,
        tag: (def) => this.tag(this.safe(def.id)),
        problem: (def, e, what) => this.problem(this.located(def.file, e.span.offset, e.span.length, `${what} cannot be compiled to SQL: ${e.message}`)),
      });
    }
    const kpis = [...this.spec.kpis.values()].filter((k) => !this.options.kpis || this.options.kpis.includes(k.id));

    // Every source a requested KPI reads is read (as the engine does), even for KPIs with errors.
    const used: SourceDef[] = [];
    for (const k of kpis) for (const m of this.metricsOf(k)) { const s = this.sourceOf(m); if (s && !used.includes(s)) used.push(s); }
    for (const s of used) this.addSource(s);
    const timedSources = used.map((s) => this.srcs.get(s)!).filter((s) => s.timed);
    if (timedSources.length) {
      this.hasTimeline = true;
      this.ctes.push(...timelineCtes(this.d, this.grain, this.options, timedSources.filter((s) => this.readable(s)).map((s) => s.tag)));
    }
    for (const s of used) {
      const src = this.srcs.get(s)!;
      if (this.readable(src)) this.ctes.push(rowsCte(this.d, this.grain, src.tag, s.id, src.timed));
    }

    const grids = this.planGrids(kpis.filter((k) => !this.broken.has(k) && k.formula));
    for (const g of grids) this.buildGrid(g);
    const { sql, relations, scans } = this.assemble(grids, used);
    const sources = new Map<string, CompiledSource>();
    for (const s of used) {
      const src = this.srcs.get(s)!;
      const file = s.from ? `from: ${s.from.value}` : src.relation?.shown ?? s.path?.value ?? '';
      const reads = this.readsOf(src);
      const p = this.projectionOf(src);
      const dataFile = (src.relation ?? src.world?.relation)?.file ?? s.file;
      for (const message of p?.missingColumns() ?? []) src.problems.push({ severity: 'warning', message, file: dataFile });
      const time = s.time && p?.hasTime() !== false ? { time: s.time.value } : {};
      sources.set(s.id, { file, dimensions: s.dimensions.map((x) => x.value), problems: src.problems, ...time, ...(reads ? { reads } : {}) });
    }
    return { sql, dialect: this.d.name, grain: this.grain, problems: this.problems, sources, ...(relations ? { relations } : {}), ...(scans ? { scans } : {}) };
  }

  // ---- the spec --------------------------------------------------------------------------

  /** The metrics a KPI reads, through the KPIs it uses (as the engine finds them). */
  private metricsOf(kpi: KpiDef): ReadonlySet<MetricDef> {
    return this.metricsRead.of(kpi);
  }

  private sourceOf(m: MetricDef): SourceDef | undefined {
    return m.source ? this.scope.sources.get(m.source.value) : undefined;
  }

  private sourcesOf(k: KpiDef): Src[] {
    const out: Src[] = [];
    for (const m of this.metricsOf(k)) {
      const s = this.sourceOf(m);
      const src = s && this.srcs.get(s);
      if (src && !out.includes(src)) out.push(src);
    }
    return out.sort((a, b) => (a.def.id < b.def.id ? -1 : a.def.id > b.def.id ? 1 : 0));
  }

  private located(file: string, offset: number, length: number, message: string, severity: EvalProblem['severity'] = 'error'): EvalProblem {
    let lines = this.lines.get(file);
    if (!lines) this.lines.set(file, (lines = new LineIndex(this.ws.load(file).parsed?.spec.text ?? '')));
    const pos = lines.positionAt(offset);
    return { severity, message, file, offset, length, line: pos.line + 1, column: pos.character + 1 };
  }

  private readonly safeIds = new Map<string, string>();

  /**
   * An id as it may appear inside a generated identifier. Ids of a healthy spec are
   * `[a-z][a-z0-9_]*` already; anything else (an imported file with a bad id) gets a number.
   */
  private safe(id: string): string {
    let s = this.safeIds.get(id);
    if (s === undefined) {
      s = /^[a-z][a-z0-9_]{0,40}$/.test(id) && !id.includes('__') ? id : `q__${this.safeIds.size + 1}`;
      this.safeIds.set(id, s);
    }
    return s;
  }

  private tag(base: string): string {
    let t = base;
    for (let i = 2; this.tags.has(t); i++) t = `${base}_${i}`;
    this.tags.add(t);
    return t;
  }

  // ---- sources ---------------------------------------------------------------------------

  private addSource(def: SourceDef): void {
    if (this.plan?.inWorld(def)) {
      const w = this.plan.use(def);
      this.srcs.set(def, { def, tag: w.tag, relation: w.relation, timed: !!def.time, problems: w.problems, aggs: new Map(), head: [], world: w });
      if (w.relation?.warning) {
        const at = def.path ?? def.table ?? { span: def.idSpan };
        w.problems.push(this.located(def.file, at.span.offset, at.span.length, w.relation.warning, 'warning'));
      }
      return;
    }
    const src: Src = { def, tag: this.tag(this.safe(def.id)), timed: false, problems: [], aggs: new Map(), head: [] };
    this.srcs.set(def, src);
    if (this.unreadable.has(def)) return;
    const resolved = resolveSource(this.ws, def, this.d, this.options);
    if ('problem' in resolved) {
      src.problems.push({ severity: 'error', message: resolved.problem, file: def.file });
      return;
    }
    src.relation = resolved.relation;
    if (resolved.relation.warning) {
      const at = def.path ?? def.table ?? { span: def.idSpan };
      src.problems.push(this.located(def.file, at.span.offset, at.span.length, resolved.relation.warning, 'warning'));
    }
    const p = new Projection(this.d, def, resolved.relation, this.spec.defaults.timezone, undefined, this.groupable(def));
    src.projection = p;
    src.timed = !!def.time;
    // The columns every use needs, so that the source's CTE is complete before metrics read it.
    // A grouped scan groups by what is read: a text dimension no KPI breaks down by is left out
    // (its CTE is written once every use is known); a typed one is read for its unreadable
    // values, and one the data lacks is said.
    for (const dim of def.dimensions) if (!p.weight || def.columns.has(dim.value) || !p.has(dim.value)) p.column(dim.value);
    if (def.time) src.head.push(`${p.day()} AS __day`);
    // Names any metric over the source reads, compiled or not: those the data lacks are said, as in process.
    for (const m of this.scope.names.values()) {
      if (m.kind !== 'metric' || m.source?.value !== def.id) continue;
      if (m.column) p.note(m.column.value);
      if (m.where) forEachNode(m.where.expr, (e) => { if (e.kind === 'name') p.note(e.name); });
    }
    // Metric columns and filters add their columns as they compile; the body is written last.
    this.ctes.push({ name: `src_${src.tag}`, comment: [`source ${def.id}: ${resolved.relation.shown}`], body: '', materialized: true });
  }

  /**
   * Whether a CSV source is read through a grouped scan (groupedScan.ts) on DuckDB: its numbers
   * are plain (`.` decimals, no declared thousands separator, which the scan's cast does not
   * read), and no metric over it follows ids row by row (`retained`, `first_seen`).
   */
  private groupable(def: SourceDef): boolean {
    if (this.d.name !== 'duckdb' || this.options.textReads || def.decimal?.value === ',' || def.thousands) return false;
    for (const m of this.scope.names.values()) {
      if (m.kind === 'metric' && m.source?.value === def.id && (m.agg?.value === 'retained' || m.agg?.value === 'first_seen')) return false;
    }
    return true;
  }

  /** How many rows of the file a row of the source's CTE stands for (`__w` when grouped), for counts. */
  private rowCount(src: Src): string {
    const w = this.projectionOf(src)?.weight;
    return w ? `COALESCE(SUM(${w}), 0)` : 'COUNT(*)';
  }

  /** Fills the source CTEs once every column is known (metrics register theirs while compiling). */
  private finishSources(): void {
    for (const src of this.srcs.values()) {
      const at = this.ctes.findIndex((c) => c.name === `src_${src.tag}`);
      if (at < 0 || !src.projection || src.world) continue;
      this.ctes.splice(at, 1, ...src.projection.ctes(`src_${src.tag}`, src.tag, src.head));
    }
  }

  private projectionOf(src: Src): Projection | undefined {
    return src.projection ?? src.world?.projection;
  }

  private readsOf(src: Src): SourceReads | undefined {
    const p = this.projectionOf(src);
    if (!p?.checked?.checks.length) return undefined;
    const rel = src.relation ?? src.world?.relation;
    const examples = p.examplesQuery();
    return {
      checks: p.checked.checks,
      file: rel?.file ?? src.def.file,
      ...(src.def.timeFormat ? { timeFormat: src.def.timeFormat.value } : {}),
      ...(examples ? { examples } : {}),
      ...(rel?.csv ? { csv: rel.csv } : {}),
    };
  }

  /** Whether the query can read the source's rows (its data was found). */
  private readable(src: Src): boolean {
    return !!src.projection || !!src.world;
  }

  /** A column of a source by its spec name (an alias of the source's CTE); `numeric`: summed or averaged. */
  private columnOf(src: Src, name: string, numeric = false): SqlExpr {
    if (src.world) return this.plan!.column(src.world, name, '', numeric) ?? { sql: `CAST(NULL AS ${this.d.text})`, type: 'null' };
    return src.projection!.column(name, numeric);
  }

  /** A `where` filter over a source's rows. */
  private whereOf(src: Src, expr: Expr): string {
    const w = src.world;
    if (w) return new WhereCompiler(this.d, (name) => this.plan!.column(w, name, ''), (l) => this.plan!.matched(w, l, '')).compile(expr).sql;
    const p = src.projection!;
    return new WhereCompiler(this.d, (name) => (p.has(name) ? p.column(name) : undefined)).compile(expr).sql;
  }

  // ---- grids -----------------------------------------------------------------------------

  private planGrids(kpis: KpiDef[]): Grid[] {
    const grids = new Map<string, Grid>();
    const grid = (timed: boolean, dimension: string, sources: Src[]): Grid => {
      const key = `${timed ? 't' : 'u'}|${dimension}|${dimension ? sources.map((s) => s.def.id).join(',') : ''}`;
      let g = grids.get(key);
      if (!g) {
        const base = dimension ? `by_${/^[A-Za-z0-9_]{1,30}$/.test(dimension) ? dimension.toLowerCase() : 'dim'}` : timed ? 'total' : 'total_untimed';
        g = { name: this.tag(base), timed, dimension, sources: dimension ? [...sources] : [], outputs: [], columns: new Map(), layers: [[]], hiddenCount: 0, extra: [] };
        grids.set(key, g);
      }
      return g;
    };
    for (const k of kpis) {
      const sources = this.sourcesOf(k);
      const defs = [...this.metricsOf(k)].map((m) => this.sourceOf(m)).filter((s): s is SourceDef => !!s);
      const timed = defs.some((s) => s.time);
      if (timed && !this.hasTimeline) continue;
      grid(timed, '', sources).outputs.push(k);
      const dims = this.options.by ? [this.options.by] : k.by.map((b) => b.value);
      for (const dim of dims) {
        // A breakdown a source cannot give is reported by the results (and the checker).
        if (defs.some((s) => !s.dimensions.some((x) => x.value === dim))) continue;
        if (!grid(timed, dim, sources).outputs.includes(k)) grid(timed, dim, sources).outputs.push(k);
      }
    }
    return [...grids.values()];
  }

  private buildGrid(g: Grid): void {
    const window = g.dimension ? 'PARTITION BY __g ORDER BY __p' : 'ORDER BY __p';
    const addKpi = (k: KpiDef): GridColumn | undefined => {
      const known = g.columns.get(k.id);
      if (known) return known;
      if (this.broken.has(k) || !k.formula) return undefined;
      // Dependencies first: a KPI's column is in a layer after every column it reads.
      for (const dep of dependenciesFirst(k, (x) => kpisNamedBy(x, this.scope).filter((d) => !g.columns.has(d.id)))) {
        if (dep === k || g.columns.has(dep.id)) continue;
        addKpi(dep);
      }
      const col = this.formulaColumn(g, k.formula.expr, `k_${this.safe(k.id)}`, window, `kpi: ${k.id} = ${printFormula(k.formula.expr)}`);
      g.columns.set(k.id, col);
      return col;
    };
    for (const k of g.outputs) addKpi(k);
  }

  /** A column computing a KPI formula (or a time function's argument) in the first layer that can. */
  private formulaColumn(g: Grid, expr: Expr, alias: string, window: string, comment?: string): GridColumn {
    const c = new KpiCompiler(
      this.d,
      (name) => this.gridName(g, name),
      (e) => this.formulaColumn(g, e, `w_${++g.hiddenCount}`, window, undefined),
      window,
    );
    let sql: string;
    try {
      sql = c.compile(expr).sql;
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      const def = [...this.scope.names.values()].find((x) => x.kind === 'kpi' && `k_${this.safe(x.id)}` === alias);
      this.problem(this.located(def?.file ?? this.file, e.span.offset, e.span.length, `${def ? `KPI \`${def.id}\`` : 'a formula'} cannot be compiled to SQL: ${e.message}`));
      sql = `CAST(NULL AS ${this.d.double})`;
    }
    const level = c.level + 1;
    while (g.layers.length <= level) g.layers.push([]);
    g.layers[level]!.push({ alias, sql, comment });
    return { alias, level, sql };
  }

  /** A name in a KPI formula on a grid: a metric (layer 0) or a KPI column. */
  private gridName(g: Grid, name: string): GridColumn | undefined {
    const def = this.scope.names.get(name);
    if (!def || this.broken.has(def)) return undefined;
    if (def.kind === 'kpi') return g.columns.get(def.id);
    if (def.kind !== 'metric') return undefined;
    const known = g.columns.get(def.id);
    if (known) return known;
    const sql = this.metricOnGrid(g, def);
    if (sql === undefined) return undefined;
    const col: GridColumn = { alias: `m_${this.safe(def.id)}`, level: 0, sql };
    g.layers[0]!.push({ alias: col.alias, sql, comment: `metric: ${def.id}` });
    g.columns.set(def.id, col);
    return col;
  }

  // ---- metrics ---------------------------------------------------------------------------

  /** The SQL for a metric's value on a grid row (aliases `s` = the grid's periods and groups). */
  private metricOnGrid(g: Grid, m: MetricDef): string | undefined {
    const def = this.sourceOf(m);
    const src = def && this.srcs.get(def);
    if (!src || !this.readable(src) || !m.agg) return undefined;
    const agg = this.aggFor(src, g.dimension);
    const alias = `a_${src.tag}`;
    if (!g.sources.includes(src)) g.sources.push(src);
    let where: string | undefined;
    if (m.where) {
      try {
        where = this.whereOf(src, m.where.expr);
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        this.problem(this.located(m.file, e.span.offset, e.span.length, `metric \`${m.id}\`: ${e.message}`));
        return undefined;
      }
    }
    const kind = m.agg.value;
    const numericUse = kind === 'sum' || kind === 'avg' || kind === 'min' || kind === 'max';
    const d = this.d;
    const cond = (x: string) => (where ? `CASE WHEN ${where} THEN ${x} END` : x);
    const grouped = src.projection?.weight !== undefined;
    const measure = grouped && m.column && (numericUse || kind === 'count') ? src.projection!.measure(m.column.value) : undefined;
    const column = m.column && !measure ? this.columnOf(src, m.column.value, numericUse) : undefined;
    if (kind === 'retained' || kind === 'first_seen') {
      if (!column) return undefined;
      const key = `${m.id}\u0000${g.dimension}`;
      let cte = this.perMetric.get(key);
      if (!cte) {
        const made = (kind === 'retained' ? retainedCtes : firstSeenCtes)({
          d, grain: this.grain, tag: src.tag, id: this.safe(m.id), column: m.column!.value, ids: column.sql, where,
          group: g.dimension ? this.groupCol(src, g.dimension) : undefined, dimension: g.dimension, name: (base) => this.tag(base),
        });
        this.pending.push(...made.ctes);
        cte = made.name;
        this.perMetric.set(key, cte);
      }
      if (!g.extra.some((x) => x.name === cte)) g.extra.push({ name: cte, alias: `x_${this.safe(m.id)}` });
      // Only cells where the source has rows have a value; retained is null at the first period.
      const present = `${alias}.__rows IS NOT NULL`;
      const value = `CAST(COALESCE(x_${this.safe(m.id)}.v, 0) AS ${d.double})`;
      return kind === 'retained' ? `CASE WHEN ${present} AND s.__p > 0 THEN ${value} END` : `CASE WHEN ${present} THEN ${value} END`;
    }
    let expr: string;
    const numeric = (c: { sql: string; type: string }) => (c.type === 'bool' ? `CASE WHEN ${c.sql} THEN 1.0 WHEN NOT ${c.sql} THEN 0.0 END` : c.type === 'number' ? c.sql : `CAST(NULL AS ${d.double})`);
    const weighted = grouped && kind !== 'count_distinct'
      ? weightedAggregate(d, kind, measure ? { measure } : column ? { column, numeric: numeric(column) } : undefined, cond, !!where)
      : undefined;
    if (grouped && kind !== 'count_distinct' && weighted === undefined) return undefined;
    if (weighted !== undefined) expr = weighted;
    else switch (kind) {
      case 'count':
        expr = `CAST(COUNT(${column ? cond(column.sql) : where ? cond('1') : '*'}) AS ${d.double})`;
        break;
      case 'count_distinct':
        if (!column) return undefined;
        expr = `CAST(COUNT(DISTINCT ${cond(column.sql)}) AS ${d.double})`;
        break;
      case 'sum': {
        if (!column) return undefined;
        const v = numeric(column);
        // Kept rows whose values are all unreadable are no data; no kept rows at all is 0.
        expr = where ? `CASE WHEN COUNT(${cond('1')}) = 0 THEN 0.0 ELSE SUM(${cond(v)}) END` : `SUM(${v})`;
        break;
      }
      default: {
        if (!column) return undefined;
        expr = `${kind.toUpperCase()}(${cond(numeric(column))})`;
      }
    }
    const col = `m_${this.safe(m.id)}`;
    if (!agg.exprs.has(col)) {
      agg.exprs.set(col, expr);
      agg.comment.push(`${col}: ${kind}${m.column ? ` of ${m.column.value}` : ''}${m.where ? ` where ${printFormula(m.where.expr)}` : ''}`);
    }
    return `${alias}.${col}`;
  }

  /** The aggregate CTE of a source on an axis: one row per cell with rows. */
  private aggFor(src: Src, dimension: string): Agg {
    let agg = src.aggs.get(dimension);
    if (!agg) {
      const name = this.tag(dimension ? `agg_${src.tag}__${/^[A-Za-z0-9_]{1,30}$/.test(dimension) ? dimension.toLowerCase() : 'dim'}` : `agg_${src.tag}`);
      agg = { name, exprs: new Map(), comment: [] };
      src.aggs.set(dimension, agg);
    }
    return agg;
  }

  private groupCol(src: Src, dimension: string): string {
    return src.world ? this.plan!.group(src.world, dimension) : src.projection!.column(dimension).sql;
  }

  private indent(text: string, n: number): string {
    return indentSql(text, n, this.d);
  }

  private readonly pending: Cte[] = [];
  private readonly perMetric = new Map<string, string>();

  /** Reports a problem once (a metric used on several grids fails on each). */
  private problem(p: EvalProblem): void {
    if (!this.problems.some((q) => q.message === p.message && q.offset === p.offset && q.file === p.file)) this.problems.push(p);
  }

  // ---- the query -------------------------------------------------------------------------

  private assemble(grids: Grid[], used: SourceDef[]): { sql: string; relations?: RelationsInfo; scans?: Compiled['scans'] } {
    const d = this.d;
    // Aggregates per source and axis.
    const aggCtes: Cte[] = [];
    for (const src of this.srcs.values()) {
      for (const [dimension, agg] of src.aggs) {
        const exprs = agg.exprs;
        const g = dimension ? this.groupCol(src, dimension) : undefined;
        const cols = ['__p', ...(g ? [`${g} AS __g`] : []), `${this.rowCount(src)} AS __rows`, ...[...exprs].map(([alias, e]) => `${e} AS ${alias}`)];
        aggCtes.push({
          name: agg.name, comment: [`${src.def.id}${dimension ? ` by ${dimension}` : ''}: one row per ${dimension ? 'period and group' : 'period'} with rows`, ...agg.comment.map((c) => `  ${c}`)],
          body: `SELECT\n${this.indent(cols.join(',\n'), 2)}\nFROM rows_${src.tag}\nGROUP BY __p${g ? `, ${g}` : ''}`,
        });
      }
    }
    this.finishSources();
    const gridCtes: Cte[] = [];
    const outputs: string[] = [];
    for (const g of grids) {
      const extra = g.extra;
      const periods = g.timed ? 'periods' : `(SELECT 0 AS __p, 'all' AS __key)`;
      let from = `${periods} AS s`;
      if (g.dimension) {
        const groups = g.sources.filter((s) => this.readable(s)).map((s) => `SELECT DISTINCT ${this.groupCol(s, g.dimension)} AS __g FROM src_${s.tag}`);
        from += `\nCROSS JOIN (\n${this.indent(groups.length ? groups.join(`\n${d.union}\n`) : `SELECT CAST(NULL AS ${d.text}) AS __g WHERE 1 = 0`, 2)}\n) AS gr`;
      }
      const groupEq = (alias: string) => (g.dimension ? ` AND ${d.same(`${alias}.__g`, 'gr.__g')}` : '');
      for (const src of g.sources) {
        const agg = src.aggs.get(g.dimension);
        if (agg) from += `\nLEFT JOIN ${agg.name} AS a_${src.tag} ON a_${src.tag}.__p = s.__p${groupEq(`a_${src.tag}`)}`;
      }
      for (const x of extra) from += `\nLEFT JOIN ${x.name} AS ${x.alias} ON ${x.alias}.__p = s.__p${groupEq(x.alias)}`;
      const head = ['s.__p', 's.__key', ...(g.dimension ? ['gr.__g'] : [])];
      const label = g.dimension ? `by ${g.dimension} over ${g.sources.map((s) => s.def.id).join(', ')}` : g.timed ? 'totals' : 'totals over sources without a time column';
      const layer0 = g.layers[0]!;
      gridCtes.push({
        name: `${g.name}_0`, comment: [`KPIs ${label}: one row per ${g.dimension ? 'period and group' : 'period'}; the metrics meet here`],
        body: `SELECT\n${this.indent([...head, ...layer0.map((c) => `${c.sql} AS ${c.alias}`)].join(',\n'), 2)}\nFROM ${from}`,
      });
      for (let level = 1; level < g.layers.length; level++) {
        const cols = g.layers[level]!;
        gridCtes.push({
          name: `${g.name}_${level}`, comment: cols.filter((c) => c.comment).map((c) => c.comment!),
          body: `SELECT\n${this.indent(['*', ...cols.map((c) => `${c.sql} AS ${c.alias}`)].join(',\n'), 2)}\nFROM ${g.name}_${level - 1}`,
        });
      }
      const last = `${g.name}_${g.layers.length - 1}`;
      for (const k of g.outputs) {
        const col = g.columns.get(k.id);
        const value = col ? col.alias : `CAST(NULL AS ${d.double})`;
        const grp = g.dimension ? `__g` : `CAST(NULL AS ${d.text})`;
        outputs.push(`SELECT 'value' AS kind, ${d.string(k.id)} AS kpi, ${d.string(g.dimension)} AS dimension, ${grp} AS grp, __key AS period, ${value} AS value FROM ${last}`);
      }
    }
    // What the results say about the sources and the range.
    const dayText = (x: string) => d.periodKey(x, 'day');
    for (const s of used) {
      const src = this.srcs.get(s)!;
      if (!this.readable(src)) continue;
      const days = src.timed ? [dayText('MIN(__day)'), dayText('MAX(__day)')] : [`CAST(NULL AS ${d.text})`, `CAST(NULL AS ${d.text})`];
      outputs.push(`SELECT 'source', ${d.string(s.id)}, CAST(NULL AS ${d.text}), ${days[0]}, ${days[1]}, CAST(${this.rowCount(src)} AS ${d.double}) FROM src_${src.tag}`);
      const guard = src.projection?.guard(s.id);
      if (guard) outputs.push(guard);
    }
    if (this.hasTimeline) outputs.push(`SELECT 'range', CAST(NULL AS ${d.text}), CAST(NULL AS ${d.text}), ${dayText('lo')}, ${dayText('hi')}, CAST(NULL AS ${d.double}) FROM days`);
    // Every column is known now: the relational sources' CTEs, and their counts.
    const rel = this.plan && emitRelations(this.plan);
    if (rel) {
      outputs.push(...rel.outputs);
      for (const [w, fails] of rel.failing) {
        // What leaves a source without rows for sure is said now; duplicate keys when the rows show them.
        for (const f of fails) {
          const message = f === w ? this.brokenMessages.get(w.def) : f.failure;
          if (message && f.failure && !w.problems.some((p) => p.message === message)) w.problems.push({ severity: 'error', message, file: w.def.file });
        }
      }
    }
    // Written values that did not read, per column (one scan per source), and timed rows with no day.
    const readCtes: Cte[] = [];
    for (const s of used) {
      const src = this.srcs.get(s)!;
      if (!this.readable(src)) continue;
      if (src.timed) outputs.push(`SELECT 'undated', ${d.string(s.id)}, CAST(NULL AS ${d.text}), CAST(NULL AS ${d.text}), CAST(NULL AS ${d.text}), CAST(${this.rowCount(src)} AS ${d.double}) FROM src_${src.tag} WHERE __day IS NULL`);
      const checked = this.projectionOf(src)?.checked;
      if (!checked?.checks.length) continue;
      const name = this.tag(`reads_${src.tag}`);
      const weight = this.projectionOf(src)?.weight ?? '1';
      const counts = checked.checks.map((c, i) => `SUM(CASE WHEN ${c.alias} THEN ${weight} ELSE 0 END) AS u${i}`);
      readCtes.push({ name, comment: [`source ${s.id}: written values that do not read as their column's type`], body: `SELECT\n${this.indent(counts.join(',\n'), 2)}\nFROM ${checked.cte}` });
      checked.checks.forEach((c, i) => outputs.push(`SELECT 'unreadable', ${d.string(s.id)}, ${d.string(c.column)}, ${d.string(c.kind)}, CAST(NULL AS ${d.text}), CAST(COALESCE(u${i}, 0) AS ${d.double}) FROM ${name}`));
    }
    if (!outputs.length) {
      outputs.push(`SELECT CAST(NULL AS ${d.text}) AS kind, CAST(NULL AS ${d.text}) AS kpi, CAST(NULL AS ${d.text}) AS dimension, CAST(NULL AS ${d.text}) AS grp, CAST(NULL AS ${d.text}) AS period, CAST(NULL AS ${d.double}) AS value WHERE 1 = 0`);
    }

    const blank: Cte = { name: 'blank', comment: ['the blanks trimmed off written values (what JavaScript\'s trim removes)'], body: `SELECT ${d.blanks} AS chars` };
    const isSource = (c: Cte) => c.name.startsWith('src_') || c.name.startsWith('text_') || c.name.startsWith('scan_');
    const hasText = [...this.srcs.values()].some((s) => !s.world && s.relation?.kind === 'text') || !!rel?.text;
    const ordered = [...(hasText ? [blank] : []), ...this.ctes.filter(isSource), ...(rel?.ctes ?? []), ...this.ctes.filter((c) => !isSource(c)), ...aggCtes, ...this.pending, ...gridCtes, ...readCtes];
    const header = [
      `kpispec ${this.options.title ?? ''}`.trimEnd(),
      `dialect: ${d.title}; grain: ${this.grain}; time zone: ${this.spec.defaults.timezone}`,
      ...(this.options.from || this.options.to || this.options.last ? [`range:${this.options.from ? ` from ${this.options.from}` : ''}${this.options.to ? ` to ${this.options.to}` : ''}${this.options.last ? ` last ${this.options.last}` : ''}`] : []),
      `rows: kind (value | source | range | unreadable | undated${rel ? ' | rollup | lookup | duplicate' : ''}), kpi, dimension ('' for the total), grp, period, value`,
    ];
    const scanCtes = d.name === 'duckdb' ? ordered.filter((c) => c.name.startsWith('scan_')) : [];
    const scans = scanCtes.length ? {
      tables: scanCtes.map((c) => ({ name: c.name, sql: queryBody(hasText && c.body.includes('blank') ? [blank] : [], c.body, d) })),
      sql: queryText(header, ordered.filter((c) => !scanCtes.includes(c)), outputs, d),
    } : undefined;
    return { sql: queryText(header, ordered, outputs, d), relations: rel && relationsInfo(this.ws, this.plan!, rel), scans };
  }
}
