import { FormulaEvaluator, StepLimitError } from '../engine/evaluate';
import type { EvalResult, KpiResult } from '../engine/results';
import type { DataAccess, EvalOptions } from '../engine/run';
import type { KpiDef } from '../language/model';
import type { Scope, Workspace } from '../language/workspace';
import { additiveSplit, type GroupValues } from './additive';
import { inputsOf, kpiShape, type KpiShape, type Term } from './kpiShape';
import type { DimensionParts, Driver, Explanation, GroupPart, InputPart, InputParts } from './model';
import { periodPair, type PeriodChoice, type PeriodPair } from './periodPair';
import { computePieces, type PieceRequest, type PieceValues } from './pieces';
import { ratioSplit, type MixMethod, type RatioGroup } from './shiftShare';
import { shapleySplit } from './shapley';
import { formatDelta, formatShare, fromTo, groupLabel, moved, noun, ranked, summarize, type ValueShape } from './wording';

export interface ExplainRequest extends PeriodChoice {
  /** The KPIs to explain (ids in the results); default: every KPI of the results. */
  kpis?: string[];
  /** How a ratio's mix effect is measured: against the average rate (default) or plainly (shiftShare.ts). */
  mix?: MixMethod;
}

/**
 * Why each KPI moved between two periods: its change split over the groups of each of its
 * breakdowns (sums and ratios of sums) or over its formula's inputs (any other formula), ranked,
 * with one sentence naming the top drivers. `result` is the spec's results, evaluated with
 * `options` (its breakdowns are the dimensions explained); the per-group sums the split needs
 * are computed by the engine, through the same `data`. Never throws on user input: what cannot
 * be explained says why in `notes`.
 */
export function explainKpis(ws: Workspace, file: string, result: EvalResult, options: EvalOptions, data: DataAccess, request: ExplainRequest = {}): Explanation[] {
  const scope = ws.scope(file);
  const plans: Plan[] = [];
  for (const k of result.kpis) {
    if (request.kpis && !request.kpis.includes(k.id)) continue;
    const def = scope.names.get(k.id);
    const kpi = def?.kind === 'kpi' ? def : undefined;
    const shape = kpi && kpiShape(kpi, scope);
    const pair = periodPair(result.periods, result.grain, k.series, request);
    const dims = shape?.kind === 'derived' ? [] : k.breakdowns.map((b) => b.dimension);
    const inputs = kpi?.formula ? inputsOf(kpi.formula.expr, scope) : [];
    plans.push({ k, kpi, shape, pair, dims, inputs });
  }
  const requests: PieceRequest[] = [];
  for (const p of plans) {
    if ('error' in p.pair || !p.shape || changeOf(p.k, result, p.pair).change === null) continue;
    if (p.shape.kind === 'additive') for (const t of p.shape.terms) requests.push({ piece: t.piece, dimensions: p.dims });
    if (p.shape.kind === 'ratio') for (const t of [...p.shape.numerator, ...p.shape.denominator]) requests.push({ piece: t.piece, dimensions: p.dims });
    if (wantsInputs(p)) for (const i of p.inputs) requests.push({ piece: { formula: i.name }, dimensions: [] });
  }
  const pieces = requests.length ? computePieces(ws, file, requests, options, data) : undefined;
  return plans.map((p) => explainOne(p, result, scope, pieces, request.mix ?? 'centered'));
}

interface Plan {
  k: KpiResult;
  kpi?: KpiDef;
  shape?: KpiShape;
  pair: PeriodPair | { error: string };
  dims: string[];
  inputs: { name: string; kind: 'metric' | 'kpi' }[];
}

/** Derived KPIs are split over their inputs; so are the others when no breakdown splits them and the formula names two inputs or more. */
function wantsInputs(p: Plan): boolean {
  return p.shape?.kind === 'derived' || (p.dims.length === 0 && p.inputs.length >= 2);
}

function changeOf(k: KpiResult, result: EvalResult, pair: PeriodPair): { value: number | null; baseValue: number | null; change: number | null } {
  const at = (key: string) => k.series[result.periods.findIndex((p) => p.key === key)]?.value ?? null;
  const value = at(pair.period);
  const baseValue = at(pair.base);
  return { value, baseValue, change: value === null || baseValue === null ? null : value - baseValue };
}

