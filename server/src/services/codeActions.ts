import type { Expr } from '../language/formula/ast';
import { Context } from '../language/analysis/context';
import { forEachNode } from '../language/analysis/references';
import type { Problem } from '../language/problem';
import type { Span } from '../language/span';
import { spanEnd } from '../language/span';
import { lineStartAt, prevLineStart } from '../language/textLines';
import { numericColumn } from './definitionColumns';
import { kpiWithFormulaAt, metricWithWhereAt } from './fixes/common';
import { FIXERS } from './fixes/index';
import { sectionInsertion } from './fixes/sections';
import type { Fix, FixEnv } from './fixes/types';
import { checkId } from './rename';
import { locate } from './locate';
import type { Snapshot } from './snapshot';
import type { CodeAction, Edit } from './types';

/** Rules a suppression comment cannot silence. */
const UNSUPPRESSIBLE = new Set(['unused-suppression', 'unknown-rule']);
const DIRECTIVE = /#\s*kpispec-disable-next-line\b([^\n\r]*)/;
/** Rules whose fixers have no fix that "fix all" applies: not asked for one in "fix all". */
const NO_BATCH = new Set(['unit-mismatch', 'missing-key', 'empty-goal', 'invalid-aggregate']);
/** Rules whose `data.suggestion` is not a replacement of the problem's text. */
const NOT_DID_YOU_MEAN = new Set(['lookup-without-key']);

/**
 * Quick fixes for the problems of this file that overlap `span` (a cursor at a problem's edge
 * counts), in this order: preferred fixes, the other fixes, "Fix all <rule> problems in this
 * file", then "Disable <rule> for this line". The fixes of each rule are listed in
 * docs/rules.md ("Quick fixes"); those made here from a problem's `data`:
 * - did-you-mean: any problem carrying `data.suggestion` (misspelt ids, keys, enum values,
 *   columns, functions, formats, time zones, paths, rule names; `40` → `40%` for
 *   percent-target) replaces the problem's span with the suggestion, keeping the quotes or
 *   backticks it was written in; preferred;
 * - `time-unreadable` without a `time_format`: add the one that reads the sampled values;
 * - `number-unreadable`, `data-file-unreadable`: add the option that reads the file (`thousands: ','`, `encoding: gb18030`);
 * - `ambiguous-column`: each header name the column could mean that names one column exactly;
 * - `unknown-reference` in a KPI formula: create the metric, appended to `metrics:` (which is
 *   created before `kpis:` when missing) as `x: { source: s, agg: sum, column: x }` when a
 *   source `s` in scope has a numeric column `x`, else `x: { source: <first source in scope>,
 *   agg: count }`: both check clean;
 * the others by the fixers of fixes/ (FIXERS). And:
 * - "Fix all <rule> problems in this file": when at least two problems of a rule have a fix
 *   that "fix all" applies (the preferred one, or the rule's one safe fix: see Fix.batch) and
 *   some problem of the rule lies outside `span`; it applies those fixes whose edits do not
 *   overlap the ones taken before (in the order of the problems);
 * - every rule but unused-suppression and unknown-rule: disable it for the problem's line,
 *   with a `# kpispec-disable-next-line` comment above it at its indentation, or by adding the
 *   rule to the comment already there.
 */
export function codeActions(snap: Snapshot, problems: Problem[], span: Span): CodeAction[] {
  const env = fixEnv(snap, problems, false);
  const out: CodeAction[] = [];
  const fixes: CodeAction[] = [];
  const firstOfRule = new Map<string, Problem>();
  const disabled = new Set<string>();
  for (const p of problems) {
    if (p.file !== snap.file || !overlaps(p.span, span)) continue;
    if (!firstOfRule.has(p.rule)) firstOfRule.set(p.rule, p);
    for (const f of fixesOf(env, p)) fixes.push(action(f.title, p, f.edits, f.preferred));
    if (!UNSUPPRESSIBLE.has(p.rule)) {
      const fix = disableForLine(snap, p, disabled);
      if (fix) out.push(fix);
    }
  }
  const all: CodeAction[] = [];
  for (const [rule, first] of firstOfRule) {
    const mine = problems.filter((p) => p.file === snap.file && p.rule === rule);
    if (mine.length < 2 || mine.every((p) => overlaps(p.span, span))) continue;
    const edits = fixAllOfRule(snap, problems, rule, mine);
    if (edits) all.push(action(`Fix all ${rule} problems in this file`, first, edits.edits));
  }
  // preferred fixes first, then other fixes, fix-all, suppressions
  return [...fixes.filter((f) => f.preferred), ...fixes.filter((f) => !f.preferred), ...all, ...out];
}

