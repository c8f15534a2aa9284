import type { EvalResult, KpiResult } from '../../engine/results';
import type { Explanation } from '../../explain';
import { textWidth } from '../format/stylish';
import { headline, methodLine, partsTables } from './rows';

const RESET = '\u001b[0m';
const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';

/** An explanation as a person reads it in a terminal: the change, the sentence, a table per breakdown. */
export function explainTable(e: Explanation, k: KpiResult, result: EvalResult, color: boolean): string {
  const paint = (code: string, text: string) => (color ? code + text + RESET : text);
  const out: string[] = [];
  out.push(paint(BOLD, k.title ? `${k.id}  ${k.title}` : k.id));
  out.push(headline(e, k, result));
  if (e.change !== null) out.push(paint(DIM, methodLine(e)));
  out.push('', e.summary);
  for (const t of partsTables(e, k, result)) {
    out.push('', paint(BOLD, t.title));
    const widths = t.header.map((h, i) => Math.max(textWidth(h), ...t.rows.map((r) => textWidth(r[i]!))));
    const line = (cells: string[]) => ('  ' + cells.map((c, i) => pad(c, widths[i]!, t.right[i]!)).join('  ')).trimEnd();
    out.push(paint(DIM, line(t.header)));
    t.rows.forEach((r, i) => out.push(i === t.rows.length - 1 ? paint(BOLD, line(r)) : line(r)));
  }
  const notes = e.notes.filter((n) => !e.summary.includes(n));
  if (notes.length) {
    out.push('', paint(BOLD, 'Notes'));
    for (const n of notes) out.push(paint(DIM, `  ${n}`));
  }
  return out.join('\n') + '\n';
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return right ? fill + text : text + fill;
}