function explainOne(p: Plan, result: EvalResult, scope: Scope, pieces: PieceValues | undefined, mix: MixMethod): Explanation {
  const { k, shape } = p;
  const kind = shape?.kind ?? 'derived';
  const out: Explanation = {
    kpi: k.id, ...(k.title !== undefined ? { title: k.title } : {}), kind, method: kind === 'additive' ? 'difference' : kind === 'ratio' ? 'shift_share' : 'shapley',
    period: '', base: '', vs: 'prev', value: null, baseValue: null, change: null, dimensions: [], drivers: [], summary: '', notes: [],
  };
  if (shape?.kind === 'ratio') out.ratio = { numerator: shape.text.numerator, denominator: shape.text.denominator, scale: shape.scale };
  if ('error' in p.pair) {
    out.notes.push(p.pair.error);
    out.summary = `nothing to explain: ${p.pair.error}.`;
    return out;
  }
  Object.assign(out, { period: p.pair.period, base: p.pair.base, vs: p.pair.vs }, changeOf(k, result, p.pair));
  out.notes.push(...p.pair.notes);
  const locale = result.locale;
  const problem = k.problems.find((x) => x.severity === 'error');
  if (out.change === null || !shape) {
    const missing = [out.value === null ? p.pair.period : undefined, out.baseValue === null ? p.pair.base : undefined].filter(Boolean).join(' and ');
    const why = problem ? problem.message : !shape ? `\`${k.id}\` has no formula` : `\`${k.id}\` has no value in ${missing}`;
    out.notes.push(why);
    out.summary = `nothing to explain: ${why}.`;
    return out;
  }
  const change = out.change;
  const scale = Math.max(Math.abs(out.value ?? 0), Math.abs(out.baseValue ?? 0));
  if (pieces?.problems.length) out.notes.push(...pieces.problems);
  const at = { before: pieces?.periods.indexOf(p.pair.base) ?? -1, after: pieces?.periods.indexOf(p.pair.period) ?? -1 };
  if (pieces && (at.before < 0 || at.after < 0)) out.notes.push('the per-group sums could not be computed for these periods');
  const ambiguous = ambiguousGroups(k, p.dims);
  const drivers: Driver[] = [];
  if (pieces && shape.kind !== 'derived') {
    for (const dim of p.dims) {
      const parts = shape.kind === 'additive'
        ? additiveParts(shape.terms, dim, pieces, at, change, k, ambiguous, locale)
        : ratioParts(shape, dim, pieces, at, change, k, ambiguous, mix, locale);
      if (!parts) {
        out.notes.push(`the change could not be split by ${dim}`);
        continue;
      }
      out.dimensions.push(parts.dimension);
      drivers.push(...parts.drivers);
      if (Math.abs(parts.dimension.residual) > 1e-9 * Math.max(1, scale)) {
        out.notes.push(`the groups of ${dim} leave ${formatDelta(parts.dimension.residual, k, locale)} of the change unexplained: their values do not add up to the total`);
      }
    }
  }
  if (shape.kind === 'derived' && k.breakdowns.length) {
    out.notes.push(`\`${k.id}\` is not a sum or a ratio of sums: its groups do not add up to the total, so its change is split over its formula's inputs, not over ${k.breakdowns.map((b) => b.dimension).join(', ')}`);
  }
  if (pieces && wantsInputs(p) && p.kpi?.formula) {
    const split = inputParts(p, pieces, at, change, result, scope, locale);
    if (split) {
      out.inputs = split.inputs;
      if (!out.dimensions.length) drivers.push(...split.drivers);
      if (split.note) out.notes.push(split.note);
    }
  }
  out.drivers = ranked(drivers, scale);
  out.summary = summarize(change, k, out.drivers, locale, scale);
  return out;
}

type At = { before: number; after: number };

/** Group values that occur in several dimensions explained: named with their dimension. */
function ambiguousGroups(k: KpiResult, dims: string[]): Set<string> {
  const seen = new Map<string, number>();
  for (const b of k.breakdowns) {
    if (!dims.includes(b.dimension)) continue;
    for (const r of b.rows) if (r.group !== null) seen.set(r.group, (seen.get(r.group) ?? 0) + 1);
  }
  return new Set([...seen].filter(([, n]) => n > 1).map(([g]) => g));
}

