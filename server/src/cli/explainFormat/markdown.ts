import type { EvalResult, KpiResult } from '../../engine/results';
import type { Explanation } from '../../explain';
import { headline, methodLine, partsTables } from './rows';

/** An explanation as Markdown, for a report or a pull-request comment. */
export function explainMarkdown(e: Explanation, k: KpiResult, result: EvalResult): string {
  const esc = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
  const out = [`## \`${k.id}\`${k.title ? ` ${esc(k.title)}` : ''}`, '', esc(headline(e, k, result)), ''];
  if (e.change !== null) out.push(esc(methodLine(e)), '');
  out.push(`**${esc(e.summary)}**`);
  for (const t of partsTables(e, k, result)) {
    out.push('', `### ${esc(t.title)}`, '');
    out.push(`| ${t.header.map(esc).join(' | ')} |`, `|${t.right.map((r) => (r ? '---:' : '---')).join('|')}|`);
    t.rows.forEach((r, i) => {
      const cells = r.map((c) => (c ? esc(c) : ''));
      out.push(`| ${(i === t.rows.length - 1 ? cells.map((c) => (c ? `**${c}**` : c)) : cells).join(' | ')} |`);
    });
  }
  const notes = e.notes.filter((n) => !e.summary.includes(n));
  if (notes.length) out.push('', ...notes.map((n) => `- ${esc(n)}`));
  return out.join('\n') + '\n';
}
