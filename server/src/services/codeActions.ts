import type { Expr } from '../language/formula/ast';
import { forEachNode } from '../language/analysis/references';
import type { KpiDef } from '../language/model';
import type { Problem } from '../language/problem';
import type { Span } from '../language/span';
import { containsOffset, spanEnd } from '../language/span';
import { lineStartAt, prevLineStart } from '../language/textLines';
import { getPair } from '../language/yaml/tree';
import { numericColumn } from './definitionColumns';
import { checkId } from './rename';
import { locate } from './locate';
import type { Snapshot } from './snapshot';
import type { CodeAction, Edit } from './types';

/** Rules a suppression comment cannot silence. */
const UNSUPPRESSIBLE = new Set(['unused-suppression', 'unknown-rule']);
const DIRECTIVE = /#\s*kpispec-disable-next-line\b([^\n\r]*)/;

/**
 * Quick fixes for the problems of this file that overlap `span` (a cursor at a problem's edge
 * counts):
 * - did-you-mean: any problem carrying `data.suggestion` (misspelt ids, keys, enum values,
 *   columns, functions, formats, time zones, paths, rule names; `40` → `40%` for
 *   percent-target) replaces the problem's span with the suggestion, keeping the quotes or
 *   backticks it was written in; preferred;
 * - `time-unreadable` without a `time_format`: add the one that reads the sampled values;
 * - `number-unreadable`, `data-file-unreadable`: add the option that reads the file (`thousands: ','`, `encoding: gb18030`);
 * - `unknown-reference` in a KPI formula: create the metric, appended to `metrics:` (which is
 *   created before `kpis:` when missing) as `x: { source: s, agg: sum, column: x }` when a
 *   source `s` in scope has a numeric column `x`, else `x: { source: <first source in scope>,
 *   agg: count }`: both check clean;
 * - every rule but unused-suppression and unknown-rule: disable it for the problem's line,
 *   with a `# kpispec-disable-next-line` comment above it at its indentation, or by adding the
 *   rule to the comment already there.
 */
export function codeActions(snap: Snapshot, problems: Problem[], span: Span): CodeAction[] {
  const out: CodeAction[] = [];
  const fixes: CodeAction[] = [];
  const created = new Set<string>();
  const disabled = new Set<string>();
  for (const p of problems) {
    if (p.file !== snap.file || !overlaps(p.span, span)) continue;
    const suggestion = p.data?.suggestion;
    if (suggestion !== undefined && suggestion !== '') {
      const fix = didYouMean(snap, p, String(suggestion));
      if (fix) fixes.push(fix);
    }
    if (p.rule === 'unknown-reference') {
      const fix = createMetric(snap, p, created);
      if (fix) fixes.push(fix);
    }
    if (p.rule === 'time-unreadable' && p.data?.timeFormat !== undefined) fixes.push(addSourceOption(snap, p, spanEnd(p.span), `time_format: ${p.data.timeFormat}`));
    if ((p.rule === 'number-unreadable' || p.rule === 'data-file-unreadable') && p.data?.sourceOption !== undefined) fixes.push(addSourceOption(snap, p, Number(p.data.after), String(p.data.sourceOption)));
    if (!UNSUPPRESSIBLE.has(p.rule)) {
      const fix = disableForLine(snap, p, disabled);
      if (fix) out.push(fix);
    }
  }
  // did-you-mean first (preferred), then other fixes, then suppressions
  return [...fixes.filter((f) => f.preferred), ...fixes.filter((f) => !f.preferred), ...out];
}

function overlaps(a: Span, b: Span): boolean {
  return a.offset <= spanEnd(b) && b.offset <= spanEnd(a);
}

function action(title: string, p: Problem, edits: Edit[], preferred?: boolean): CodeAction {
  const a: CodeAction = { title, kind: 'quickfix', rule: p.rule, problemSpan: p.span, edits };
  if (preferred) a.preferred = true;
  return a;
}

// ---- reading options -------------------------------------------------------------------

/**
 * Adds a reading option (`time_format: X`, `thousands: ','`) to a source after the value ending
 * at `after` (its `time`, its `file`): in a flow mapping `{ …, time: date }` as `, key: X`, in a
 * block mapping as a line of its own.
 */
