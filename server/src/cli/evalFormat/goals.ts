import { STATUS_MARK } from '../../engine/format';
import type { EvalResult, Status } from '../../engine/results';
import { textWidth } from '../format/stylish';

/** The goals block of the terminal scorecard: attainment and title, then the key results. */
export function goalsText(result: EvalResult, paint: (code: string, text: string) => string, colors: Record<Status, string>, dim: string): string[] {
  const out: string[] = [];
  for (const g of result.goals) {
    const att = g.attainment === null ? '—' : `${Math.round(g.attainment * 100)}%`;
    const members = g.kpis.map((k) => paint(colors[k.status], `${STATUS_MARK[k.status]} ${k.id}${k.weight !== 1 ? ` ×${k.weight}` : ''}`)).join('  ');
    out.push(`  ${att}${' '.repeat(Math.max(0, 5 - textWidth(att)))} ${g.title ?? g.id}${g.horizon ? paint(dim, ` (${g.horizon})`) : ''}`);
    out.push(`        ${members}`);
  }
  return out;
}

/** The goals table of the Markdown scorecard. */
export function goalsMarkdown(result: EvalResult, esc: (s: string) => string): string[] {
  const out = ['| Goal | Horizon | Attainment | Key results |', '|---|---|---:|---|'];
  for (const g of result.goals) {
    const att = g.attainment === null ? '—' : `${Math.round(g.attainment * 100)}%`;
    out.push(`| ${esc(g.title ?? g.id)} | ${g.horizon ?? ''} | ${att} | ${g.kpis.map((k) => `${STATUS_MARK[k.status]} \`${k.id}\``).join(', ')} |`);
  }
  return out;
}