/** Σ coef × piece per group in the two periods; undefined when a piece's breakdown was not computed. */
function sumsByGroup(terms: Term[], dim: string, pieces: PieceValues, at: At): Map<string | null, { before: number | null; after: number | null }> | undefined {
  const out = new Map<string | null, { before: number | null; after: number | null }>();
  for (const t of terms) {
    const groups = pieces.groups(t.piece, dim);
    if (!groups) return undefined;
    for (const [g, series] of groups) {
      let cell = out.get(g);
      if (!cell) out.set(g, (cell = { before: null, after: null }));
      const b = series[at.before] ?? null;
      const a = series[at.after] ?? null;
      if (b !== null) cell.before = (cell.before ?? 0) + t.coef * b;
      if (a !== null) cell.after = (cell.after ?? 0) + t.coef * a;
    }
  }
  return out;
}

function byContribution<T extends { contribution: number }>(a: T, b: T): number {
  return Math.abs(b.contribution) - Math.abs(a.contribution);
}

function additiveParts(terms: Term[], dim: string, pieces: PieceValues, at: At, change: number, k: KpiResult, ambiguous: Set<string>, locale?: string): { dimension: DimensionParts; drivers: Driver[] } | undefined {
  const sums = sumsByGroup(terms, dim, pieces, at);
  if (!sums) return undefined;
  const groups: GroupValues[] = [...sums].map(([group, v]) => ({ group, ...v }));
  const split = additiveSplit(groups);
  const parts: GroupPart[] = split.parts.map((x) => ({ group: x.group, before: x.before, after: x.after, contribution: x.contribution })).sort(byContribution);
  const drivers: Driver[] = parts.map((x) => ({
    effect: 'change', dimension: dim, group: x.group, contribution: x.contribution,
    text: `${groupLabel(dim, x.group, x.group !== null && ambiguous.has(x.group))} ${noun(k.id)} ${moved(x.before, x.after)} ${fromTo(x.before, x.after, k, locale)} (${formatDelta(x.contribution, k, locale)})`,
  }));
  return { dimension: { dimension: dim, groups: parts, residual: change - sumOf(parts) }, drivers };
}

function ratioParts(shape: Extract<KpiShape, { kind: 'ratio' }>, dim: string, pieces: PieceValues, at: At, change: number, k: KpiResult, ambiguous: Set<string>, mix: MixMethod, locale?: string): { dimension: DimensionParts; drivers: Driver[] } | undefined {
  const num = sumsByGroup(shape.numerator, dim, pieces, at);
  const den = num && sumsByGroup(shape.denominator, dim, pieces, at);
  if (!num || !den) return undefined;
  const names = new Set([...num.keys(), ...den.keys()]);
  const cell = (n: number | null | undefined, d: number | null | undefined) => (n == null && d == null ? null : { numerator: n ?? 0, denominator: d ?? 0 });
  const groups: RatioGroup[] = [...names].map((group) => ({
    group,
    before: cell(num.get(group)?.before, den.get(group)?.before),
    after: cell(num.get(group)?.after, den.get(group)?.after),
  }));
  const split = ratioSplit(groups, { scale: shape.scale, mix });
  if (split.change === null) return undefined;
  const parts: GroupPart[] = split.parts.map((x) => ({
    group: x.group, before: x.rateBefore, after: x.rateAfter, contribution: x.contribution,
    shareBefore: x.shareBefore, shareAfter: x.shareAfter, rate: x.rate, mix: x.mix,
  })).sort(byContribution);
  const denominator = shape.denominator.length === 1 && shape.denominator[0]!.coef === 1 && 'formula' in shape.denominator[0]!.piece ? noun(shape.text.denominator) : shape.text.denominator;
  const drivers: Driver[] = [];
  for (const x of parts) {
    const label = groupLabel(dim, x.group, x.group !== null && ambiguous.has(x.group));
    const rateText = x.before === null && x.after === null
      ? `${label} ${noun(shape.text.numerator)} without ${denominator}`
      : `${label} ${noun(k.id)} ${moved(x.before, x.after)} ${fromTo(x.before, x.after, k, locale)}`;
    drivers.push({ effect: 'rate', dimension: dim, group: x.group, contribution: x.rate!, text: `${rateText} (${formatDelta(x.rate!, k, locale)})` });
    drivers.push({
      effect: 'mix', dimension: dim, group: x.group, contribution: x.mix!,
      text: `${label} share of ${denominator} ${moved(x.shareBefore!, x.shareAfter!)} from ${formatShare(x.shareBefore!, locale)} to ${formatShare(x.shareAfter!, locale)} (${formatDelta(x.mix!, k, locale)} mix)`,
    });
  }
  return { dimension: { dimension: dim, groups: parts, residual: change - sumOf(parts) }, drivers };
}