function addSourceOption(snap: Snapshot, p: Problem, after: number, option: string): CodeAction {
  const rest = snap.text.slice(after).match(/^[ \t]*([,}])?/)!;
  const lineStart = lineStartAt(snap.text, after);
  const indent = snap.text.slice(lineStart).match(/^[ \t]*/)![0];
  const newText = rest[1] ? `, ${option}` : `\n${indent}${option}`;
  return action(`Set \`${option}\``, p, [{ file: snap.file, span: { offset: after, length: 0 }, newText }], true);
}

// ---- did-you-mean -------------------------------------------------------------------------

function didYouMean(snap: Snapshot, p: Problem, suggestion: string): CodeAction | undefined {
  const written = snap.text.slice(p.span.offset, spanEnd(p.span));
  const text = replacementFor(snap, p.span, written, suggestion);
  if (text === written) return undefined;
  const title = p.rule === 'percent-target' ? `Write \`${suggestion}\` (a percent: ${written} means ${Number(written) * 100}%)` : `Change to \`${suggestion}\``;
  return action(title, p, [{ file: snap.file, span: p.span, newText: text }], true);
}

/** The suggestion written the way the replaced text was: in the same quotes, in backticks in a formula, or plain. */
function replacementFor(snap: Snapshot, span: Span, written: string, suggestion: string): string {
  const q = written[0];
  if (written.length >= 2 && (q === '"' || q === "'") && written.endsWith(q)) {
    return q === '"' ? JSON.stringify(suggestion) : `'${suggestion.replace(/'/g, "''")}'`;
  }
  if (inFormula(snap, span.offset)) {
    if (q === '`' || !/^[\p{L}_][\p{L}\p{N}_]*$/u.test(suggestion)) return '`' + suggestion + '`';
    return suggestion;
  }
  return plainYamlSafe(suggestion) ? suggestion : `'${suggestion.replace(/'/g, "''")}'`;
}

/** Text that reads back as the same string when written as a plain scalar, in block or flow style. */
function plainYamlSafe(s: string): boolean {
  return /^[\p{L}\p{N}_.\/][\p{L}\p{N}_ .\/\-+%]*$/u.test(s) && !s.endsWith(' ') && !/^(true|false|null|~|yes|no)$/i.test(s) && !/^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(s);
}

function inFormula(snap: Snapshot, offset: number): boolean {
  return snap.spec.definitions.some((d) => (d.kind === 'kpi' && !!d.formula && containsOffset(d.formula.span, offset)) || (d.kind === 'metric' && !!d.where && containsOffset(d.where.span, offset)));
}

// ---- create a metric ----------------------------------------------------------------------

function createMetric(snap: Snapshot, p: Problem, created: Set<string>): CodeAction | undefined {
  const kpi = snap.spec.definitions.find((d): d is KpiDef => d.kind === 'kpi' && !!d.formula && containsOffset(d.formula.span, p.span.offset));
  if (!kpi?.formula) return undefined;
  let name: string | undefined;
  forEachNode(kpi.formula.expr, (e: Expr) => {
    if (e.kind === 'name' && e.span.offset === p.span.offset && e.span.length === p.span.length) name = e.name;
  });
  if (!name || checkId(name) || created.has(name)) return undefined;
  const sources = [...snap.scope.sources.values()];
  if (!sources.length) return undefined; // no source to aggregate: a stub would only trade one error for another
  created.add(name);
  // a numeric column of that name in some source's data: sum it; otherwise count the rows of the first source
  let stub = `{ source: ${sources[0]!.id}, agg: count }`;
  for (const src of sources) {
    const col = numericColumn(snap.ws, src, name);
    if (col === undefined) continue;
    stub = `{ source: ${src.id}, agg: sum, column: ${plainYamlSafe(col) ? col : `'${col.replace(/'/g, "''")}'`} }`;
    break;
  }
  const edit = metricInsertion(snap, `${name}: ${stub}`);
  return action(`Create metric \`${name}\``, p, [edit]);
}

