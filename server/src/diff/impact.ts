import type { DataAccess, EvalOptions } from '../engine/run';
import { evaluateSpec } from '../engine/run';
import { formatValue } from '../engine/format';
import type { KpiResult } from '../engine/results';
import { STATUS_TEXT } from '../engine/format';
import { attribute, beforeData } from './attribution';
import { summarize } from './diffSpecs';
import type { DiffResult, Snapshot } from './result';
import type { DiffSide } from './side';

/** Every KPI of a side evaluated on its sample data, by id (the first file defining it wins). */
export function evaluateSide(side: DiffSide, data: DataAccess, options: EvalOptions = {}): Map<string, KpiResult> {
  const out = new Map<string, KpiResult>();
  for (const file of [...side.files].sort()) {
    if (!side.ws.load(file).parsed) continue;
    for (const k of evaluateSpec(side.ws, file, options, data).kpis) if (!out.has(k.id)) out.set(k.id, k);
  }
  return out;
}

function snapshot(k: KpiResult): Snapshot {
  const s: Snapshot = { value: k.latest.value, text: formatValue(k.latest.value, k), status: k.latest.status };
  if (k.latest.period !== undefined) s.period = k.latest.period;
  return s;
}

/**
 * Adds each KPI entry's latest value and status on both sides (added KPIs: after only; removed:
 * before only), and a `met-to-missed` breaking change for KPIs whose latest status goes from
 * met to missed. Data is read through one DataAccess per side (a TableCache each).
 */
export function attachImpact(result: DiffResult, before: DiffSide, after: DiffSide, dataBefore: DataAccess, dataAfter: DataAccess, options: EvalOptions = {}): void {
  if (result.before.broken || result.after.broken) return;
  const kpis = result.entries.filter((e) => e.kind === 'kpi');
  if (!kpis.length) return;
  const a = evaluateSide(before, dataBefore, options);
  const b = evaluateSide(after, dataAfter, options);
  // The after side's definitions on the before side's data: what the spec edit does alone.
  const x = evaluateSide(after, beforeData(before, after, dataBefore), options);
  for (const e of kpis) {
    const old = e.change === 'added' ? undefined : a.get(e.oldId ?? e.id);
    const now = e.change === 'removed' ? undefined : b.get(e.id);
    const impact: NonNullable<typeof e.impact> = { change: null };
    if (old) impact.before = snapshot(old);
    if (now) impact.after = snapshot(now);
    if (impact.before?.value != null && impact.after?.value != null) impact.change = impact.after.value - impact.before.value;
    const same = now && x.get(e.id);
    if (old && now && same) attribute(impact, old, now, same, e.change !== 'added' && e.change !== 'removed');
    e.impact = impact;
    if (impact.before?.status === 'met' && impact.after?.status === 'missed') {
      result.breaking.push({
        reason: 'met-to-missed', kind: 'kpi', id: e.id,
        message: `\`${e.id}\` goes from ${STATUS_TEXT.met} to ${STATUS_TEXT.missed} (${impact.before.text} → ${impact.after.text})`,
      });
    }
  }
  summarize(result);
}