function sumOf(parts: { contribution: number }[]): number {
  return parts.reduce((s, x) => s + x.contribution, 0);
}

/** The change split over the formula's inputs by their Shapley values (shapley.ts), each input's series computed by the engine. */
function inputParts(p: Plan, pieces: PieceValues, at: At, change: number, result: EvalResult, scope: Scope, locale?: string): { inputs: InputParts; drivers: Driver[]; note?: string } | undefined {
  const names = p.inputs.map((i) => i.name);
  const series = names.map((name) => pieces.total({ formula: name }));
  if (at.before < 0 || at.after < 0 || series.some((s) => !s)) return undefined;
  const shift = at.after - at.before;
  let movedNow: readonly boolean[] = [];
  const evaluator = new FormulaEvaluator({
    periods: pieces.periods.length,
    value(name, q) {
      const i = names.indexOf(name);
      if (i < 0) return null;
      const from = movedNow[i] ? q : q - shift;
      return series[i]![from] ?? null;
    },
  });
  const expr = p.kpi!.formula!.expr;
  const split = shapleySplit(names.length, (m) => {
    movedNow = m;
    evaluator.steps = 0;
    try {
      return evaluator.number(expr, at.after, 0);
    } catch (e) {
      if (e instanceof StepLimitError) return null;
      throw e;
    }
  });
  const inputs: InputPart[] = p.inputs.map((input, i) => ({
    input: input.name, kind: input.kind, before: series[i]![at.before] ?? null, after: series[i]![at.after] ?? null, contribution: split.parts[i]!,
    ...inputShape(input.name, scope, result),
  }));
  const residual = change - inputs.reduce((s, x) => s + (x.contribution ?? 0), 0);
  const kpi = p.k;
  const drivers: Driver[] = inputs.filter((x) => x.contribution !== null).map((x) => ({
    effect: 'input', input: x.input, contribution: x.contribution!,
    text: `${x.input} ${moved(x.before, x.after)} ${fromTo(x.before, x.after, x, locale)} (${formatDelta(x.contribution!, kpi, locale)})`,
  }));
  inputs.sort((a, b) => Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0));
  const note = split.exact ? undefined
    : names.length > 12 ? `\`${kpi.id}\` names ${names.length} inputs: each input's part is the mean of its effect moved first and moved last, and the residual is what they leave`
    : 'an input moved before another gives no value on some orders (a division by zero, no data): those orders are left out of its part, and the residual is what the parts leave';
  return { inputs: { inputs, residual }, drivers, ...(note ? { note } : {}) };
}

/** How an input's values are shown: a KPI's own format; a metric's by its unit. */
function inputShape(name: string, scope: Scope, result: EvalResult): ValueShape {
  const def = scope.names.get(name);
  if (def?.kind === 'kpi') {
    const k = result.kpis.find((x) => x.id === name);
    if (k) return { format: k.format, ...(k.currency ? { currency: k.currency } : {}), ...(k.decimals !== undefined ? { decimals: k.decimals } : {}) };
    const format = def.format?.value ?? 'number';
    return { format, ...(def.decimals ? { decimals: def.decimals.value } : {}), ...(format === 'currency' ? { currency: result.currency } : {}) };
  }
  if (def?.kind === 'metric') {
    switch (def.unit?.value) {
      case 'currency': return { format: 'currency', currency: def.currency?.value ?? result.currency };
      case 'seconds': return { format: 'duration' };
      case 'ratio': return { format: 'percent' };
      default: return { format: 'number' };
    }
  }
  return { format: 'number' };
}
