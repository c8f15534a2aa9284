import * as path from 'node:path';
import { formatOf } from '../data/shape';
import { formatBound, formatChange, formatValue, STATUS_MARK, STATUS_TEXT } from '../engine/format';
import { gradeText, paceText, percentText, TRACK_MARK, TRACK_TEXT } from '../engine/goalFormat';
import type { EvalResult, GoalResult, KpiResult } from '../engine/results';
import { Context } from '../language/analysis/context';
import { forEachNode } from '../language/analysis/references';
import { KpiInference, metricUnit } from '../language/analysis/infer';
import { FUNCTIONS, type FunctionInfo } from '../language/formula/functions';
import type { Definition, GoalDef, KpiDef, MetricDef, SourceDef, TargetDef } from '../language/model';
import type { Span } from '../language/span';
import { describeUnit, type Unit } from '../language/units';
import { definitionLine } from './completion';
import { columnsOf, findColumn, kpiSources, OrderedInference, TYPE_NAMES } from './completionData';
import { propertyAt, propertyDoc } from './completionSchema';
import { code, escapeMarkdown, fenced } from './hoverMarkdown';
import { locate } from './locate';
import { definitionAt, referenceAt, referencesOf, type Reference } from './references';
import { relationsOf } from './relationColumns';
import { relationHover, relationLines, rollupFunctionHover } from './relationHover';
import { formatCount, formatDay, relationCounts, skippedCounts } from '../engine/format';
import { usableLocale } from '../language/locale';
import { relationTargetAt } from './relationTarget';
import type { Snapshot } from './snapshot';
import type { Hover } from './types';
import type { Explanation } from '../explain';
import { whyLine } from './hoverWhy';

/**
 * Hover at an offset: what a name is (KPI, metric, source, goal, function, column; through
 * relations a lookup, a looked-up, derived, aggregate or key column: relationHover.ts), what a
 * key means (from the schema), and for KPIs the latest value when evaluation results are at hand,
 * and why it moved when `why` explains that KPI (hoverWhy.ts).
 * Markdown; everything taken from the spec is escaped or put in code spans, so it shows as text.
 */
export function hover(snap: Snapshot, offset: number, results?: EvalResult, why?: Explanation): Hover | undefined {
  if (offset < 0 || offset > snap.text.length) return undefined;
  const def = definitionAt(snap, offset);
  if (def) return { markdown: describe(snap, def, results, why), span: def.idSpan };
  const refs = referencesOf(snap);
  const rel = relationsOf(snap);
  const rt = relationTargetAt(snap, offset, refs, rel);
  if (rt) return { markdown: relationHover(snap, rt, rel, results), span: rt.span };
  const ref = referenceAt(refs, offset);
  if (ref) {
    const markdown = referenceHover(snap, ref, results, why);
    return markdown ? { markdown, span: ref.span } : undefined;
  }
  return keyHover(snap, offset);
}

/**
 * The KPI whose latest value a hover at `offset` shows (at its id, or at a name in a formula or
 * goal that refers to it), if any, and the file that defines it: the one result such a hover
 * needs, from that file's results (an imported KPI is not among the importing file's).
 */
export function kpiShownAt(snap: Snapshot, offset: number): { id: string; file: string } | undefined {
  if (offset < 0 || offset > snap.text.length) return undefined;
  const def = definitionAt(snap, offset);
  const ref = def ? undefined : referenceAt(referencesOf(snap), offset);
  const target = def ?? (ref && (ref.kind === 'formula' || ref.kind === 'goal-member') ? ref.target : undefined);
  return target?.kind === 'kpi' ? { id: target.id, file: target.file } : undefined;
}

function referenceHover(snap: Snapshot, ref: Reference, results: EvalResult | undefined, why?: Explanation): string | undefined {
  switch (ref.kind) {
    case 'formula':
    case 'source':
    case 'goal-member':
      return ref.target ? describe(snap, ref.target, results, why) : undefined;
    case 'function': {
      if (ref.aggregate) return rollupFunctionHover(ref.name);
      const fn = FUNCTIONS.get(ref.name);
      return fn ? functionHover(fn) : undefined;
    }
    case 'column':
      return columnHover(snap, ref);
    case 'lookup':
      return `${code(ref.name)} is not a lookup of ${ref.sources?.length ? `source ${code(ref.sources[0]!.id)}` : 'the source'}`;
    case 'path':
      return pathHover(snap, ref, results);
  }
}

