import type { DefKind } from '../../language/model';
import { STATUS_TEXT } from '../../engine/format';
import type { Change, DiffResult, Entry, Impact } from '../../diff/result';

export const KIND_TITLE: Record<DefKind, string> = { goal: 'Goals', kpi: 'KPIs', metric: 'Metrics', source: 'Sources' };
export const KIND_NAME: Record<DefKind, string> = { goal: 'goal', kpi: 'KPI', metric: 'metric', source: 'source' };

/** `2 changed, 1 renamed, 1 affected · 1 breaking`, or undefined when nothing changed. */
export function summaryLine(result: DiffResult): string | undefined {
  const s = result.summary;
  const parts = (['changed', 'affected', 'renamed', 'added', 'removed'] as const).filter((k) => s[k]).map((k) => `${s[k]} ${k}`);
  const files = result.files.filter((f) => f.change === 'added' || f.change === 'removed').length;
  if (!parts.length && !files) return undefined;
  const kpis = result.entries.filter((e) => e.kind === 'kpi').length;
  const out = [`${parts.join(', ') || 'no definition changed'}${kpis ? ` (${kpis} KPI${kpis > 1 ? 's' : ''} to review)` : ''}`];
  if (files) out.push(`${files} file${files > 1 ? 's' : ''} added or removed`);
  if (s.breaking) out.push(`${s.breaking} breaking change${s.breaking > 1 ? 's' : ''}`);
  return out.join(' · ');
}

/** The "what changed" cell of a KPI row. */
export function whatChanged(e: Entry): string {
  switch (e.change) {
    case 'added': return 'added';
    case 'removed': return 'removed';
    case 'renamed': return [`renamed from ${e.oldId}`, ...e.changes.map((c) => c.aspect)].join(', ');
    case 'affected': return `via ${e.path!.slice(1).join(' ← ')}`;
    default: return e.changes.map((c) => c.aspect).join(', ');
  }
}

export function statusCell(impact: Impact | undefined): string {
  if (!impact) return '';
  const a = impact.before ? STATUS_TEXT[impact.before.status] : '—';
  const b = impact.after ? STATUS_TEXT[impact.after.status] : '—';
  return a === b ? a : `${a} → ${b}`;
}

/** One line per change: `formula: revenue / orders → revenue / customers`, with item lines under it. */
export function changeLines(c: Change, code: (s: string) => string): { line: string; items: string[] } {
  const side = (t: string | undefined) => (t === undefined ? '(none)' : code(t));
  const items = (c.items ?? []).map((i) =>
    i.change === 'added' ? `${i.key}: added ${code(i.after!)}` : i.change === 'removed' ? `${i.key}: removed ${code(i.before!)}` : `${i.key}: ${code(i.before!)} → ${code(i.after!)}`);
  const list = c.aspect === 'target' || c.aspect === 'warn' || c.aspect === 'kpis' || c.aspect === 'options' || c.aspect === 'by';
  if (list && items.length) return { line: `${c.aspect}:`, items };
  return { line: `${c.aspect}: ${side(c.before)} → ${side(c.after)}`, items: [] };
}

export function entryHead(e: Entry, code: (s: string) => string): string {
  switch (e.change) {
    case 'renamed': return `${code(e.oldId!)} → ${code(e.id)} renamed`;
    case 'affected': return `${code(e.id)} affected: ${e.because}`;
    default: return `${code(e.id)} ${e.change}`;
  }
}

/**
 * What moves a KPI's number, in a line or two: the spec edit's part and the data's, and the
 * groups the edit moves most (`channel email ¥180.00 → ¥120.00 (−33.3%)`); empty when the
 * impact holds neither.
 */
export function movesLines(impact: Impact | undefined, code: (s: string) => string): string[] {
  const out: string[] = [];
  if (impact?.split) out.push(`change: ${impact.split.text}`);
  const m = impact?.movers;
  if (m) {
    const groups = m.groups.map((g) => `${g.dimension} ${g.group === null ? '(empty)' : code(g.group)} ${g.text}`);
    out.push(`the edit moves most: ${groups.join('; ')}${m.unchanged ? `; ${m.unchanged} other group${m.unchanged > 1 ? 's' : ''} unchanged` : ''}`);
  }
  return out;
}