/** The code action kind of fixAllInFile: `source.fixAll` for this language (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.kpispec';

/** What `source.fixAll.kpispec` does: the preferred fix of every problem of the file, where the edits do not overlap. */
export interface FixAll {
  title: string;
  edits: Edit[];
  /** How many problems it fixes. */
  fixed: number;
}

/**
 * The preferred fix of every problem of this file (did-you-mean, a reading option, a lowercase
 * currency in capitals, an unused suppression removed, …: what is clearly right), as one
 * action for `source.fixAll.kpispec` (fix on save); undefined when there is none. Fixes that
 * are only safe, not clearly right (removing an unused metric), are left to the per-rule
 * "Fix all" actions, which the user picks.
 */
export function fixAllInFile(snap: Snapshot, problems: Problem[]): FixAll | undefined {
  const mine = problems.filter((p) => p.file === snap.file);
  const result = applyAll(snap, problems, mine, true);
  return result && { title: 'Fix all auto-fixable kpispec problems in this file', edits: result.edits, fixed: result.fixed };
}

/**
 * "Fix all" of a rule, worked out once per list of problems (the server keeps one list per
 * version of a file): the editor asks for code actions at every move of the cursor.
 */
const fixAllMemo = new WeakMap<Problem[], Map<string, { text: string; result: ReturnType<typeof applyAll> }>>();

function fixAllOfRule(snap: Snapshot, problems: Problem[], rule: string, mine: Problem[]): ReturnType<typeof applyAll> {
  let byRule = fixAllMemo.get(problems);
  if (!byRule) fixAllMemo.set(problems, (byRule = new Map()));
  const known = byRule.get(rule);
  if (known && known.text === snap.text) return known.result;
  const result = applyAll(snap, problems, mine);
  byRule.set(rule, { text: snap.text, result });
  return result;
}

/** The "fix all" fix of each problem (preferred only: `preferredOnly`) merged where they do not overlap; undefined below two (one for `preferredOnly`). */
function applyAll(snap: Snapshot, problems: Problem[], list: Problem[], preferredOnly = false): { edits: Edit[]; fixed: number } | undefined {
  const env = fixEnv(snap, problems, true);
  const taken = new TakenEdits();
  let fixed = 0;
  for (const p of list) {
    const fixes = fixesOf(env, p);
    const fix = fixes.find((f) => f.preferred) ?? (preferredOnly ? undefined : fixes.find((f) => f.batch));
    if (fix && taken.add(fix.edits)) fixed++;
  }
  return fixed >= (preferredOnly ? 1 : 2) ? { edits: taken.all, fixed } : undefined;
}

/**
 * The edits "fix all" takes, per file in offset order, so that each fix is checked against its
 * neighbours only: linear in the number of problems, not quadratic.
 */
class TakenEdits {
  private readonly byFile = new Map<string, Edit[]>();

  /** Takes the edits of one fix unless one overlaps an edit taken before (an identical edit is taken once). */
  add(edits: Edit[]): boolean {
    const fresh: Edit[] = [];
    for (const e of edits) {
      const list = this.byFile.get(e.file) ?? [];
      const i = lowerBound(list, e.span.offset);
      const same = (t: Edit | undefined) => !!t && t.span.offset === e.span.offset && t.span.length === e.span.length && t.newText === e.newText;
      if (same(list[i]) || fresh.some((f) => f.file === e.file && same(f))) continue;
      // overlapping, or two edits starting at one place (whose order would matter)
      const prev = list[i - 1];
      const next = list[i];
      if (prev && spanEnd(prev.span) > e.span.offset) return false;
      if (next && (next.span.offset < spanEnd(e.span) || next.span.offset === e.span.offset)) return false;
      fresh.push(e);
    }
    for (const e of fresh) {
      const list = this.byFile.get(e.file) ?? [];
      list.splice(lowerBound(list, e.span.offset), 0, e);
      this.byFile.set(e.file, list);
    }
    return true;
  }

  get all(): Edit[] {
    return [...this.byFile.values()].flat();
  }
}