function describe(snap: Snapshot, def: Definition, results: EvalResult | undefined, why?: Explanation): string {
  const body = def.kind === 'kpi' ? kpiHover(snap, def, results, why)
    : def.kind === 'metric' ? metricHover(snap, def, results)
    : def.kind === 'source' ? sourceHover(snap, def, results)
    : goalHover(snap, def, results);
  const where = def.file !== snap.file ? `\n\nDefined in ${code(relative(snap, def.file))}` : '';
  return body + where;
}

function heading(kind: string, def: Definition): string {
  const title = def.title ? ` · ${escapeMarkdown(def.title)}` : '';
  const desc = def.description ? `\n\n${escapeMarkdown(def.description)}` : '';
  return `**${kind}** ${code(def.id)}${title}${desc}`;
}

function relative(snap: Snapshot, file: string): string {
  return path.relative(path.dirname(snap.file), file).split(path.sep).join('/');
}

// ---- KPIs ---------------------------------------------------------------------------------------

/** A context and an inference for the file that defines `def`, so an imported KPI resolves in its own scope. */
function inferenceFor(snap: Snapshot, file: string): { ctx: Context; inference: OrderedInference } | undefined {
  const spec = file === snap.file ? snap.spec : snap.ws.load(file).parsed?.spec;
  if (!spec) return undefined;
  const ctx = new Context(snap.ws, spec, file === snap.file ? snap.scope : snap.ws.scope(file));
  return { ctx, inference: new OrderedInference(new KpiInference(ctx), ctx.scope) };
}

function unitText(unit: Unit | null | undefined): string | undefined {
  return unit === undefined ? undefined : describeUnit(unit);
}

function kpiHover(snap: Snapshot, def: KpiDef, results: EvalResult | undefined, why?: Explanation): string {
  const parts = [heading('KPI', def)];
  const inf = inferenceFor(snap, def.file);
  const unit = inf?.inference.kpi(def).unit;
  if (def.formula) {
    parts.push(fenced(def.formula.text));
    const deps: string[] = [];
    const seen = new Set<string>();
    const scope = inf?.ctx.scope ?? snap.scope;
    forEachNode(def.formula.expr, (e) => {
      if (e.kind !== 'name' || seen.has(e.name)) return;
      seen.add(e.name);
      const d = scope.get(e.name);
      if (d?.kind === 'metric') deps.push(`- ${code(d.id)}: metric · ${code(definitionLine(d, inf ? describeUnit(metricUnit(inf.ctx, d)) : undefined))}`);
      else if (d?.kind === 'kpi') deps.push(`- ${code(d.id)}: KPI · ${code(definitionLine(d, inf ? unitText(inf.inference.kpi(d).unit) : undefined))}`);
      else if (d) deps.push(`- ${code(d.id)}: a ${d.kind}, not a metric or KPI`);
      else deps.push(`- ${code(e.name)}: not defined`);
    });
    const MAX_DEPS = 20;
    if (deps.length > MAX_DEPS) deps.splice(MAX_DEPS, deps.length - MAX_DEPS, `- … ${deps.length - MAX_DEPS} more`);
    if (deps.length) parts.push(deps.join('\n'));
  } else parts.push('_no formula_');
  const result = results?.kpis.find((k) => k.id === def.id && k.file === def.file);
  const shape = result ?? { format: def.format?.value ?? 'number', currency: currencyOf(snap, def, unit), decimals: def.decimals?.value };
  const direction = def.direction?.value ?? 'up';
  // The results' locale (the editor setting or the spec's); before any results, the spec's own.
  const locale = results ? results.locale : usableLocale(snap.spec.defaults.locale);
  const facts = [
    `Unit: ${unit === undefined ? 'unknown' : code(describeUnit(unit))}`,
    `format: ${def.format?.value ?? 'number'}`,
    `direction: ${direction} (${direction === 'up' ? 'higher' : 'lower'} is better)`,
  ];
  parts.push(facts.join(' · '));
  const targets = [targetText('Target', def.target, shape, locale), targetText('warn', def.warn, shape, locale)].filter((t): t is string => !!t);
  if (targets.length) parts.push(targets.join(' · '));
  if (result) parts.push(latestText(result, results!.grain !== (def.file === snap.file ? snap.spec : snap.ws.load(def.file).parsed?.spec)?.defaults.grain || hasPer(def), locale));
  const whyText = result && why?.kpi === def.id ? whyLine(why) : undefined;
  if (whyText) parts.push(whyText);
  return parts.join('\n\n');
}

