import { lineEndAt, lineStartAt, nextLineStart } from '../../language/textLines';
import type { Problem } from '../../language/problem';
import type { Fix, FixEnv, Fixer } from './types';

const DIRECTIVE = /#\s*kpispec-disable-next-line\b([^\n\r]*)/;

interface Directive {
  /** Where the `#` is. */
  start: number;
  /** The rule names before any `--`, with their offsets. */
  names: { name: string; offset: number }[];
}

function directiveOn(text: string, offset: number): Directive | undefined {
  const lineStart = lineStartAt(text, offset);
  const line = text.slice(lineStart, lineEndAt(text, offset));
  const m = DIRECTIVE.exec(line);
  if (!m) return undefined;
  const bodyStart = lineStart + m.index + m[0].length - m[1]!.length;
  const body = m[1]!.split('--')[0]!;
  return { start: lineStart + m.index, names: [...body.matchAll(/[^\s,]+/g)].map((n) => ({ name: n[0], offset: bodyStart + n.index! })) };
}

/**
 * The edit that drops some names from a suppression comment; the whole comment (its line when
 * it stands alone) when none would be left, since a comment without names silences every rule.
 */
function withoutNames(env: FixEnv, d: Directive, drop: Set<number>): { title: string; edit: Fix['edits'][number] } {
  const { text, file } = env.snap;
  const kept = d.names.filter((n) => !drop.has(n.offset));
  if (!kept.length) {
    const lineStart = lineStartAt(text, d.start);
    if (/^[ \t]*$/.test(text.slice(lineStart, d.start))) {
      const next = nextLineStart(text, d.start);
      const end = next < 0 ? text.length : next;
      return { title: 'Remove the suppression comment', edit: { file, span: { offset: lineStart, length: end - lineStart }, newText: '' } };
    }
    let from = d.start;
    while (from > lineStart && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    return { title: 'Remove the suppression comment', edit: { file, span: { offset: from, length: lineEndAt(text, d.start) - from }, newText: '' } };
  }
  const first = d.names[0]!;
  const last = d.names[d.names.length - 1]!;
  const span = { offset: first.offset, length: last.offset + last.name.length - first.offset };
  const dropped = d.names.filter((n) => drop.has(n.offset)).map((n) => `\`${n.name}\``);
  return { title: `Remove ${dropped.join(', ')} from the suppression`, edit: { file, span, newText: kept.map((n) => n.name).join(', ') } };
}

/** The offsets of the names on the comment that problems of `rule` (of the request) report. */
function reported(env: FixEnv, d: Directive, rule: string, only?: (p: Problem) => boolean): Set<number> {
  const offsets = new Set(d.names.map((n) => n.offset));
  return new Set(env.problems.filter((q) => q.rule === rule && q.file === env.snap.file && offsets.has(q.span.offset) && (!only || only(q))).map((q) => q.span.offset));
}

/**
 * unused-suppression: remove the rule from the comment, or the comment when it names nothing
 * else (or nothing at all). In "fix all", every unused name of a comment goes at once.
 */
export const unusedSuppression: Fixer = (env, p) => {
  const d = directiveOn(env.snap.text, p.span.offset);
  if (!d) return [];
  const bare = p.data?.rule === undefined;
  const drop = bare ? new Set(d.names.map((n) => n.offset)) : env.batch ? reported(env, d, 'unused-suppression') : new Set([p.span.offset]);
  drop.add(p.span.offset);
  const { title, edit } = withoutNames(env, d, bare ? new Set(d.names.map((n) => n.offset)) : drop);
  return [{ title, edits: [edit], preferred: true, batch: true }];
};

/** unknown-rule: remove the name from the comment (a rule of another tool, say); its respelling is the did-you-mean fix. */
export const unknownRule: Fixer = (env, p) => {
  const d = directiveOn(env.snap.text, p.span.offset);
  if (!d || !d.names.some((n) => n.offset === p.span.offset)) return [];
  const { title, edit } = withoutNames(env, d, new Set([p.span.offset]));
  return [{ title, edits: [edit] }];
};
