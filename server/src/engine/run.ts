import type { ReadOptions, TableResult } from '../data/readTable';
import { tableFromRows } from '../data/readTable';
import { checkFile } from '../language/analysis/analyze';
import { locateDataFile } from '../language/analysis/data';
import { Context } from '../language/analysis/context';
import { KpiInference } from '../language/analysis/infer';
import { forEachNode } from '../language/analysis/references';
import { MetricsRead } from '../language/analysis/metricsRead';
import { dependenciesFirst, kpisNamedBy } from '../language/analysis/order';
import { MissingInputs } from './missingInputs';
import type { Definition, Grain, KpiDef, MetricDef, SourceDef } from '../language/model';
import type { Problem } from '../language/problem';
import { periodEnd, periodStart } from '../language/period';
import { describeUnit } from '../language/units';
import type { Workspace } from '../language/workspace';
import { Axes, TOTAL, type Axis } from './axes';
import { TableMemo } from '../data/tableMemo';
import { FormulaEvaluator, StepLimitError } from './evaluate';
import { aggregate } from './aggregate';
import { Timeline, dayText, nextPeriodStart } from './periods';
import { undatedReasons, withExamples } from '../data/readProblems';
import type { KeptResult, KpiReuse } from './reuse';
import type { Breakdown, EvalProblem, EvalResult, KpiResult, Location, Period, Point, SourceResult } from './results';
import { compileWhere } from './rowFilter';
import { printFormula } from '../language/formula/printer';
import { boundAt } from './status';
import { additivityOf, type Additivity } from './additivity';
import { periodTarget, type TargetReading } from './periodTarget';
import { judge, latestOf, throughOf, withoutUndefined } from './partial';
import { todayIn } from './today';
import { readsEarlierPeriods } from './earlierPeriods';
import { applyLikeForLike, kpisToCompare, likeForLikeRange } from './likeForLike';
import { LineIndex } from '../language/lineIndex';
import { isRelational } from '../language/analysis/relations';
import { RelationalTables, type BaseRead } from './relations/tables';
import { groupPlan } from './groupPlan';
import { goalResults } from './goals';
import { usableLocale } from '../language/locale';
import type { GroupPlan } from '../data/table';

export interface EvalOptions {
  grain?: Grain;
  /** Periods as written in targets (`2026-01`, `2026-Q1`, ...), inclusive. */
  from?: string;
  to?: string;
  /** Only the last N periods of the data. */
  last?: number;
  /** Break every KPI down by this dimension instead of its own `by`. */
  by?: string;
  /** Only these KPIs (and what they need). */
  kpis?: string[];
  /** Today, `YYYY-MM-DD` in the spec's time zone: periods after it hold no data yet, the one holding it is partial. Defaults to the clock. */
  today?: string;
  /** Show values in this BCP 47 locale instead of the spec's `defaults.locale` (the editor's setting); ignored when Intl cannot use it. */
  locale?: string;
}

/** Reads data files; the caller caches tables (by path, size and mtime). */
export interface DataAccess {
  file(path: string, options: ReadOptions): TableResult;
  /** Aggregates kept with their tables across evaluations. */
  memo?: TableMemo;
  /** KPI results kept across evaluations of the same spec and options (see reuse.ts). */
  reuse?: KpiReuse;
  /** Read with the group plan of a run that keeps results (every dimension a key), though this one keeps none. */
  keysAsKept?: boolean;
}

/**
 * Evaluates every KPI of a spec against its sample data: metrics per (period, group), KPI
 * formulas, targets and status, breakdowns and goals. Definitions touched by errors in the
 * spec are not evaluated (their KPIs show no data and say why); everything else is.
 */
export function evaluateSpec(ws: Workspace, file: string, options: EvalOptions, data: DataAccess, checked?: Problem[], computed?: ComputedValues): EvalResult {
  const result = evaluateOnce(ws, file, options, data, checked, computed);
  // A partial latest period is compared with the same days of the previous one, computed by a
  // second run over those days alone. Values computed elsewhere come with their own (sql/).
  const range = computed ? undefined : likeForLikeRange(result);
  const ids = range && kpisToCompare(result);
  if (range && ids?.length) {
    // The same tables as the first run, read with the same plan: the caller's cache finds them.
    const access: DataAccess = { file: (path, read) => data.file(path, read), memo: data.memo, keysAsKept: !!data.reuse || data.keysAsKept };
    const previous = evaluateOnce(ws, file, { ...options, from: range.from, to: range.to, last: undefined, kpis: ids }, access, checked);
    applyLikeForLike(result, ws.scope(file), previous, range);
  }
  return result;
}

