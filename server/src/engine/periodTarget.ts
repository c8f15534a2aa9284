import type { Grain, TargetDef, TargetStep } from '../language/model';
import { periodStart } from '../language/period';
import type { Additivity } from './additivity';
import { dayText, nextPeriodStart, periodStartOf } from './periods';
import type { Bound } from './results';
import { boundAt } from './status';

/**
 * What a KPI's target says for one period of the results (docs/evaluation.md, "Targets at
 * another grain"). A target is set for a period length (`per`, default the spec's grain):
 *
 * - an additive KPI sums, day by day, each day's share of the target in force that day (a
 *   per-month target of 110,000 gives each day of a 31-day month 110,000/31), so a quarter adds
 *   up its months and a month takes its share of a quarterly target; dated steps change the
 *   share from their first day;
 * - a level KPI (ratio, average, rate) keeps the bound in force at the period's start (for
 *   `all`, on the range's last day), whatever its `per`;
 * - any other KPI has a target only at the grain it is set for, else `noTarget` says why.
 */
export interface PeriodTarget {
  target?: Bound;
  warn?: Bound;
  /** Why a declared target gives no verdict here. */
  noTarget?: string;
  /** For a partial period of an additive KPI: the target and warn band over the days covered. */
  paceTarget?: Bound;
  paceWarn?: Bound;
}

export interface TargetReading {
  kpi: string;
  additivity: Additivity;
  /** The grain of the results, and the spec's `defaults.grain` (what a target without `per` is set for). */
  grain: Grain;
  defaultPer: Grain;
}

/**
 * The target of a period holding the days `first` … `last` (local day numbers), covered by the
 * data through `through` when that is before `last` (a partial period).
 */
export function periodTarget(k: { target?: TargetDef; warn?: TargetDef }, r: TargetReading, first: number, last: number, through?: number): PeriodTarget {
  const out: PeriodTarget = {};
  if (!k.target) return out;
  const partial = through !== undefined && through < last;
  // The single `all` period takes the target in force on the range's last day.
  const day = r.grain === 'all' ? last : first;
  const per = stepAt(k.target, day)?.per?.value ?? r.defaultPer;
  // A target set for the whole range (defaults.grain: all) read at grain all: as written.
  const asWritten = r.grain === 'all' && per === 'all';
  if (r.additivity.kind === 'additive' && !asWritten) {
    const t = summedBand(k.target, r.defaultPer, first, last);
    if ('noTarget' in t) {
      if (t.noTarget) out.noTarget = t.noTarget;
      return out;
    }
    out.target = t.bound;
    const w = k.warn && summedBand(k.warn, r.defaultPer, first, last);
    if (w && 'bound' in w) out.warn = w.bound;
    if (partial) {
      const pt = summedBand(k.target, r.defaultPer, first, through);
      if ('bound' in pt) out.paceTarget = pt.bound;
      const pw = k.warn && summedBand(k.warn, r.defaultPer, first, through);
      if (pw && 'bound' in pw) out.paceWarn = pw.bound;
    }
    return out;
  }
  const target = boundAt(k.target, day);
  if (!target) return out;
  const warn = boundAt(k.warn, day);
  if (r.additivity.kind !== 'level' && !asWritten) {
    if (per !== r.grain) {
      out.noTarget = `the target is set per ${per}, and \`${r.kpi}\` ${reasonOf(r.additivity)}: it has no honest value ${r.grain === 'all' ? 'over the whole range' : `per ${r.grain}`}`;
      return out;
    }
    out.target = target;
    if (warn) out.warn = warn;
    if (partial) out.noTarget = `the period is partial (data through ${dayText(through!)}), and \`${r.kpi}\` ${reasonOf(r.additivity)}: its target cannot be pro-rated by days`;
    return out;
  }
  out.target = target;
  if (warn) out.warn = warn;
  return out;
}

/** A band summed over the days `first` … `last`; `noTarget` (empty when the period has none at all) when some day has no bound. */
export function summedBand(band: TargetDef, defaultPer: Grain, first: number, last: number): { bound: Bound } | { noTarget: string | undefined } {
  const steps = datedSteps(band);
  let min = 0;
  let max = 0;
  let hasMin = true;
  let hasMax = true;
  for (let d = first; d <= last;) {
    const i = indexAt(steps, d);
    const step = i < 0 ? undefined : steps[i]!.step;
    if (!step || (!step.min && !step.max)) {
      // No target before the first step: none at all, unless a step starts inside the period.
      const next = steps.find((x) => x.day > d && x.day <= last);
      return { noTarget: next ? `the target starts on ${dayText(next.day)}, inside this period: the days before it have none` : undefined };
    }
    const per = step.per?.value ?? defaultPer;
    if (per === 'all') return { noTarget: 'the target is set for the whole range (defaults.grain: all): it has no share in a shorter period' };
    const perStart = periodStartOf(d, per);
    const perEnd = nextPeriodStart(perStart, per) - 1;
    const end = Math.min(last, perEnd, (steps[i + 1]?.day ?? Infinity) - 1);
    const share = (end - d + 1) / (perEnd - perStart + 1);
    if (step.min) min += step.min.value * share;
    else hasMin = false;
    if (step.max) max += step.max.value * share;
    else hasMax = false;
    d = end + 1;
  }
  const bound: Bound = {};
  if (hasMin) bound.min = clean(min);
  if (hasMax) bound.max = clean(max);
  return bound.min === undefined && bound.max === undefined ? { noTarget: 'the target gives no bound that holds over the whole period' } : { bound };
}

/** The steps with a usable start day, in order (an undated step starts at -Infinity). */
function datedSteps(band: TargetDef): { day: number; step: TargetStep }[] {
  const out: { day: number; step: TargetStep }[] = [];
  for (const step of band.steps) {
    const day = step.from ? periodStart(step.from.value) : -Infinity;
    if (day !== undefined) out.push({ day, step });
  }
  return out;
}

function indexAt(steps: { day: number }[], d: number): number {
  let found = -1;
  for (let i = 0; i < steps.length; i++) if (steps[i]!.day <= d) found = i;
  return found;
}

function stepAt(band: TargetDef, day: number): TargetStep | undefined {
  const steps = datedSteps(band);
  const i = indexAt(steps, day);
  return i < 0 ? undefined : steps[i]!.step;
}

/** Sums of day shares carry float noise (329999.99999999994): twelve significant digits are plenty for a target. */
function reasonOf(a: Additivity): string {
  return a.kind === 'fixed' ? a.reason : 'is a sum';
}

function clean(x: number): number {
  return +x.toPrecision(12);
}