/** The currency a currency KPI shows: from its unit (`CNY per count`), else the defining file's default. */
function currencyOf(snap: Snapshot, def: KpiDef, unit: Unit | null | undefined): string {
  const code = unit ? Object.keys(unit).find((u) => /^[A-Z]{3}$/.test(u) && unit[u] === 1) : undefined;
  return code ?? (def.file === snap.file ? snap.spec : snap.ws.load(def.file).parsed?.spec)?.defaults.currency ?? 'USD';
}

type Shape = Pick<KpiResult, 'format' | 'currency' | 'decimals'>;

/** Whether a target or warn step says the period it is set for: then the results may show it converted. */
function hasPer(def: KpiDef): boolean {
  return [...(def.target?.steps ?? []), ...(def.warn?.steps ?? [])].some((s) => s.per);
}

function targetText(label: string, target: TargetDef | undefined, shape: Shape, locale: string | undefined): string | undefined {
  if (!target || !target.steps.length) return undefined;
  const bound = (s: TargetDef['steps'][number]) => formatBound({ ...(s.min ? { min: s.min.value } : {}), ...(s.max ? { max: s.max.value } : {}) }, shape, locale) + (s.per ? ` per ${s.per.value}` : '');
  if (!target.dated) return `${label}: ${code(bound(target.steps[0]!))}`;
  return `${label}: ${target.steps.map((s) => `from ${code(s.from?.value ?? '?')} ${code(bound(s))}`).join(', ')}`;
}

/**
 * The latest value, its status and change. On a partial period: the day its data ends, the pace
 * against the pro-rated target, and a change over the same days of the previous period; the
 * target in force when it is not the one written (converted to another grain).
 */
function latestText(r: KpiResult, converted: boolean, locale: string | undefined): string {
  const l = r.latest;
  if (!l.period) {
    const error = r.series.length === 0 ? r.problems.find((p) => p.severity === 'error') : undefined;
    const why = error ?? r.problems.find((p) => p.severity === 'warning');
    return why ? `**${error ? 'Not computed' : 'No data'}:** ${why.message}` : '**Latest:** no data in range';
  }
  const when = l.through ? `${code(l.period)}, data through ${formatDay(l.through, locale)}` : code(l.period);
  let status = STATUS_TEXT[l.status];
  if (l.pace && l.paceTarget) status = `${status}, ${l.pace === 'on_pace' ? 'on pace' : 'behind pace'} (${code(formatBound(l.paceTarget, r, locale))} so far of ${code(formatBound(l.target, r, locale))})`;
  else if (l.target && (converted || l.noTarget)) status += ` · target here ${code(formatBound(l.target, r, locale))}`;
  if (l.noTarget) status += ` (${l.noTarget})`;
  const change = l.change === null ? '' : ` · ${formatChange(l.change, l.changeRatio, r, locale)} vs ${l.compared === 'same_days' ? 'the same days of the previous period' : 'previous period'}`;
  return `**Latest (${when}): ${code(formatValue(l.value, r, locale))}** · ${status}${change}`;
}

// ---- metrics, sources, goals --------------------------------------------------------------------

