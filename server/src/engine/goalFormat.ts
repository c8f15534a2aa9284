import { formatBound, formatValue } from './format';
import { localeNumber } from './localeFormat';
import type { KeyResult, KpiResult, Track } from './results';

/** Goals and key results as words, the same in `eval` (text and Markdown) and in hover. */

export const TRACK_TEXT: Record<Track, string> = { on_track: 'on track', at_risk: 'at risk', off_track: 'off track' };
export const TRACK_MARK: Record<Track, string> = { on_track: '✔', at_risk: '▲', off_track: '✖' };

type Shape = Pick<KpiResult, 'format' | 'currency' | 'decimals'>;
const PLAIN: Shape = { format: 'number' };

/** `38%` (`38 %` in de-DE), or `—` for null. */
export function percentText(x: number | null | undefined, locale?: string): string {
  if (x === null || x === undefined) return '—';
  return (locale && localeNumber(Math.round(x * 100) / 100, locale, 0, { style: 'percent' })) || `${Math.round(x * 100)}%`;
}

/** `150 in 2025-06, from 120 in 2025-03, toward ≥ 200`, or why the key result is not graded. */
export function gradeText(kr: KeyResult, kpi: Shape | undefined, locale?: string): string {
  const shape = kpi ?? PLAIN;
  if (kr.value === undefined) return kr.scoreNote ?? '';
  const parts = [`${formatValue(kr.value, shape, locale)}${kr.period ? ` in ${kr.period}` : ''}`];
  if (kr.baseline !== undefined && kr.baseline !== null) parts.push(`from ${formatValue(kr.baseline, shape, locale)} ${kr.baselinePeriod ? `in ${kr.baselinePeriod}` : '(declared)'}`);
  if (kr.targetBound) parts.push(`toward ${formatBound(kr.targetBound, shape, locale)}`);
  const text = parts.join(', ');
  return kr.score === null && kr.scoreNote ? `${text}: ${kr.scoreNote}` : text;
}

/** `projected 140 by run-rate → off track`, `actual 130 at the due date → off track`, or why nothing is projected. */
export function paceText(kr: KeyResult, kpi: Shape | undefined, locale?: string): string {
  if (kr.projected === undefined) return '';
  const shape = kpi ?? PLAIN;
  const note = kr.projectedNote ? ` (${kr.projectedNote})` : '';
  if (kr.projected === null) return `no projection${note}`;
  const value = formatValue(kr.projected, shape, locale);
  const how = kr.method === 'actual' ? `actual ${value} at the due date` : `projected ${value}${kr.method ? ` by ${kr.method === 'run_rate' ? 'run-rate' : 'trend'}` : ''}`;
  const track = kr.track ? ` → ${TRACK_TEXT[kr.track]}` : '';
  return `${how}${track}${note}`;
}
