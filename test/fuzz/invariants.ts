import { LineIndex } from '../../server/src/language/lineIndex';
import type { Problem } from '../../server/src/language/problem';
import { RULES } from '../../server/src/language/rules';
import type { Span } from '../../server/src/language/span';

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);

/** The text of a file as the check saw it, or undefined when it is not a text the check read. */
export type TextOf = (file: string) => string | undefined;

/** What is wrong with a span into a text: it must lie within it, so that it has a line and a column. */
export function spanFault(span: Span | undefined, text: string | undefined, what: string): string | undefined {
  if (!span || typeof span.offset !== 'number' || typeof span.length !== 'number') return `${what}: no span (${JSON.stringify(span)})`;
  if (text === undefined) return undefined; // a data file or a file the check could not read: only its shape is checked
  const { offset, length } = span;
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > text.length) {
    return `${what}: span ${offset}+${length} outside the text (length ${text.length})`;
  }
  const lines = new LineIndex(text);
  for (const end of [offset, offset + length]) {
    const pos = lines.positionAt(end);
    if (!(pos.line >= 0 && pos.character >= 0) || lines.offsetAt(pos) !== end) return `${what}: offset ${end} has no line and column (${JSON.stringify(pos)})`;
  }
  return undefined;
}

/** The faults of a check's problems: each has a known rule, a severity, a message, a file and a span within its text. */
export function problemFaults(problems: readonly Problem[], textOf: TextOf): string[] {
  const faults: string[] = [];
  for (const p of problems) {
    const what = `problem ${p.rule} "${String(p.message).slice(0, 80)}"`;
    if (!RULES.has(p.rule)) faults.push(`${what}: unknown rule`);
    if (p.rule === 'internal-error') faults.push(`${what}: an internal error`);
    if (!SEVERITIES.has(p.severity)) faults.push(`${what}: severity ${p.severity}`);
    if (typeof p.message !== 'string' || !p.message.trim()) faults.push(`${what}: no message`);
    if (typeof p.file !== 'string' || !p.file.startsWith('/')) faults.push(`${what}: file ${p.file} is not an absolute path`);
    const fault = spanFault(p.span, textOf(p.file), `${what} in ${p.file}`);
    if (fault) faults.push(fault);
    for (const r of p.related ?? []) {
      const related = spanFault(r.span, textOf(r.file), `${what}, related "${r.message}" in ${r.file}`);
      if (related) faults.push(related);
    }
  }
  return faults;
}