function metricHover(snap: Snapshot, def: MetricDef, results: EvalResult | undefined): string {
  const parts = [heading('metric', def)];
  const lines: string[] = [];
  const src = def.source ? snap.ws.scope(def.file).sources.get(def.source.value) : undefined;
  if (def.source) lines.push(`- Source: ${code(def.source.value)}${src?.path ? ` (${code(src.path.value)})` : src?.rows ? ' (inline rows)' : src ? '' : ' — not defined'}`);
  if (def.agg) lines.push(`- Aggregate: ${code(def.agg.value)}${def.column ? ` of ${code(def.column.value)}` : ''}`);
  else if (def.column) lines.push(`- Column: ${code(def.column.value)}`);
  if (def.where) lines.push(`- Where: ${code(def.where.text)}`);
  const ctx = inferenceFor(snap, def.file)?.ctx;
  if (ctx) lines.push(`- Unit: ${code(describeUnit(metricUnit(ctx, def)))}`);
  if (lines.length) parts.push(lines.join('\n'));
  // A KPI that is just this metric shows its value.
  const shown = results?.kpis.find((k) => k.formula.trim() === def.id);
  if (shown) parts.push(`${latestText(shown, false, results!.locale)} (as KPI ${code(shown.id)})`);
  return parts.join('\n\n');
}

function sourceHover(snap: Snapshot, def: SourceDef, results: EvalResult | undefined): string {
  const parts = [heading('source', def)];
  const lines: string[] = [];
  if (def.path) {
    const format = formatOf(def.path.value, def.format?.value);
    lines.push(`- File: ${code(def.path.value)}${format ? ` (${format.toUpperCase()})` : ''}`);
  } else if (def.rows) lines.push(`- Inline rows: ${def.rows.value.length}`);
  lines.push(...relationLines(def, results));
  lines.push(def.time ? `- Time column: ${code(def.time.value)}` : '- No time column: a single period (`all`)');
  if (def.dimensions.length) lines.push(`- Dimensions: ${def.dimensions.map((d) => code(d.value)).join(', ')}`);
  const cols = columnsOf(snap.ws, def);
  if (cols) {
    const MAX = 30;
    const list = cols.slice(0, MAX).map((c) => `${code(c.name)}${c.type ? ` ${TYPE_NAMES[c.type]}` : ''}`).join(', ');
    lines.push(`- Columns (${cols.length}): ${list}${cols.length > MAX ? `, … ${cols.length - MAX} more` : ''}`);
  } else if (def.path) lines.push('- Columns: unknown (the file cannot be read)');
  const sr = results?.sources.find((s) => s.id === def.id);
  // The same counts as eval's and the preview's: how the rows came about, and those no KPI counts.
  if (sr) lines.push(`- Rows: ${formatCount(sr.rows, results?.locale)}${relationCounts(sr, results?.locale)}${skippedCounts(sr, results?.locale)}${sr.from ? `, ${code(sr.from)} to ${code(sr.to ?? sr.from)}` : ''}`);
  parts.push(lines.join('\n'));
  return parts.join('\n\n');
}

function goalHover(_snap: Snapshot, def: GoalDef, results: EvalResult | undefined): string {
  const parts = [heading('goal', def)];
  const facts = [
    def.horizon ? `Horizon: ${def.horizon.value}` : undefined,
    def.start ? `from ${code(def.start.value)}` : undefined,
    def.due ? `due ${code(def.due.value)}` : undefined,
  ].filter((x): x is string => !!x);
  if (facts.length) parts.push(facts.join(' · '));
  const g = results?.goals.find((x) => x.id === def.id);
  if (g) parts.push(...goalResultLines(g, results!));
  else if (def.members.length) {
    parts.push(`Key results: ${def.members.map((m) => `${code(m.kpi)}${typeof m.weight?.value === 'number' && m.weight.value !== 1 ? ` ×${m.weight.value}` : ''}`).join(', ')}`);
  }
  return parts.join('\n\n');
}

