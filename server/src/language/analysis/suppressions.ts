import { LineIndex } from '../lineIndex';
import type { Problem } from '../problem';
import { RULES } from '../rules';
import { closest } from '../suggest';

const DIRECTIVE = /#\s*kpispec-disable-next-line\b([^\n\r]*)/g;

interface Suppression {
  line: number;
  /** Without any rule named, the comment silences every rule. */
  all: boolean;
  rules: { name: string; offset: number; used: boolean }[];
  offset: number;
  length: number;
  usedAll: boolean;
}

/**
 * Applies `# kpispec-disable-next-line rule[, rule...] [-- reason]` comments: drops the problems
 * they silence and reports the ones that silence nothing or name unknown rules.
 */
export function applySuppressions(file: string, text: string, problems: Problem[]): Problem[] {
  if (!text.includes('kpispec-disable')) return problems;
  const lines = new LineIndex(text);
  const byLine = new Map<number, Suppression>();
  const extra: Problem[] = [];
  for (const m of text.matchAll(DIRECTIVE)) {
    const start = m.index!;
    const line = lines.positionAt(start).line;
    const body = m[1]!.split('--')[0]!;
    const bodyStart = start + m[0].length - m[1]!.length;
    const rules: Suppression['rules'] = [];
    const named = [...body.matchAll(/[^\s,]+/g)];
    for (const r of named) {
      const name = r[0];
      const offset = bodyStart + r.index!;
      if (!RULES.has(name)) {
        const s = closest(name, RULES.keys());
        extra.push({ rule: 'unknown-rule', severity: 'warning', message: `unknown rule \`${name}\` in a suppression comment${s ? ` (did you mean \`${s}\`?)` : ''}`, file, span: { offset, length: name.length }, ...(s ? { data: { suggestion: s } } : {}) });
        continue;
      }
      rules.push({ name, offset, used: false });
    }
    byLine.set(line + 1, { line: line + 1, all: named.length === 0, rules, offset: start, length: m[0].trimEnd().length, usedAll: false });
  }
  const kept = problems.filter((p) => {
    if (p.file !== file || p.rule === 'unused-suppression') return true;
    const s = byLine.get(lines.positionAt(p.span.offset).line);
    if (!s) return true;
    if (s.all) return !(s.usedAll = true);
    const r = s.rules.find((x) => x.name === p.rule);
    if (!r) return true;
    r.used = true;
    return false;
  });
  for (const s of byLine.values()) {
    if (s.all && !s.usedAll) {
      extra.push({ rule: 'unused-suppression', severity: 'warning', message: 'this suppression silences nothing on the next line; remove it', file, span: { offset: s.offset, length: s.length } });
    }
    for (const r of s.rules) {
      if (!r.used) extra.push({ rule: 'unused-suppression', severity: 'warning', message: `\`${r.name}\` reports nothing on the next line; remove it from the suppression`, file, span: { offset: r.offset, length: r.name.length }, data: { rule: r.name } });
    }
  }
  return [...kept, ...extra];
}
