import { brokenDefinitions, type EvalOptions } from '../engine/run';
import type { EvalProblem } from '../engine/results';
import { MetricsRead } from '../language/analysis/metricsRead';
import { dependenciesFirst, kpisNamedBy } from '../language/analysis/order';
import type { Expr } from '../language/formula/ast';
import { printFormula } from '../language/formula/printer';
import { LineIndex } from '../language/lineIndex';
import type { Definition, Grain, KpiDef, MetricDef, SourceDef, SpecFile } from '../language/model';
import { periodEnd, periodStart } from '../language/period';
import type { Problem } from '../language/problem';
import type { Scope, Workspace } from '../language/workspace';
import { DIALECT, type Dialect, type DialectName } from './dialect';
import { CompileError, KpiCompiler, WhereCompiler, type GridColumn } from './expr';
import { Projection, resolveSource, type Bindings, type SourceRelation } from './sources';
import { indentSql, queryText, type Cte } from './sqlText';

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
  sources: Map<string, { file: string; dimensions: string[]; problems: EvalProblem[] }>;
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
    for (const { def } of brokenDefinitions(this.ws, this.file, this.options.checked)) this.broken.add(def);
    const kpis = [...this.spec.kpis.values()].filter((k) => !this.options.kpis || this.options.kpis.includes(k.id));

    // Every source a requested KPI reads is read (as the engine does), even for KPIs with errors.
    const used: SourceDef[] = [];
    for (const k of kpis) for (const m of this.metricsOf(k)) { const s = this.sourceOf(m); if (s && !used.includes(s)) used.push(s); }
    for (const s of used) this.addSource(s);
    const timedSources = used.map((s) => this.srcs.get(s)!).filter((s) => s.timed);
    if (timedSources.length) this.addTimeline(timedSources);
    for (const s of used) this.addRows(this.srcs.get(s)!);

    const grids = this.planGrids(kpis.filter((k) => !this.broken.has(k) && k.formula));
    for (const g of grids) this.buildGrid(g);
    const sql = this.assemble(grids, used);
    const sources = new Map<string, { file: string; dimensions: string[]; problems: EvalProblem[] }>();
    for (const s of used) {
      const src = this.srcs.get(s)!;
      sources.set(s.id, { file: src.relation?.shown ?? s.path?.value ?? '', dimensions: s.dimensions.map((x) => x.value), problems: src.problems });
    }
    return { sql, dialect: this.d.name, grain: this.grain, problems: this.problems, sources };
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
    const src: Src = { def, tag: this.tag(this.safe(def.id)), timed: false, problems: [], aggs: new Map(), head: [] };
    this.srcs.set(def, src);
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
    const p = new Projection(this.d, def, resolved.relation, this.spec.defaults.timezone);
    src.projection = p;
    src.timed = !!def.time;
    // The columns every use needs, so that the source's CTE is complete before metrics read it.
    for (const dim of def.dimensions) p.column(dim.value);
    if (def.time) src.head.push(`${p.day()} AS __day`);
    // Metric columns and filters add their columns as they compile; the body is written last.
    this.ctes.push({ name: `src_${src.tag}`, comment: [`source ${def.id}: ${resolved.relation.shown}`], body: '', materialized: true });
  }

  /** Fills the source CTEs once every column is known (metrics register theirs while compiling). */
  private finishSources(): void {
    for (const src of this.srcs.values()) {
      const cte = this.ctes.find((c) => c.name === `src_${src.tag}`);
      if (!cte || !src.projection || !src.relation) continue;
      const cols = [...src.head];
      for (const c of src.projection.columns.values()) cols.push(`${c.sql} AS ${c.alias}`);
      if (!cols.length) cols.push('1 AS __one');
      if (src.relation.kind === 'text') {
        // Written values: trimmed once in a CTE of their own, then read by kpispec's rules.
        const texts = src.projection.textColumns();
        const text: Cte = {
          name: `text_${src.tag}`, comment: [`source ${src.def.id}: the values as written, blanks trimmed`],
          body: `SELECT\n${this.indent((texts.length ? texts : ['1 AS __one']).join(',\n'), 2)}\nFROM ${src.relation.from} AS raw\nCROSS JOIN blank`,
        };
        this.ctes.splice(this.ctes.indexOf(cte), 0, text);
        cte.body = `SELECT\n${this.indent(cols.join(',\n'), 2)}\nFROM text_${src.tag} AS raw`;
      } else cte.body = `SELECT\n${this.indent(cols.join(',\n'), 2)}\nFROM ${src.relation.from} AS raw`;
    }
  }

  // ---- the timeline ----------------------------------------------------------------------

  private addTimeline(timed: Src[]): void {
    this.hasTimeline = true;
    const d = this.d;
    const parts = timed.filter((s) => s.projection).map((s) => `SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_${s.tag}`);
    if (!parts.length) parts.push('SELECT CAST(NULL AS DATE) AS lo, CAST(NULL AS DATE) AS hi');
    this.ctes.push({
      name: 'extent', comment: ['the first and last day with data over the timed sources'],
      body: `SELECT MIN(lo) AS lo, MAX(hi) AS hi\nFROM (\n${this.indent(parts.join('\nUNION ALL\n'), 2)}\n) AS e`,
    });
    const from = this.options.from !== undefined ? periodStart(this.options.from) : undefined;
    const to = this.options.to !== undefined ? periodEnd(this.options.to) : undefined;
    const lo = from === undefined ? 'lo' : `CASE WHEN lo < ${d.date(from)} THEN ${d.date(from)} ELSE lo END`;
    const hi = to === undefined ? 'hi' : `CASE WHEN hi > ${d.date(to)} THEN ${d.date(to)} ELSE hi END`;
    const range = [from !== undefined ? `from ${this.options.from}` : '', to !== undefined ? `to ${this.options.to}` : ''].filter(Boolean).join(' ');
    this.ctes.push({ name: 'bounds', comment: [`the range${range ? ` (${range})` : ''}`], body: `SELECT ${lo} AS lo, ${hi} AS hi FROM extent` });
    const last = this.options.last;
    if (this.grain === 'all') {
      this.ctes.push({ name: 'periods', comment: ['one period: all'], body: `SELECT CAST(NULL AS DATE) AS __start, 0 AS __p, 'all' AS __key FROM bounds WHERE lo <= hi` });
      this.ctes.push({ name: 'days', comment: ['the days counted'], body: 'SELECT lo, hi FROM bounds' });
      return;
    }
    const grain = this.grain;
    this.ctes.push({ name: 'period_starts', comment: [`every ${grain} from the first to the last day, gaps included`], body: d.periodSeries('bounds', grain) });
    const kept = last !== undefined && last > 0 ? `\nWHERE p IN (SELECT p FROM period_starts ORDER BY p DESC LIMIT ${Math.floor(last)})` : '';
    this.ctes.push({
      name: 'periods', comment: [`the timeline: index, first day and key of each period${kept ? ` (the last ${last})` : ''}`],
      body: `SELECT p AS __start, ROW_NUMBER() OVER (ORDER BY p) - 1 AS __p, ${d.periodKey('p', grain)} AS __key\nFROM period_starts${kept}`,
    });
    // With --last, rows count from the first period kept.
    this.ctes.push({
      name: 'days', comment: ['the days counted'],
      body: kept
        ? `SELECT CASE WHEN (SELECT MIN(__start) FROM periods) > lo THEN (SELECT MIN(__start) FROM periods) ELSE lo END AS lo, hi FROM bounds`
        : 'SELECT lo, hi FROM bounds',
    });
  }

  /** A source's rows in range with their period index `__p` (untimed: all rows, one period). */
  private addRows(src: Src): void {
    if (!src.projection) return;
    const name = `rows_${src.tag}`;
    if (!src.timed) {
      this.ctes.push({ name, comment: [`rows of ${src.def.id} (no time column: one period)`], body: `SELECT s.*, 0 AS __p FROM src_${src.tag} AS s` });
      return;
    }
    const inRange = 's.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)';
    const body = this.grain === 'all'
      ? `SELECT s.*, 0 AS __p FROM src_${src.tag} AS s\nWHERE ${inRange}`
      : `SELECT s.*, p.__p\nFROM src_${src.tag} AS s\nJOIN periods AS p ON p.__start = ${this.d.periodStart('s.__day', this.grain)}\nWHERE ${inRange}`;
    this.ctes.push({ name, comment: [`rows of ${src.def.id} in range, with their period`], body });
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
    if (!src?.projection || !m.agg) return undefined;
    const agg = this.aggFor(src, g.dimension);
    const alias = `a_${src.tag}`;
    if (!g.sources.includes(src)) g.sources.push(src);
    let where: string | undefined;
    if (m.where) {
      try {
        const p = src.projection;
        where = new WhereCompiler(this.d, (name) => (p.has(name) ? p.column(name) : undefined)).compile(m.where.expr).sql;
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        this.problem(this.located(m.file, e.span.offset, e.span.length, `metric \`${m.id}\`: ${e.message}`));
        return undefined;
      }
    }
    const kind = m.agg.value;
    const column = m.column ? src.projection.column(m.column.value, kind === 'sum' || kind === 'avg' || kind === 'min' || kind === 'max') : undefined;
    const d = this.d;
    const cond = (x: string) => (where ? `CASE WHEN ${where} THEN ${x} END` : x);
    if (kind === 'retained' || kind === 'first_seen') {
      if (!column) return undefined;
      const key = `${m.id}\u0000${g.dimension}`;
      let cte = this.perMetric.get(key);
      if (!cte) {
        cte = kind === 'retained' ? this.retained(src, m, g.dimension, column.sql, where) : this.firstSeen(src, m, g.dimension, column.sql, where);
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
    switch (kind) {
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
    return src.projection!.column(dimension).sql;
  }

  private retained(src: Src, m: MetricDef, dimension: string, id: string, where: string | undefined): string {
    const g = dimension ? `${this.groupCol(src, dimension)} AS __g, ` : '';
    const ids = this.tag(`ids_${this.safe(m.id)}${dimension ? '__by' : ''}`);
    const name = this.tag(`retained_${this.safe(m.id)}${dimension ? '__by' : ''}`);
    const same = dimension ? ` AND ${this.d.same('b.__g', 'a.__g')}` : '';
    this.pending.push({
      name: ids, comment: [`metric ${m.id}: the distinct ${m.column!.value} per cell${dimension ? ` (by ${dimension})` : ''}`],
      body: `SELECT DISTINCT __p, ${g}${id} AS id\nFROM rows_${src.tag}\nWHERE ${id} IS NOT NULL${where ? ` AND ${where}` : ''}`,
    });
    this.pending.push({
      name, comment: [`metric ${m.id}: ids seen in this period and in the one before, same group`],
      body: `SELECT a.__p${dimension ? ', a.__g' : ''}, COUNT(*) AS v\nFROM ${ids} AS a\nJOIN ${ids} AS b ON b.__p = a.__p - 1 AND b.id = a.id${same}\nGROUP BY a.__p${dimension ? ', a.__g' : ''}`,
    });
    return name;
  }

  private firstSeen(src: Src, m: MetricDef, dimension: string, id: string, where: string | undefined): string {
    const firsts = this.tag(`firsts_${this.safe(m.id)}${dimension ? '__by' : ''}`);
    const name = this.tag(`first_seen_${this.safe(m.id)}${dimension ? '__by' : ''}`);
    const g = dimension ? this.groupCol(src, dimension) : undefined;
    // The first row of each id in the whole source (range or not); its group is that row's.
    this.pending.push({
      name: firsts, comment: [`metric ${m.id}: the first day of each ${m.column!.value}${g ? ', and its group' : ''}`],
      body: g
        ? `SELECT __day, __g\nFROM (\n  SELECT __day, ${g} AS __g, ROW_NUMBER() OVER (PARTITION BY ${id} ORDER BY __day, ${g}) AS __n\n  FROM src_${src.tag}\n  WHERE ${id} IS NOT NULL AND __day IS NOT NULL${where ? ` AND ${where}` : ''}\n) AS f\nWHERE __n = 1`
        : `SELECT MIN(__day) AS __day\nFROM src_${src.tag}\nWHERE ${id} IS NOT NULL AND __day IS NOT NULL${where ? ` AND ${where}` : ''}\nGROUP BY ${id}`,
    });
    const inRange = 'f.__day >= (SELECT lo FROM days) AND f.__day <= (SELECT hi FROM days)';
    const period = this.grain === 'all' ? '0 AS __p' : 'p.__p';
    const join = this.grain === 'all' ? '' : `\nJOIN periods AS p ON p.__start = ${this.d.periodStart('f.__day', this.grain)}`;
    this.pending.push({
      name, comment: [`metric ${m.id}: ids whose first row falls in each cell`],
      body: `SELECT ${period}${g ? ', f.__g' : ''}, COUNT(*) AS v\nFROM ${firsts} AS f${join}\nWHERE ${inRange}\nGROUP BY ${this.grain === 'all' ? '1' : 'p.__p'}${g ? ', f.__g' : ''}`,
    });
    return name;
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

  private assemble(grids: Grid[], used: SourceDef[]): string {
    const d = this.d;
    // Aggregates per source and axis.
    const aggCtes: Cte[] = [];
    for (const src of this.srcs.values()) {
      for (const [dimension, agg] of src.aggs) {
        const exprs = agg.exprs;
        const g = dimension ? this.groupCol(src, dimension) : undefined;
        const cols = ['__p', ...(g ? [`${g} AS __g`] : []), 'COUNT(*) AS __rows', ...[...exprs].map(([alias, e]) => `${e} AS ${alias}`)];
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
        const groups = g.sources.filter((s) => s.projection).map((s) => `SELECT DISTINCT ${this.groupCol(s, g.dimension)} AS __g FROM src_${s.tag}`);
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
      if (!src.projection) continue;
      const days = src.timed ? [dayText('MIN(__day)'), dayText('MAX(__day)')] : [`CAST(NULL AS ${d.text})`, `CAST(NULL AS ${d.text})`];
      outputs.push(`SELECT 'source', ${d.string(s.id)}, CAST(NULL AS ${d.text}), ${days[0]}, ${days[1]}, CAST(COUNT(*) AS ${d.double}) FROM src_${src.tag}`);
    }
    if (this.hasTimeline) outputs.push(`SELECT 'range', CAST(NULL AS ${d.text}), CAST(NULL AS ${d.text}), ${dayText('lo')}, ${dayText('hi')}, CAST(NULL AS ${d.double}) FROM days`);
    if (!outputs.length) {
      outputs.push(`SELECT CAST(NULL AS ${d.text}) AS kind, CAST(NULL AS ${d.text}) AS kpi, CAST(NULL AS ${d.text}) AS dimension, CAST(NULL AS ${d.text}) AS grp, CAST(NULL AS ${d.text}) AS period, CAST(NULL AS ${d.double}) AS value WHERE 1 = 0`);
    }

    const blank: Cte = { name: 'blank', comment: ['the blanks trimmed off written values (what JavaScript\'s trim removes)'], body: `SELECT ${d.blanks} AS chars` };
    const isSource = (c: Cte) => c.name.startsWith('src_') || c.name.startsWith('text_');
    const hasText = [...this.srcs.values()].some((s) => s.relation?.kind === 'text');
    const ordered = [...(hasText ? [blank] : []), ...this.ctes.filter(isSource), ...this.ctes.filter((c) => !isSource(c)), ...aggCtes, ...this.pending, ...gridCtes];
    const header = [
      `kpispec ${this.options.title ?? ''}`.trimEnd(),
      `dialect: ${d.title}; grain: ${this.grain}; time zone: ${this.spec.defaults.timezone}`,
      ...(this.options.from || this.options.to || this.options.last ? [`range:${this.options.from ? ` from ${this.options.from}` : ''}${this.options.to ? ` to ${this.options.to}` : ''}${this.options.last ? ` last ${this.options.last}` : ''}`] : []),
      'rows: kind (value | source | range), kpi, dimension (\'\' for the total), grp, period, value',
    ];
    return queryText(header, ordered, outputs, d);
  }
}