/** Where and how a new `id: {...}` entry goes at the end of `metrics:` (a new section before `kpis:` when missing). */
export function metricInsertion(snap: Snapshot, entry: string): Edit {
  const { text, file } = snap;
  const root = snap.spec.root;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = indentUnit(snap);
  const pair = getPair(root, 'metrics');
  const value = pair?.value;
  if (pair && value?.kind === 'map' && text[value.span.offset] === '{') {
    // flow style: before the closing brace
    const close = text.lastIndexOf('}', spanEnd(value.span));
    const before = text.slice(value.span.offset + 1, close);
    const sep = value.pairs.length ? (before.trimEnd().endsWith(',') ? ' ' : ', ') : ' ';
    const at = value.span.offset + 1 + before.trimEnd().length;
    return { file, span: { offset: at, length: 0 }, newText: `${sep}${entry}${at === close ? ' ' : ''}` };
  }
  if (pair && value?.kind === 'map' && value.pairs.length) {
    const first = value.pairs[0]!;
    const indent = ' '.repeat(first.key.span.offset - lineStartAt(text, first.key.span.offset));
    const last = value.pairs[value.pairs.length - 1]!;
    const at = afterLine(text, spanEnd(last.span));
    return { file, span: { offset: at.offset, length: 0 }, newText: `${at.prefix ? nl : ''}${indent}${entry}${nl}` };
  }
  if (pair && (value === null || (value?.kind === 'scalar' && value.value === null))) {
    const keyIndent = pair.key.span.offset - lineStartAt(text, pair.key.span.offset);
    const at = afterLine(text, spanEnd(pair.span));
    return { file, span: { offset: at.offset, length: 0 }, newText: `${at.prefix ? nl : ''}${' '.repeat(keyIndent + unit)}${entry}${nl}` };
  }
  // no usable section: a new one before `kpis:`, or at the end of the file
  const kpis = getPair(root, 'kpis');
  if (kpis) {
    const at = lineStartAt(text, kpis.key.span.offset);
    const col = kpis.key.span.offset - at;
    return { file, span: { offset: at, length: 0 }, newText: `metrics:${nl}${' '.repeat(col + unit)}${entry}${nl}${' '.repeat(col)}` };
  }
  const tail = text.length && !text.endsWith('\n') ? nl : '';
  return { file, span: { offset: text.length, length: 0 }, newText: `${tail}metrics:${nl}${' '.repeat(unit)}${entry}${nl}` };
}

/** How far the file indents section entries: the first entry of a block section, else 2. */
function indentUnit(snap: Snapshot): number {
  for (const key of ['sources', 'metrics', 'kpis', 'goals']) {
    const pair = getPair(snap.spec.root, key);
    const v = pair?.value;
    if (v?.kind === 'map' && v.pairs.length && snap.text[v.span.offset] !== '{') {
      const first = v.pairs[0]!.key.span.offset;
      const keyCol = pair!.key.span.offset - lineStartAt(snap.text, pair!.key.span.offset);
      const n = first - lineStartAt(snap.text, first) - keyCol;
      if (n > 0) return n;
    }
  }
  return 2;
}

/** The start of the line after the one holding `end - 1`; at the end of a file without a final newline, `prefix` asks for one. */
function afterLine(text: string, end: number): { offset: number; prefix: boolean } {
  if (end > 0 && text[end - 1] === '\n') return { offset: end, prefix: false };
  const nl = text.indexOf('\n', end);
  return nl < 0 ? { offset: text.length, prefix: true } : { offset: nl + 1, prefix: false };
}

// ---- suppressions -------------------------------------------------------------------------

function disableForLine(snap: Snapshot, p: Problem, done: Set<string>): CodeAction | undefined {
  const { text, file } = snap;
  const start = lineStartAt(text, p.span.offset);
  const key = `${start}:${p.rule}`;
  if (done.has(key)) return undefined;
  done.add(key);
  // a comment line cannot go inside a scalar that spans lines (a block or quoted formula)
  const inner = locate(snap.spec.root, start).node;
  if (inner?.kind === 'scalar' && inner.span.offset < start && spanEnd(inner.span) > start) return undefined;
  const title = `Disable ${p.rule} for this line`;
  if (start > 0) {
    const prevStart = prevLineStart(text, start);
    const prev = text.slice(prevStart, start).replace(/\r?\n$/, '');
    const m = DIRECTIVE.exec(prev);
    if (m) {
      const bodyStart = prevStart + m.index + m[0].length - m[1]!.length;
      const body = m[1]!.split('--')[0]!;
      const names = [...body.matchAll(/[^\s,]+/g)];
      if (!names.length || names.some((n) => n[0] === p.rule)) return undefined; // already silenced: not from this comment's view
      const last = names[names.length - 1]!;
      const at = bodyStart + last.index! + last[0].length;
      return action(title, p, [{ file, span: { offset: at, length: 0 }, newText: `, ${p.rule}` }]);
    }
  }
  const indent = /^[ \t]*/.exec(text.slice(start))![0];
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  return action(title, p, [{ file, span: { offset: start, length: 0 }, newText: `${indent}# kpispec-disable-next-line ${p.rule}${nl}` }]);
}
