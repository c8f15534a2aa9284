import type { Severity } from '../../language/problem';
import type { Formatter } from '../report';
import { countSeverities, locateAll, Locator, relPath, type Located } from './locate';

const TAB = 4;
/** Source lines wider than this (in cells) are clipped around the span. */
const MAX_WIDTH = 100;
/** Cells kept left of the span when clipping. */
const CONTEXT = 20;

const SEVERITY_COLOR: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '90' };

/**
 * Terminal cells of a code point: 2 for East Asian wide/full-width and emoji, 0 for combining
 * marks, joiners and variation selectors. An approximation of wcwidth, enough to align markers.
 */
export function cellWidth(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (/[\p{Mn}\p{Me}\u200B-\u200F\uFE00-\uFE0F]/u.test(ch)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd) ||
    /\p{Emoji_Presentation}/u.test(ch)
  ) {
    return 2;
  }
  return 1;
}

export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += cellWidth(ch.codePointAt(0)!);
  return w;
}

/** Control characters from a spec file must not reach the terminal (escape sequences): show them as symbols. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x20 ? String.fromCharCode(0x2400 + n) : n === 0x7f ? '\u2421' : '\ufffd';
  });
}

/**
 * A source line and a marker line under the UTF-16 range [start, end) of it. Both are built from
 * the same cells (tabs to stops of 4, wide characters 2), so the marker stays under the span.
 */
export function codeFrame(line: string, start: number, end: number): { source: string; marker: string } {
  const cells: { at: number; text: string; col: number; width: number }[] = [];
  let col = 0;
  for (let i = 0; i < line.length; ) {
    const cp = line.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const width = ch === '\t' ? TAB - (col % TAB) : cellWidth(cp);
    cells.push({ at: i, text: ch === '\t' ? ' '.repeat(width) : printable(ch), col, width });
    col += width;
    i += ch.length;
  }
  const total = col;
  const cellAt = (offset: number) => cells.find((c) => c.at >= offset)?.col ?? total;
  const startCell = cellAt(start);
  let endCell = Math.max(cellAt(end), startCell + 1);

  let from = 0;
  let to = total;
  if (total > MAX_WIDTH) {
    from = Math.max(0, Math.min(startCell - CONTEXT, total - MAX_WIDTH));
    to = from + MAX_WIDTH;
    endCell = Math.min(endCell, Math.max(to, startCell + 1));
  }
  const prefix = from > 0 ? '…' : '';
  let source = prefix;
  let pos = from;
  for (const c of cells) {
    if (c.col < from || c.col + c.width > to) continue;
    source += ' '.repeat(c.col - pos) + c.text; // a wide character cut at the left edge leaves a gap
    pos = c.col + c.width;
  }
  if (to < total) source += '…';
  const marker = ' '.repeat(prefix.length + startCell - from) + '^' + '~'.repeat(endCell - startCell - 1);
  return { source, marker };
}

/**
 * `--format stylish` (the default), after ESLint's:
 *
 *   specs/a.kpi.yaml                         (underlined when colour)
 *     3:12  error    Unknown reference …  unknown-reference
 *        3 |   value: revnue / sessions
 *          |          ^~~~~~
 *       ↳ specs/b.kpi.yaml:7:5 defined here
 *
 *   ✖ 5 problems (3 errors, 1 warning, 1 hint)     or     ✔ no problems
 *
 * Columns are 1-based UTF-16 like every other format. Clean files are not listed.
 */
export const stylish: Formatter = (reports, options) => {
  const paint = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const locator = new Locator(reports);
  let out = '';
  for (const f of locateAll(reports, options.cwd, locator)) {
    if (f.problems.length === 0) continue;
    const rows = f.problems.map((l) => ({
      l,
      pos: `${l.range.line}:${l.range.column}`,
      message: printable(l.problem.message.replace(/\r\n|\r|\n|\t/g, ' ')),
    }));
    const posWidth = Math.max(...rows.map((r) => r.pos.length));
    const sevWidth = Math.max(...rows.map((r) => r.l.problem.severity.length));
    const msgWidth = Math.max(...rows.map((r) => textWidth(r.message)));
    out += paint('4', f.rel) + '\n';
    for (const { l, pos, message } of rows) {
      const sev = l.problem.severity;
      out += `  ${pos.padEnd(posWidth)}  ${paint(SEVERITY_COLOR[sev], sev)}${' '.repeat(sevWidth - sev.length)}  `;
      out += message + ' '.repeat(msgWidth - textWidth(message)) + '  ' + paint('2', l.problem.rule) + '\n';
      out += frame(locator, l, paint);
      for (const r of l.related) {
        out += `    ${paint('2', '↳')} ${relPath(r.file, options.cwd)}:${r.range.line}:${r.range.column} ${printable(r.message)}\n`;
      }
    }
    out += '\n';
  }
  return out + summary(countSeverities(reports), paint) + '\n';
};

function frame(locator: Locator, l: Located, paint: (code: string, s: string) => string): string {
  const index = locator.index(l.problem.file);
  if (index.text === '') return ''; // unreadable file: nothing to show
  const line = l.range.line - 1;
  const text = index.lineText(line);
  const start = l.range.column - 1;
  // A span running past its first line is marked to the end of that line.
  const end = l.range.endLine === l.range.line ? l.range.endColumn - 1 : text.length;
  const { source, marker } = codeFrame(text, start, end);
  const no = String(l.range.line);
  const indent = marker.indexOf('^');
  return (
    `    ${paint('2', `${no} |`)} ${source}\n` +
    `    ${paint('2', `${' '.repeat(no.length)} |`)} ${' '.repeat(indent)}${paint(SEVERITY_COLOR[l.problem.severity], marker.slice(indent))}\n`
  );
}

function summary(c: Record<Severity, number>, paint: (code: string, s: string) => string): string {
  const total = c.error + c.warning + c.info + c.hint;
  if (total === 0) return paint('32', '✔ no problems');
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const parts = [n(c.error, 'error'), n(c.warning, 'warning')];
  if (c.info) parts.push(n(c.info, 'info'));
  if (c.hint) parts.push(n(c.hint, 'hint'));
  const text = `✖ ${n(total, 'problem')} (${parts.join(', ')})`;
  return paint(c.error ? '1;31' : c.warning ? '1;33' : '1', text);
}