/** A goal's graded attainment, share met and track, then a table of its key results: score, progress, pace. */
function goalResultLines(g: GoalResult, results: EvalResult): string[] {
  const { locale } = results;
  const attainment = g.attainment === null ? '**Attainment:** no key result can be graded' : `**Attainment: ${percentText(g.attainment, locale)}**`;
  const met = g.met === null ? '' : ` · ${percentText(g.met, locale)} met`;
  const track = g.track ? ` · ${TRACK_MARK[g.track]} ${TRACK_TEXT[g.track]} for ${code(g.due!)}` : '';
  const kpis = new Map(results.kpis.map((k) => [k.id, k]));
  const rows = g.kpis.map((k) => {
    const kpi = kpis.get(k.id);
    const cells = [`${code(k.id)}${k.weight !== 1 ? ` ×${k.weight}` : ''}`, `${STATUS_MARK[k.status]} ${STATUS_TEXT[k.status]}`, percentText(k.score, locale), escapeMarkdown(gradeText(k, kpi, locale))];
    if (g.due) cells.push(escapeMarkdown(paceText(k, kpi, locale)));
    return `| ${cells.join(' | ')} |`;
  });
  const header = g.due ? '| Key result | Status | Score | Progress | Pace |\n|---|---|---:|---|---|' : '| Key result | Status | Score | Progress |\n|---|---|---:|---|';
  return [`${attainment}${met}${track}`, [header, ...rows].join('\n')];
}

// ---- functions, columns, paths, keys -------------------------------------------------------------

function functionHover(fn: FunctionInfo): string {
  const notes = fn.time ? '\n\nWorks across periods: only in KPI formulas over sources with a `time` column, never in `where`.' : '';
  return `${fenced(fn.signature)}\n\n${escapeMarkdown(fn.doc)}${notes}`;
}

function columnHover(snap: Snapshot, ref: Reference): string {
  let sources = ref.sources;
  let what = 'column';
  if (!sources) {
    // A KPI's `by`: a dimension of the sources the KPI reads.
    const kpi = snap.spec.definitions.find((d): d is KpiDef => d.kind === 'kpi' && d.by.some((b) => b.span.offset === ref.span.offset));
    if (kpi) {
      sources = kpiSources(snap.ws.scope(kpi.file), kpi);
      what = 'dimension';
    }
  }
  const parts = [`**${what}** ${code(ref.name)}`];
  const lines: string[] = [];
  for (const src of sources ?? []) {
    const where = src.path ? ` (${code(src.path.value)})` : src.rows ? ' (inline rows)' : '';
    const cols = columnsOf(snap.ws, src);
    const col = cols && findColumn(cols, ref.name);
    const type = col ? (col.type ? `${TYPE_NAMES[col.type]}${col.pinned ? ' (pinned)' : ''}` : 'no values in the first rows') : cols ? 'not in the data' : 'data not readable';
    const declared = what === 'dimension' && !src.dimensions.some((d) => d.value === ref.name) ? ' · not declared in its `dimensions`' : '';
    lines.push(`- source ${code(src.id)}${where}: ${type}${declared}`);
  }
  if (lines.length) parts.push(lines.join('\n'));
  else parts.push('_source unknown_');
  return parts.join('\n\n');
}

function pathHover(snap: Snapshot, ref: Reference, results: EvalResult | undefined): string | undefined {
  const src = snap.spec.definitions.find((d): d is SourceDef => d.kind === 'source' && d.path?.span.offset === ref.span.offset);
  if (src) return sourceHover(snap, src, results);
  if (!ref.resolved) return undefined;
  const loaded = snap.ws.load(ref.resolved);
  if (!loaded.parsed) return `**spec file** ${code(ref.name)}\n\n${escapeMarkdown(loaded.readProblem.message)}`;
  const spec = loaded.parsed.spec;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const lines = [
    `**spec file** ${code(ref.name)}${spec.name ? ` · ${escapeMarkdown(spec.name)}` : ''}`,
    [count(spec.sources.size, 'source'), count(spec.metrics.size, 'metric'), count(spec.kpis.size, 'KPI'), count(spec.goals.size, 'goal')].join(' · '),
  ];
  return lines.join('\n\n');
}

function keyHover(snap: Snapshot, offset: number): Hover | undefined {
  const place = locate(snap.spec.root, offset);
  if (!place.key) return undefined;
  const p = place.path;
  const prop = propertyAt(p.slice(0, -1), String(p[p.length - 1]));
  if (!prop) return undefined;
  const title = prop.title ? ` · ${escapeMarkdown(prop.title)}` : '';
  const doc = propertyDoc(prop);
  const span: Span = place.key.key.span;
  return { markdown: `**${code(String(p[p.length - 1]))}**${title}${doc ? `\n\n${doc}` : ''}`, span };
}