/** The index of the first edit starting at or after `offset`. */
function lowerBound(list: Edit[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.span.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fixEnv(snap: Snapshot, problems: Problem[], batch: boolean): FixEnv {
  let ctx: Context | undefined;
  return { snap, problems, batch, taken: new Set(), memo: new Map(), context: () => (ctx ??= new Context(snap.ws, snap.spec, snap.scope)) };
}

/** Every fix of one problem: those made from its `data`, then its rule's fixer's. */
function fixesOf(env: FixEnv, p: Problem): Fix[] {
  const { snap } = env;
  const out: Fix[] = [];
  const suggestion = p.data?.suggestion;
  if (suggestion !== undefined && suggestion !== '' && !NOT_DID_YOU_MEAN.has(p.rule)) {
    const fix = didYouMean(snap, p, String(suggestion));
    if (fix) out.push(fix);
  }
  if (p.rule === 'unknown-reference' && !env.batch) {
    const fix = createMetric(env, p);
    if (fix) out.push(fix);
  }
  if (p.rule === 'ambiguous-column' && typeof p.data?.choices === 'string' && !env.batch) {
    for (const choice of p.data.choices.split('\n')) {
      const fix = didYouMean(snap, p, choice);
      if (fix) out.push({ ...fix, preferred: false });
    }
  }
  if (p.rule === 'time-unreadable' && p.data?.timeFormat !== undefined) out.push(addSourceOption(snap, spanEnd(p.span), `time_format: ${p.data.timeFormat}`));
  if ((p.rule === 'number-unreadable' || p.rule === 'data-file-unreadable') && p.data?.sourceOption !== undefined) out.push(addSourceOption(snap, Number(p.data.after), String(p.data.sourceOption)));
  const fixer = FIXERS[p.rule];
  if (fixer && !(env.batch && NO_BATCH.has(p.rule))) out.push(...fixer(env, p));
  return out;
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
function addSourceOption(snap: Snapshot, after: number, option: string): Fix {
  const rest = snap.text.slice(after).match(/^[ \t]*([,}])?/)!;
  const lineStart = lineStartAt(snap.text, after);
  const indent = snap.text.slice(lineStart).match(/^[ \t]*/)![0];
  const newText = rest[1] ? `, ${option}` : `\n${indent}${option}`;
  return { title: `Set \`${option}\``, edits: [{ file: snap.file, span: { offset: after, length: 0 }, newText }], preferred: true };
}

// ---- did-you-mean -------------------------------------------------------------------------

function didYouMean(snap: Snapshot, p: Problem, suggestion: string): Fix | undefined {
  const written = snap.text.slice(p.span.offset, spanEnd(p.span));
  const text = replacementFor(snap, p.span, written, suggestion);
  if (text === written) return undefined;
  const title = p.rule === 'percent-target' ? `Write \`${suggestion}\` (a percent: ${written} means ${+(Number(written) * 100).toPrecision(12)}%)` : `Change to \`${suggestion}\``;
  return { title, edits: [{ file: snap.file, span: p.span, newText: text }], preferred: true };
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
  return !!kpiWithFormulaAt(snap, offset) || !!metricWithWhereAt(snap, offset);
}

// ---- create a metric ----------------------------------------------------------------------

function createMetric(env: FixEnv, p: Problem): Fix | undefined {
  const { snap } = env;
  const kpi = kpiWithFormulaAt(snap, p.span.offset);
  if (!kpi?.formula) return undefined;
  let name: string | undefined;
  forEachNode(kpi.formula.expr, (e: Expr) => {
    if (e.kind === 'name' && e.span.offset === p.span.offset && e.span.length === p.span.length) name = e.name;
  });
  if (!name || checkId(name) || env.taken.has(name)) return undefined;
  const sources = [...snap.scope.sources.values()];
  if (!sources.length) return undefined; // no source to aggregate: a stub would only trade one error for another
  env.taken.add(name);
  // a numeric column of that name in some source's data: sum it; otherwise count the rows of the first source
  let stub = `{ source: ${sources[0]!.id}, agg: count }`;
  for (const src of sources) {
    const col = numericColumn(snap.ws, src, name);
    if (col === undefined) continue;
    stub = `{ source: ${src.id}, agg: sum, column: ${plainYamlSafe(col) ? col : `'${col.replace(/'/g, "''")}'`} }`;
    break;
  }
  const edit = metricInsertion(snap, `${name}: ${stub}`);
  return { title: `Create metric \`${name}\``, edits: [edit] };
}

/** Where and how a new `id: {...}` entry goes at the end of `metrics:` (a new section before `kpis:` when missing). */
export function metricInsertion(snap: Snapshot, entry: string): Edit {
  return sectionInsertion(snap, 'metrics', entry, ['kpis', 'goals']);
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
