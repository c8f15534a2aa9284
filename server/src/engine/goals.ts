import type { GoalDef, Grain, KpiDef } from '../language/model';
import { periodEnd, periodStart } from '../language/period';
import type { Scope } from '../language/workspace';
import { additivityOf, type Additivity } from './additivity';
import { placeDue } from './dueDate';
import { gradeKeyResult, type GradingFrame } from './keyResult';
import { dayText } from './periods';
import type { GoalResult, KeyResult, KpiResult, Location, Period, Track } from './results';

/** What the goals are computed from: the run's KPI results, timeline and grain, and the scope their KPIs are defined in. */
export interface GoalInputs {
  kpis: KpiResult[];
  periods: Period[];
  grain: Grain;
  scope: Scope;
  locate: (file: string, offset: number) => Location;
}

/** Each goal's key results (its KPIs), graded attainment, share met, and with a due date its track. */
export function goalResults(goals: Iterable<GoalDef>, inputs: GoalInputs): GoalResult[] {
  const byId = new Map(inputs.kpis.map((k) => [k.id, k]));
  const additivity = new Map<KpiDef, Additivity>();
  return [...goals].map((goal) => goalResult(goal, byId, additivity, inputs));
}

const WORST: Track[] = ['off_track', 'at_risk', 'on_track'];

function goalResult(goal: GoalDef, kpis: Map<string, KpiResult>, additivity: Map<KpiDef, Additivity>, inputs: GoalInputs): GoalResult {
  const startDay = goal.start && periodStart(goal.start.value);
  const dueDay = goal.due && periodEnd(goal.due.value);
  const frame: GradingFrame = { grain: inputs.grain, periods: inputs.periods, hasDue: dueDay !== undefined };
  if (startDay !== undefined) frame.startDay = startDay;
  if (dueDay !== undefined) frame.due = placeDue(inputs.periods, inputs.grain, dueDay);

  const judged: { weight: number; met: boolean }[] = [];
  const members = goal.members.map((m) => {
    const weight = typeof m.weight?.value === 'number' && m.weight.value > 0 ? m.weight.value : 1;
    const kpi = kpis.get(m.kpi);
    const kr: KeyResult = { id: m.kpi, weight, status: kpi?.latest.status ?? 'no_data', score: null };
    if (!kpi) {
      kr.scoreNote = 'not evaluated';
      return kr;
    }
    // A KPI counts toward `met` when it has a target; then no data counts as not met.
    if (kpi.latest.target || kpi.series.some((p) => p.target)) judged.push({ weight, met: kpi.latest.status === 'met' });
    const def = inputs.scope.names.get(m.kpi);
    const kpiDef = def?.kind === 'kpi' ? def : undefined;
    const additive = kpiDef ? additivityOf(kpiDef, inputs.scope, additivity).kind === 'additive' : false;
    gradeKeyResult(kr, m, kpi, kpiDef, additive, frame);
    return kr;
  });

  const r: GoalResult = { id: goal.id, file: goal.file, at: inputs.locate(goal.file, goal.idSpan.offset), attainment: weightedMean(members), met: metShare(judged), kpis: members };
  if (goal.title !== undefined) r.title = goal.title;
  if (goal.horizon) r.horizon = goal.horizon.value;
  if (startDay !== undefined) r.start = dayText(startDay);
  if (dueDay !== undefined) {
    r.due = dayText(dueDay);
    const track = WORST.find((t) => members.some((k) => k.track === t));
    if (track) r.track = track;
  }
  return r;
}

/** The weighted mean of the graded scores; key results that cannot be graded are left out. */
function weightedMean(members: KeyResult[]): number | null {
  let total = 0;
  let sum = 0;
  for (const k of members) {
    if (k.score === null) continue;
    total += k.weight;
    sum += k.weight * k.score;
  }
  return total ? sum / total : null;
}

function metShare(judged: { weight: number; met: boolean }[]): number | null {
  const total = judged.reduce((s, m) => s + m.weight, 0);
  return total ? judged.filter((m) => m.met).reduce((s, m) => s + m.weight, 0) / total : null;
}
