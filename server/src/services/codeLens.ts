import { formatBound, formatDay, formatValue, STATUS_TEXT } from '../engine/format';
import type { EvalResult } from '../engine/results';
import type { Snapshot } from './snapshot';
import type { Lens } from './types';

/**
 * One lens above each KPI of the file (over its id). With results: the latest value, the
 * target in force then and the status, e.g. `2.37% · target ≥ 2.50% · missed`, or
 * `12,345 · no target`; on a partial period the day its data ends and the pace, e.g.
 * `85,617 through 2026-10-31 · target ≥ 180,000 · on pace (≥ 60,000 so far)`; targets are those
 * in force at the results' grain; `no data` when no period has a value; `not computed` when the
 * results do not hold the KPI or there are no results yet, with the reason when an error stopped
 * it (`not computed: it reads the metric orders (b.kpi.yaml:4:21), whose source web …`).
 */
export function codeLenses(snap: Snapshot, results?: EvalResult): Lens[] {
  const out: Lens[] = [];
  for (const def of snap.spec.definitions) {
    if (def.kind !== 'kpi' || !snap.scope.owns(def)) continue;
    out.push({ span: def.idSpan, kpi: def.id, title: titleOf(def.id, def.file, results) });
  }
  return out;
}

function titleOf(id: string, file: string, results: EvalResult | undefined): string {
  const k = results?.kpis.find((x) => x.id === id && x.file === file);
  if (!k) return 'not computed';
  const { latest } = k;
  if (latest.period === undefined || latest.value === null) {
    const error = k.series.length === 0 ? k.problems.find((p) => p.severity === 'error') : undefined;
    return error ? `not computed: ${reasonText(error.message)}` : 'no data';
  }
  const locale = results?.locale;
  const parts = [formatValue(latest.value, k, locale) + (latest.through ? ` through ${formatDay(latest.through, locale)}` : '')];
  if (latest.target) parts.push(`target ${formatBound(latest.target, k, locale)}`);
  if (latest.pace && latest.paceTarget) parts.push(`${latest.pace === 'on_pace' ? 'on pace' : 'behind pace'} (${formatBound(latest.paceTarget, k, locale)} so far)`);
  else parts.push(STATUS_TEXT[latest.status]);
  return parts.join(' · ');
}

/** A problem's reason as a lens shows it: plain text (no Markdown), without the KPI's name, at most 100 characters. */
function reasonText(message: string): string {
  const text = message.replace(/^`[^`]+` (?:is not evaluated|has no value): /, '').replace(/`/g, '');
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