function evaluateOnce(ws: Workspace, file: string, options: EvalOptions, data: DataAccess, checked?: Problem[], computed?: ComputedValues): EvalResult {
  const loaded = ws.load(file);
  const spec = loaded.parsed?.spec;
  const grain = options.grain ?? spec?.defaults.grain ?? 'month';
  // The locale values are shown in: the caller's (the editor setting), else the spec's; absent when neither is usable.
  const locale = usableLocale(options.locale) ?? usableLocale(spec?.defaults.locale);
  const result: EvalResult = {
    version: 1, spec: { file, name: spec?.name }, grain, timezone: spec?.defaults.timezone ?? 'UTC', currency: spec?.defaults.currency ?? 'USD',
    ...(locale ? { locale } : {}),
    periods: [], sources: [], goals: [], kpis: [], problems: [],
  };
  if (!spec) {
    result.problems.push({ severity: 'error', message: loaded.readProblem!.message, file });
    return result;
  }
  let today = todayIn(result.timezone, options.today);
  if (today === undefined) {
    result.problems.push({ severity: 'error', message: `today \`${options.today}\` is not a day; write it \`YYYY-MM-DD\``, file });
    today = todayIn(result.timezone);
  }
  return new Run(ws, file, spec.defaults.timezone, grain, options, data, result, today!, checked, computed).run();
}

/**
 * Values computed elsewhere (the SQL engines, server/src/sql): the timeline, the sources'
 * summaries and each KPI's cells. A run over them builds the same results as over data read
 * in process: header, targets, status, latest, breakdowns and goals.
 */
export interface ComputedValues {
  /** The timeline of the timed sources, cut to the range asked for; undefined without data in range. */
  timeline?: Timeline;
  /** The summary of each source the run uses, by id. */
  sources: Map<string, SourceResult>;
  /** A KPI's groups on an axis (dimension '' = the total, one group) and its cells, period-major, NaN = no data. */
  kpi(id: string, dimension: string): { groups: (string | null)[]; cells: Float64Array } | undefined;
}

/** The results of a spec from values computed elsewhere ({@link ComputedValues}); nothing is read. */
export function resultsFromValues(ws: Workspace, file: string, options: EvalOptions, values: ComputedValues, checked?: Problem[]): EvalResult {
  return evaluateSpec(ws, file, options, { file: () => ({ problems: [] }) }, checked, values);
}

/** The definitions of a file with an error inside their entry, each with its first error: they are not evaluated. */
export function brokenDefinitions(ws: Workspace, file: string, checked?: Problem[]): { def: Definition; error: Problem }[] {
  const spec = ws.load(file).parsed?.spec;
  if (!spec) return [];
  const problems = checked ?? checkFile(ws, file, new Set()).problems;
  // By offset, so that each definition looks only at the errors inside it (a ring of 100,000
  // KPIs has as many errors); the first one the checker reported wins.
  const errors = problems.filter((p) => p.severity === 'error' && p.file === file)
    .map((p, order) => ({ p, order })).sort((a, b) => a.p.span.offset - b.p.span.offset || a.order - b.order);
  const out: { def: Definition; error: Problem }[] = [];
  for (const def of spec.definitions) {
    const end = def.span.offset + def.span.length;
    let first: { p: Problem; order: number } | undefined;
    for (let i = firstAtOrAfter(errors, def.span.offset); i < errors.length && errors[i]!.p.span.offset <= end; i++) {
      if (!first || errors[i]!.order < first.order) first = errors[i];
    }
    if (first) out.push({ def, error: first.p });
  }
  return out;
}

