import type { GoalDef } from '../language/model';
import type { GoalResult, KpiResult, Location } from './results';

/** Each goal's key results (its KPIs) and attainment, from the KPIs' results. */
export function goalResults(goals: Iterable<GoalDef>, kpis: KpiResult[], locate: (file: string, offset: number) => Location): GoalResult[] {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  return [...goals].map((goal) => goalResult(goal, byId, locate));
}

function goalResult(goal: GoalDef, kpis: Map<string, KpiResult>, locate: (file: string, offset: number) => Location): GoalResult {
  const judged: { weight: number; status: string }[] = [];
  const members = goal.members.map((m) => {
    const weight = typeof m.weight?.value === 'number' && m.weight.value > 0 ? m.weight.value : 1;
    const kpi = kpis.get(m.kpi);
    const status = kpi?.latest.status ?? ('no_data' as const);
    // A KPI counts when it was evaluated and has a target; then no data counts as not met.
    if (kpi && (kpi.latest.target || kpi.series.some((p) => p.target))) judged.push({ weight, status });
    return { id: m.kpi, weight, status, score: null };
  });
  const total = judged.reduce((s, m) => s + m.weight, 0);
  const met = judged.filter((m) => m.status === 'met').reduce((s, m) => s + m.weight, 0);
  const share = total ? met / total : null;
  const r: GoalResult = { id: goal.id, file: goal.file, at: locate(goal.file, goal.idSpan.offset), attainment: share, met: share, kpis: members };
  if (goal.title !== undefined) r.title = goal.title;
  if (goal.horizon) r.horizon = goal.horizon.value;
  return r;
}
