import type { DiffResult } from '../../diff/result';
import { changeLines, entryHead, KIND_NAME, movesLines, statusCell, summaryLine } from './describe';

const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' };

/** For a terminal: one block per definition, coloured when `color`. */
export function textFormat(result: DiffResult, color: boolean): string {
  const paint = (c: keyof typeof ANSI, s: string) => (color ? ANSI[c] + s + ANSI.reset : s);
  const code = (s: string) => s;
  const out: string[] = [];
  for (const side of [result.before, result.after]) {
    if (!side.broken) continue;
    out.push(paint('red', `cannot compare: the ${side.label} side does not parse`));
    for (const p of side.problems) out.push(`  ${p.file}:${p.line}:${p.column}  ${p.message}  ${paint('dim', p.rule)}`);
  }
  if (out.length) return out.join('\n') + '\n';

  const summary = summaryLine(result);
  if (!summary) return `no semantic change (${result.files.length} spec file${result.files.length === 1 ? '' : 's'} compared)\n`;
  out.push(paint('bold', summary));
  for (const b of result.breaking) out.push(paint('red', `breaking: ${b.message}`));
  for (const f of result.files) if (f.change === 'added' || f.change === 'removed') out.push(`file ${f.path} ${f.change}`);
  const mark = { added: paint('green', '+'), removed: paint('red', '-'), renamed: paint('yellow', '→'), changed: paint('yellow', '~'), affected: paint('dim', '⋯') };
  for (const e of result.entries) {
    out.push('');
    out.push(`${mark[e.change]} ${KIND_NAME[e.kind]} ${entryHead(e, code)}  ${paint('dim', e.file)}`);
    for (const c of e.changes) {
      const { line, items } = changeLines(c, code);
      out.push(`    ${line}`);
      for (const i of items) out.push(`      ${i}`);
    }
    if (e.impact) {
      const before = e.impact.before?.text ?? '—';
      const after = e.impact.after?.text ?? '—';
      out.push(`    value: ${before} → ${after} · status ${statusCell(e.impact)}`);
      for (const line of movesLines(e.impact, code)) out.push(`    ${line}`);
    }
  }
  return out.join('\n') + '\n';
}