function firstAtOrAfter(errors: { p: Problem }[], offset: number): number {
  let lo = 0;
  let hi = errors.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (errors[mid]!.p.span.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Run {
  private readonly ctx: Context;
  private readonly inference: KpiInference;
  private readonly lines = new Map<string, LineIndex>();
  private readonly tables = new Map<SourceDef, TableResult>();
  /** Definitions not evaluated, with the problem that says why. */
  private readonly broken = new Map<Definition, EvalProblem>();
  /** Sources whose data file the checker could not read: not read again, its problem said once. */
  private readonly unreadable = new Set<Definition>();
  private timed?: Timeline;
  private untimed = new Timeline('all', 0, 0);
  private readonly axes = new Map<Timeline, Axes>();
  private readonly metricCells = new Map<string, Float64Array>();
  private readonly kpiCells = new Map<string, Float64Array>();
  private readonly active = new Set<string>();
  private readonly metricsRead: MetricsRead;
  private readonly additivity = new Map<KpiDef, Additivity>();
  private evaluator!: FormulaEvaluator;
  private missingInputs!: MissingInputs;
  private readonly memo: TableMemo;
  /** Sources with relations and those they read, when the spec has any. */
  private relations?: RelationalTables;

  constructor(
    private readonly ws: Workspace,
    private readonly file: string,
    private readonly timezone: string,
    private readonly grain: Grain,
    private readonly options: EvalOptions,
    private readonly data: DataAccess,
    private readonly result: EvalResult,
    /** Today, a local day number: the range ends there (rows dated later are not counted yet). */
    private readonly today: number,
    /** The file's problems when the caller has just checked it (the language server has). */
    private readonly checked?: Problem[],
    /** Values computed elsewhere: then nothing is read or aggregated here. */
    private readonly computed?: ComputedValues,
  ) {
    const spec = ws.load(file).parsed!.spec;
    this.ctx = new Context(ws, spec, ws.scope(file));
    this.inference = new KpiInference(this.ctx);
    this.metricsRead = new MetricsRead(this.ctx.scope);
    this.memo = data.memo ?? new TableMemo();
  }

  run(): EvalResult {
    const spec = this.ctx.spec;
    this.findBroken();
    this.missingInputs = new MissingInputs(this.ws, this.file, this.ctx.scope, this.broken);
    if (!this.computed && [...this.ctx.scope.sources.values()].some(isRelational)) {
      const metrics = [...this.ctx.scope.names.values()].filter((d): d is MetricDef => d.kind === 'metric' && !this.broken.has(d));
      const tables = new RelationalTables(this.ctx, metrics, (src, wanted, text) => this.readBase(src, wanted, text), (src) => this.broken.get(src)?.message);
      this.relations = this.data.reuse?.relations(tables) ?? tables;
    }
    const kpis = [...spec.kpis.values()].filter((k) => !this.options.kpis || this.options.kpis.includes(k.id));
    for (const id of this.options.kpis ?? []) {
      if (!spec.kpis.has(id)) this.result.problems.push({ severity: 'error', message: `no KPI \`${id}\` in this spec`, file: this.file });
    }
    // A KPI kept from the last evaluation names its sources: the graph need not be walked for it.
    const candidates = new Map<KpiDef, KeptResult>();
    const sources = new Set<SourceDef>();
    for (const k of kpis) {
      const kept = this.keptFor(k);
      if (kept) {
        candidates.set(k, kept);
        for (const [s] of kept.tables) sources.add(s);
      } else for (const m of this.metricsOf(k)) { const s = this.sourceOf(m); if (s) sources.add(s); }
    }
    const computed = this.computed;
    for (const s of sources) {
      if (computed) this.result.sources.push(computed.sources.get(s.id) ?? { id: s.id, file: '', rows: 0, problems: [] });
      else this.loadSource(s);
    }
    this.timed = computed ? computed.timeline : this.makeTimeline([...sources]);
    this.result.periods = this.timed ? this.timed.starts.map((_, i) => this.timed!.period(i)) : [];
    const lastPeriod = this.result.periods[this.result.periods.length - 1];
    const through = this.timed && throughOf(this.timed, this.timed.length - 1);
    if (lastPeriod && through !== undefined) lastPeriod.through = dayText(through);
    this.evaluator = new FormulaEvaluator({ periods: 0, value: (name, p, g) => this.cellValue(name, p, g) });
    const reuse = this.reusable();
    for (const k of kpis) {
      const kept = candidates.get(k);
      if (reuse && kept && reuse.get(k) === kept && kept.tables.every(([src, t]) => this.tables.get(src) === t)) {
        reuse.hits++;
        this.result.kpis.push(this.moved(k, kept, reuse));
        continue;
      }
      // Each KPI has its own step budget: one costly formula never takes the others down.
      this.evaluator.steps = 0;
      try {
        const r = this.kpiResult(k);
        if (reuse && !r.problems.length) this.keep(reuse, k, r);
        this.result.kpis.push(r);
      } catch (e) {
        if (!(e instanceof StepLimitError)) throw e;
        this.active.clear();
        const problem = this.problem(k.file, k.idSpan.offset, k.idSpan.length, `\`${k.id}\` is not evaluated: ${e.message}; the formula is too costly (a cumulative or rolling sum over many periods and groups?)`);
        this.result.problems.push(problem);
        this.result.kpis.push(this.unevaluated(k, problem));
      }
    }
    this.result.goals = goalResults(spec.goals.values(), {
      kpis: this.result.kpis, periods: this.result.periods, grain: this.grain, scope: this.ctx.scope, locate: (file, offset) => this.locate(file, offset),
    });
    return this.result;
  }

  // ---- results kept from the last evaluation ------------------------------------------------

  /** The caller's kept results, begun for this evaluation; none for values computed elsewhere. */
  private reusable(): KpiReuse | undefined {
    const reuse = this.data.reuse;
    if (!reuse || this.computed) return undefined;
    const t = this.timed;
    const { grain, currency, timezone } = this.ctx.spec.defaults;
    reuse.begin(JSON.stringify([this.file, this.options, this.grain, grain, currency, timezone, t ? [t.starts[0], t.length, t.lastDay] : null]));
    return reuse;
  }

  /**
   * The result kept for a KPI whose definitions are all still current: each the one its id names
   * now, without errors (its tables are checked once read). Undefined without kept results.
   */
  private keptFor(k: KpiDef): KeptResult | undefined {
    const kept = this.computed ? undefined : this.data.reuse?.get(k);
    if (!kept) return undefined;
    const scope = this.ctx.scope;
    for (const d of kept.defs) {
      if (this.broken.has(d) || (d.kind === 'source' ? scope.sources.get(d.id) : scope.names.get(d.id)) !== d) return undefined;
    }
    return kept;
  }

  /** A kept result, with where its id is written now; the same object when that did not move. */
  private moved(k: KpiDef, kept: KeptResult, reuse: KpiReuse): KpiResult {
    const at = this.locate(k.file, k.idSpan.offset);
    const r = kept.result;
    if (r.at?.offset === at.offset && r.at.line === at.line && r.at.column === at.column) return r;
    const result = { ...r, at };
    reuse.set(k, { ...kept, result });
    return result;
  }

  /** Keeps a KPI's result with what it is computed from, unless some of it has an error. */
  private keep(reuse: KpiReuse, k: KpiDef, result: KpiResult): void {
    const defs: Definition[] = [];
    const tables: [SourceDef, TableResult | undefined][] = [];
    for (const dep of dependenciesFirst(k, (x) => kpisNamedBy(x, this.ctx.scope))) {
      if (this.broken.has(dep)) return;
      defs.push(dep);
    }
    for (const m of this.metricsOf(k)) {
      const s = this.sourceOf(m);
      if (!s || this.broken.has(m) || this.broken.has(s)) return;
      defs.push(m);
      if (!tables.some(([x]) => x === s)) {
        defs.push(s);
        tables.push([s, this.tables.get(s)]);
      }
    }
    reuse.set(k, { result, defs, tables });
  }

  // ---- what can be evaluated ---------------------------------------------------------------

  /** Definitions of this file with an error inside their entry are not evaluated. */
  private findBroken(): void {
    for (const { def, error } of brokenDefinitions(this.ws, this.file, this.checked)) {
      const problem = this.problem(error.file, error.span.offset, error.span.length, `\`${def.id}\` is not evaluated: ${error.message}`);
      this.broken.set(def, problem);
      if (error.rule === 'data-file-unreadable') this.unreadable.add(def);
      this.result.problems.push(problem);
    }
  }

  /** The metrics a KPI reads, through the KPIs it uses. */
  private metricsOf(kpi: KpiDef): ReadonlySet<MetricDef> {
    return this.metricsRead.of(kpi);
  }

  private sourceOf(m: MetricDef): SourceDef | undefined {
    return m.source ? this.ctx.scope.sources.get(m.source.value) : undefined;
  }

  // ---- data --------------------------------------------------------------------------------

  private loadSource(src: SourceDef): void {
    let read: BaseRead;
    const extra: Pick<SourceResult, 'rollup' | 'lookups' | 'skipped'> = {};
    if (this.relations?.inGraph(src)) {
      const rt = this.relations.table(src);
      read = { result: rt.result, file: rt.base?.file ?? '', shown: rt.base?.shown ?? `from: ${src.from?.value ?? ''}` };
      if (rt.rollup) extra.rollup = rt.rollup;
      if (rt.lookups) extra.lookups = rt.lookups;
    } else {
      const wanted = new Set<string>(src.dimensions.map((d) => d.value));
      if (src.time) wanted.add(src.time.value);
      const metrics: MetricDef[] = [];
      for (const def of this.ctx.scope.names.values()) {
        if (def.kind !== 'metric' || def.source?.value !== src.id) continue;
        metrics.push(def);
        if (def.column) wanted.add(def.column.value);
        if (def.where) forEachNode(def.where.expr, (e) => { if (e.kind === 'name') wanted.add(e.name); });
      }
      read = this.readBase(src, [...wanted], src.dimensions.map((d) => d.value), groupPlan(src, metrics, this.breakdowns()));
    }
    const table = read.result;
    const shown = read.shown;
    const dataFile = read.file || src.file;
    this.tables.set(src, table);
    const t = table.table;
    let from: number | undefined;
    let to: number | undefined;
    if (t?.time) for (const d of t.time) if (!Number.isNaN(d)) { from = from === undefined || d < from ? d : from; to = to === undefined || d > to ? d : to; }
    const problems: EvalProblem[] = table.problems.map((p) => {
      return { severity: ERROR_KINDS.has(p.kind) ? 'error' : 'warning', message: p.kind === 'key-not-unique' ? p.message : withExamples(p.message, p.examples), file: dataFile, ...(p.examples[0] ? { line: p.examples[0].line, column: 1 } : {}) };
    });
    const skipped = skippedRows(src, table, extra.rollup);
    if (skipped.length) extra.skipped = skipped;
    const sr: SourceResult = { id: src.id, file: shown, rows: t?.grouped?.rows ?? t?.rowCount ?? 0, dimensions: src.dimensions.map((d) => d.value), ...extra, problems };
    if (from !== undefined) sr.from = dayText(from);
    if (to !== undefined) sr.to = dayText(to);
    this.result.sources.push(sr);
  }

  /**
   * The dimensions results are broken down by: `--by`, else every KPI's `by`. Undefined (all of
   * a source's) where tables are kept across evaluations (the editor): a `by:` edit then finds
   * its table read already.
   */
  private breakdowns(): Set<string> | undefined {
    if (this.data.reuse || this.data.keysAsKept) return undefined;
    if (this.options.by) return new Set([this.options.by]);
    return new Set([...this.ctx.spec.kpis.values()].flatMap((k) => k.by.map((b) => b.value)));
  }

  /** A source's own rows, read with the columns asked for (`text`: read as text, as written). */
  private readBase(src: SourceDef, wanted: string[], text: string[], group?: GroupPlan): BaseRead {
    const pinned: ReadOptions['pinned'] = {};
    for (const [name, c] of src.columns) pinned[name] = c.value;
    const options: ReadOptions = {
      format: 'csv', delimiter: src.delimiter?.value, decimal: src.decimal?.value, thousands: src.thousands?.value, encoding: src.encoding?.value, timeColumn: src.time?.value, timeFormat: src.timeFormat?.value,
      timezone: this.timezone, stringColumns: text, pinned, wanted,
    };
    if (group) options.group = group;
    if (this.unreadable.has(src)) return { result: { problems: [] }, file: '', shown: src.path?.value ?? '' };
    if (src.rows) return { result: tableFromRows(src.rows.value, options), file: '', shown: 'rows' };
    if (src.path) {
      const located = locateDataFile(this.ws, src);
      if ('path' in located) {
        options.format = located.format;
        return { result: this.data.file(located.path, options), file: located.path, shown: src.path.value };
      }
      const message = 'problem' in located ? located.problem.message
        : /\.parquet$/i.test(src.path.value) ? `\`${src.path.value}\` is a Parquet file: Parquet is read by the DuckDB engine (kpispec eval --engine duckdb)`
        : `cannot tell the format of \`${src.path.value}\`; set \`format\``;
      return { result: { problems: [{ kind: 'unreadable-file', message, count: 1, examples: [] }] }, file: '', shown: src.path.value };
    }
    if (src.table) {
      // A database table is read by the SQL engines only (server/src/sql).
      const message = `source \`${src.id}\` reads the database table \`${src.table.value}\`: evaluate it with kpispec eval --engine duckdb or --engine postgres`;
      return { result: { problems: [{ kind: 'unreadable-file', message, count: 1, examples: [] }] }, file: '', shown: src.table.value };
    }
    return { result: { problems: [] }, file: '', shown: '' };
  }

  /** Every period from the first to the last day of the timed sources, cut to the range asked for. */
  private makeTimeline(sources: SourceDef[]): Timeline | undefined {
    let min = Infinity;
    let max = -Infinity;
    for (const s of sources) {
      const time = this.tables.get(s)?.table?.time;
      if (!s.time || !time) continue;
      for (const d of time) if (!Number.isNaN(d)) { if (d < min) min = d; if (d > max) max = d; }
    }
    if (min === Infinity) return undefined;
    const from = this.options.from !== undefined ? periodStart(this.options.from) : undefined;
    const to = this.options.to !== undefined ? periodEnd(this.options.to) : undefined;
    if (from !== undefined) min = Math.max(min, from);
    if (to !== undefined) max = Math.min(max, to);
    // Rows dated after today are not counted yet: the range ends today at the latest.
    max = Math.min(max, this.today);
    if (min > max) return undefined;
    let timeline = new Timeline(this.grain, min, max);
    const last = this.options.last;
    if (last !== undefined && last > 0 && timeline.length > last) {
      timeline = new Timeline(this.grain, timeline.starts[timeline.length - last]!, max);
    }
    return timeline;
  }

  private axesFor(timeline: Timeline): Axes {
    let axes = this.axes.get(timeline);
    if (!axes) this.axes.set(timeline, (axes = new Axes(timeline, this.tables, this.memo)));
    return axes;
  }

  // ---- values ------------------------------------------------------------------------------

  /** The axis being evaluated: a timeline and a dimension ('' for the total). */
  private current!: { timeline: Timeline; axis: Axis };

  private cellValue(name: string, p: number, g: number): number | null {
    const def = this.ctx.scope.names.get(name);
    if (!def || this.broken.has(def)) return null;
    let cells: Float64Array | undefined;
    if (def.kind === 'metric') cells = this.metric(def);
    else if (def.kind === 'kpi') cells = this.kpiCellsOf(def);
    const v = cells?.[p * this.current.axis.groups.length + g];
    return v === undefined || Number.isNaN(v) ? null : v;
  }

  private metric(m: MetricDef): Float64Array | undefined {
    const { timeline, axis } = this.current;
    const key = `${m.id}\u0000${axis.id}\u0000${timeline === this.untimed ? 'all' : 't'}`;
    const known = this.metricCells.get(key);
    if (known) return known;
    const src = this.sourceOf(m);
    const table = src && this.tables.get(src)?.table;
    if (!src || !table || !m.agg) return undefined;
    const axes = this.axesFor(timeline);
    const layout = axes.layout(src, axis);
    if (!layout) return undefined;
    let keep: ((row: number) => boolean) | undefined;
    if (m.where) {
      const compiled = compileWhere(m.where.expr, table);
      if ('error' in compiled) {
        this.result.problems.push(this.problem(m.file, m.where.span.offset, m.where.span.length, `metric \`${m.id}\`: ${compiled.error}`));
        return undefined;
      }
      keep = compiled.test;
    }
    // The same aggregate over the same table is the same numbers, whatever the metric is called.
    const what = `metric:${m.agg.value}:${m.column?.value ?? ''}:${m.where ? printFormula(m.where.expr) : ''}:${axes.key(axis)}`;
    const cells = this.memo.get(table, what, () => aggregate(table, layout, m.agg!.value, m.column?.value, keep));
    this.metricCells.set(key, cells);
    return cells;
  }

  /** KPIs a KPI names; with `pending`, only those not yet computed on the current axis. */
  private kpiDeps(k: KpiDef, pending = false): KpiDef[] {
    const named = kpisNamedBy(k, this.ctx.scope);
    return pending ? named.filter((d) => !this.kpiCells.has(this.cellKey(d))) : named;
  }

  private cellKey(k: KpiDef): string {
    const { timeline, axis } = this.current;
    return `${k.id}\u0000${axis.id}\u0000${timeline === this.untimed ? 'all' : 't'}`;
  }

  private kpiCellsOf(k: KpiDef): Float64Array | undefined {
    const { timeline, axis } = this.current;
    const key = this.cellKey(k);
    const known = this.kpiCells.get(key);
    if (known) return known;
    if (!k.formula || this.broken.has(k) || this.active.has(k.id)) return undefined;
    this.active.add(k.id);
    const groups = axis.groups.length;
    const cells = new Float64Array(timeline.length * groups).fill(NaN);
    for (let p = 0; p < timeline.length; p++) {
      for (let g = 0; g < groups; g++) {
        const v = this.evaluator.number(k.formula.expr, p, g);
        if (v !== null) cells[p * groups + g] = v;
      }
    }
    this.active.delete(k.id);
    this.kpiCells.set(key, cells);
    return cells;
  }

  /** What a KPI's result says whatever its values: id, title, format, formula and unit. */
  private header(k: KpiDef): KpiResult {
    const inferred = this.inference.kpi(k).unit;
    const currencyCode = inferred ? Object.keys(inferred).find((u) => /^[A-Z]{3}$/.test(u) && inferred[u] === 1) : undefined;
    const r: KpiResult = {
      id: k.id, file: k.file, format: k.format?.value ?? 'number', direction: k.direction?.value ?? 'up',
      formula: k.formula?.text ?? '', unit: inferred === undefined ? 'unknown' : describeUnit(inferred),
      series: [], latest: latestOf([]), breakdowns: [], problems: [],
    };
    r.at = this.locate(k.file, k.idSpan.offset);
    if (k.title !== undefined) r.title = k.title;
    if (k.description !== undefined) r.description = k.description;
    if (k.decimals) r.decimals = k.decimals.value;
    if (r.format === 'currency') r.currency = currencyCode ?? this.ctx.spec.defaults.currency;
    return r;
  }

  /** A KPI's result without values, carrying the problem that stopped it. */
  private unevaluated(k: KpiDef, problem: EvalProblem): KpiResult {
    const r = this.header(k);
    r.problems.push(problem);
    return r;
  }

  private kpiResult(k: KpiDef): KpiResult {
    const sources = new Set([...this.metricsOf(k)].map((m) => this.sourceOf(m)).filter((s): s is SourceDef => !!s));
    const timedKpi = [...sources].some((s) => s.time);
    const timeline = timedKpi ? this.timed : this.untimed;
    const r = this.header(k);
    if (this.broken.has(k)) {
      r.problems.push(this.broken.get(k)!);
      return r;
    }
    const missing = this.missingInputs.of(k);
    if (missing?.stops) {
      r.problems.push(this.problem(k.file, k.idSpan.offset, k.idSpan.length, `\`${k.id}\` has no value: ${missing.message}`));
      return r;
    }
    if (missing) r.problems.push({ ...this.problem(k.file, k.idSpan.offset, k.idSpan.length, `\`${k.id}\` is computed without ${missing.message}`), severity: 'warning' });
    if (!timeline) {
      r.problems.push({ severity: 'warning', message: 'no data in range: the sources have no rows with a readable time in the periods asked for', file: k.file });
      return r;
    }
    const total = this.series(k, timeline, TOTAL, 0);
    r.series = total;
    r.latest = latestOf(total, this.partialPeriod());
    const dims = this.options.by ? [this.options.by] : k.by.map((b) => b.value);
    for (const dim of dims) {
      const lacking = [...sources].filter((s) => !s.dimensions.some((d) => d.value === dim));
      if (lacking.length) {
        r.problems.push({ severity: 'warning', message: `no breakdown by \`${dim}\`: source ${lacking.map((s) => `\`${s.id}\``).join(', ')} does not declare it`, file: k.file });
        continue;
      }
      const axis = this.computed
        ? { id: dim, dimension: dim, groups: this.computed.kpi(k.id, dim)?.groups ?? [] }
        : this.axesFor(timeline).axis(dim, [...sources]);
      const breakdown: Breakdown = { dimension: dim, rows: [] };
      for (let g = 0; g < axis.groups.length; g++) {
        const series = this.series(k, timeline, axis, g);
        breakdown.rows.push({ group: axis.groups[g]!, latest: latestOf(series, this.partialPeriod()), series });
      }
      r.breakdowns.push(breakdown);
    }
    return r;
  }

  private series(k: KpiDef, timeline: Timeline, axis: Axis, g: number): Point[] {
    this.current = { timeline, axis };
    let cells: Float64Array | undefined;
    if (this.computed) cells = this.computed.kpi(k.id, axis.dimension)?.cells;
    else {
      // Dependencies first: a long chain of KPIs is evaluated in order, never by deep recursion.
      for (const dep of dependenciesFirst(k, (x) => this.kpiDeps(x, true))) this.kpiCellsOf(dep);
      cells = this.kpiCellsOf(k);
    }
    const points: Point[] = [];
    const reading: TargetReading = { kpi: k.id, additivity: additivityOf(k, this.ctx.scope, this.additivity), grain: timeline.grain, defaultPer: this.ctx.spec.defaults.grain };
    for (let p = 0; p < timeline.length; p++) {
      const v = cells?.[p * axis.groups.length + g];
      const value = v === undefined || Number.isNaN(v) ? null : v;
      const point: Point = { period: timeline.period(p).key, value, status: 'no_target' };
      if (timeline === this.untimed) {
        // No dates, nothing to convert: the target as written, in force on the timed range's last day.
        const day = this.timed?.lastDay ?? Infinity;
        Object.assign(point, withoutUndefined({ target: boundAt(k.target, day), warn: boundAt(k.warn, day) }));
      } else {
        const [first, last] = timeline.grain === 'all' ? [timeline.firstDay, timeline.lastDay] : [timeline.starts[p]!, nextPeriodStart(timeline.starts[p]!, timeline.grain) - 1];
        const through = throughOf(timeline, p);
        Object.assign(point, periodTarget(k, reading, first, last, through));
        if (through !== undefined && point.target && !point.noTarget) {
          // growth() or a retention rate on a partial period sets part of a period against a whole one.
          const earlier = readsEarlierPeriods(k, this.ctx.scope, false);
          if (earlier) point.noTarget = `the period is partial (data through ${dayText(through)}), and \`${k.id}\` ${earlier}, setting part of a period against a whole one: no verdict until the period is complete`;
        }
      }
      judge(point);
      points.push(point);
    }
    return points;
  }

  /** The last period of a timed run when the data covers it only in part. */
  private partialPeriod(): Period | undefined {
    const last = this.result.periods[this.result.periods.length - 1];
    return last?.through ? last : undefined;
  }

  private problem(file: string, offset: number, length: number, message: string): EvalProblem {
    return { severity: 'error', message, file, length, ...this.locate(file, offset) };
  }

  private locate(file: string, offset: number): Location {
    let lines = this.lines.get(file);
    if (!lines) this.lines.set(file, (lines = this.ws.lineIndex(file)));
    const pos = lines.positionAt(offset);
    return { offset, line: pos.line + 1, column: pos.character + 1 };
  }
}

/** Rows of a source no KPI counts, by reason. */
function skippedRows(src: SourceDef, table: TableResult, rollup: SourceResult['rollup']): { reason: string; rows: number }[] {
  const out: { reason: string; rows: number }[] = [];
  const t = table.table;
  if (t?.time && src.time) {
    let none = 0;
    const weights = t.grouped?.weights;
    for (let r = 0; r < t.time.length; r++) if (Number.isNaN(t.time[r]!)) none += weights ? weights[r]! : 1;
    out.push(...undatedReasons(src.time.value, none, table.problems.filter((p) => p.kind === 'bad-time').reduce((n, p) => n + p.count, 0)));
  }
  if (rollup?.unkeyed) out.push({ reason: `an empty key in \`${rollup.from}\``, rows: rollup.unkeyed });
  for (const p of table.problems) {
    if (p.kind === 'unclosed-quote') out.push({ reason: 'inside an unclosed quote', rows: p.count });
    else if (p.kind === 'unreadable-values' && !p.column) out.push({ reason: 'not a JSON object', rows: p.count });
  }
  return out;
}

/** Data problems that leave a source's numbers unknown (the rest are warnings about some rows). */
const ERROR_KINDS = new Set(['unreadable-file', 'unclosed-quote', 'key-not-unique', 'unavailable']);
