import type { GoalMember, Grain, KpiDef } from '../language/model';
import { bandAtDue, type DuePlace } from './dueDate';
import { progressScore, targetEdge } from './grading';
import { dayText } from './periods';
import { runRate, trend, type SeriesPoint } from './projection';
import type { Bound, KeyResult, KpiResult, Period, Point, Track } from './results';
import { statusOf } from './status';

/** What grading a key result needs beside its KPI's results. */
export interface GradingFrame {
  grain: Grain;
  periods: Period[];
  /** First day of the goal's start period, if declared. */
  startDay?: number;
  /** Where the goal's due day falls, if it has a valid `due` and a timeline. */
  due?: DuePlace;
  /** The goal declares a `due` (even one the timeline cannot place, as at grain `all`). */
  hasDue: boolean;
}

/**
 * A key result's score, baseline and target, and with a due date its projection and track
 * (docs/evaluation.md, "Goals"). An additive KPI's partial period is left out: its sum covers
 * only part of the period. A ratio's partial period is read like any other: it is a rate already.
 */
export function gradeKeyResult(kr: KeyResult, member: GoalMember, kpi: KpiResult, def: KpiDef | undefined, additive: boolean, frame: GradingFrame): void {
  const { periods, due } = frame;
  const series = kpi.series;
  const usable = (i: number) => !additive || periods[i]?.through === undefined;
  const lastUsable = lastIndex(series, (p, i) => usable(i) && p.value !== null);

  // The period graded: the due period once the data covers it, else the latest one read.
  let graded = lastUsable;
  if (due?.beforeRange) return note(kr, `the goal is due in ${due.key}, before the range evaluated`);
  if (due?.reached) graded = due.index;
  const point = graded >= 0 ? series[graded] : undefined;
  if (!point) return note(kr, series.some((p) => p.value !== null) ? 'only a partial period has a value yet' : 'no value in range');
  kr.period = point.period;
  kr.value = point.value;

  // Graded against the target in force when the goal is due (or in the period graded without a due).
  const bandOf = (which: 'target' | 'warn') => (due ? bandAtDue(def?.[which], series, periods, due, (p) => p[which]) : point[which]);
  const target = bandOf('target');
  const warn = bandOf('warn');
  const baseline = baselineOf(member, series, periods, frame.startDay, graded, usable);
  if (baseline.period) kr.baselinePeriod = baseline.period;
  kr.baseline = baseline.value;
  if (target) {
    kr.targetBound = target;
    kr.target = targetEdge(target, baseline.value);
  }
  if (warn) kr.warnBound = warn;

  if (frame.hasDue) project(kr, series, periods, graded, due, additive, lastUsable, target, warn, usable);

  if (point.value === null) return note(kr, `no value in ${point.period}`);
  if (!target) return note(kr, noTargetNote(kpi, point, due, frame.hasDue));
  if (baseline.value === null) return note(kr, baseline.note!);
  kr.score = progressScore(point.value, baseline.value, target);
}

function note(kr: KeyResult, text: string): void {
  kr.score = null;
  kr.scoreNote = text;
}

function noTargetNote(kpi: KpiResult, point: Point, due: DuePlace | undefined, hasDue: boolean): string {
  if (point.noTarget) return point.noTarget;
  if (!kpi.series.some((p) => p.target)) return 'the KPI has no target';
  return hasDue && due ? `no target in force in ${due.key}, when the goal is due` : `no target in force in ${point.period}`;
}

/**
 * Where progress is measured from: the declared baseline; else the first period read with a
 * value at or after the goal's start (the start's own period when it has one), or in range
 * without a start; never after the period graded.
 */
function baselineOf(member: GoalMember, series: Point[], periods: Period[], startDay: number | undefined, graded: number, usable: (i: number) => boolean): { value: number | null; period?: string; note?: string } {
  if (member.baseline) return { value: member.baseline.value };
  const from = startDay === undefined ? 0 : periods.findIndex((p) => p.end === undefined || p.end >= dayText(startDay));
  const i = from < 0 ? -1 : series.findIndex((p, j) => j >= from && usable(j) && p.value !== null);
  if (i < 0 || i > graded) {
    return { value: null, note: startDay === undefined ? 'no value to start from' : `no value at or after the goal's start (${dayText(startDay)}) to start from` };
  }
  return { value: series[i]!.value, period: series[i]!.period };
}

function project(kr: KeyResult, series: Point[], periods: Period[], graded: number, due: DuePlace | undefined, additive: boolean, lastUsable: number, target: Bound | undefined, warn: Bound | undefined, usable: (i: number) => boolean): void {
  if (!due) {
    kr.projected = null;
    kr.projectedNote = 'a single period (grain `all`): nothing to project';
    return;
  }
  if (due.reached) {
    kr.method = 'actual';
    kr.projected = series[graded]!.value;
  } else {
    const points: SeriesPoint[] = [];
    for (let i = 0; i <= lastUsable; i++) if (usable(i) && series[i]!.value !== null) points.push({ x: i, y: series[i]!.value! });
    const p = additive ? runRate(points) : trend(points, due.index);
    kr.projected = p ? p.value : null;
    if (p) kr.method = p.method;
    if (p?.note) kr.projectedNote = p.note;
  }
  const track = trackOf(kr.projected ?? null, target, warn);
  if (track) kr.track = track;
  else if (kr.projected !== null && !target) kr.projectedNote ??= 'no target at the due date to judge it against';
  if (periods.length && kr.projected === null) kr.projectedNote ??= 'no value to project from';
}

/** Where a projected value lands against the target and warn band at the due date. */
export function trackOf(projected: number | null, target: Bound | undefined, warn: Bound | undefined): Track | undefined {
  const s = statusOf(projected, target, warn);
  return s === 'met' ? 'on_track' : s === 'at_risk' ? 'at_risk' : s === 'missed' ? 'off_track' : undefined;
}

function lastIndex(series: Point[], ok: (p: Point, i: number) => boolean): number {
  for (let i = series.length - 1; i >= 0; i--) if (ok(series[i]!, i)) return i;
  return -1;
}
