import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Host, ReadResult } from '../../server/src/data/host';
import { NodeHost } from '../../server/src/data/nodeHost';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import type { Problem } from '../../server/src/language/problem';
import { Workspace } from '../../server/src/language/workspace';
import { codeActions } from '../../server/src/services/codeActions';
import { snapshotOf } from '../../server/src/services/snapshot';
import type { CodeAction, Edit } from '../../server/src/services/types';

/**
 * The property every quick fix must have: applied to the spec, the spec checks without the
 * problem it fixes (one problem of that rule fewer; "fix all": as many fewer as it fixes) and
 * without any new error (no rule reports more errors than before).
 */

/** A host over the disk whose spec texts can be replaced. */
export class EditedHost implements Host {
  private readonly inner: Host;
  constructor(readonly edited: Map<string, string>, maxFileSize?: number) {
    this.inner = new NodeHost(maxFileSize);
  }
  readSpec(file: string): ReadResult {
    const text = this.edited.get(file);
    return text !== undefined ? { ok: true, text } : this.inner.readSpec(file);
  }
  realpath(file: string) {
    return this.inner.realpath(file);
  }
  listDir(dir: string) {
    return this.inner.listDir(dir);
  }
  dataShape(file: string, options: Parameters<Host['dataShape']>[1]) {
    return this.inner.dataShape(file, options);
  }
}

/** Applies edits to texts (per file, last edit first); the files are read from `read` when not in `texts`. */
export function applyEdits(texts: Map<string, string>, edits: Edit[], read: (file: string) => string): Map<string, string> {
  const out = new Map(texts);
  for (const e of [...edits].sort((a, b) => b.span.offset - a.span.offset)) {
    const t = out.get(e.file) ?? read(e.file);
    out.set(e.file, t.slice(0, e.span.offset) + e.newText + t.slice(e.span.offset + e.span.length));
  }
  return out;
}

export interface Verdict {
  title: string;
  rule: string;
  failure?: string;
}

/** Rule counts of a file's problems: all severities, and errors only. */
function counts(problems: Problem[], file: string) {
  const all = new Map<string, number>();
  const errors = new Map<string, number>();
  for (const p of problems) {
    if (p.file !== file) continue;
    all.set(p.rule, (all.get(p.rule) ?? 0) + 1);
    if (p.severity === 'error') errors.set(p.rule, (errors.get(p.rule) ?? 0) + 1);
  }
  return { all, errors };
}

/** How many problems of the rule an action fixes: one, or for "fix all" each problem of the rule whose fix it took. */
function expectedFewer(a: CodeAction): number {
  return a.title.startsWith('Fix all ') ? 2 : 1;
}

/**
 * Checks `file` in a workspace rooted at `root`, asks for the actions of each of its problems
 * (at the problem's span), applies each fix (not the "Disable … for this line" suppressions,
 * tested on their own) and checks again.
 */
export function verifyFixes(root: string, file: string, maxFileSize?: number): Verdict[] {
  const ws = new Workspace(new EditedHost(new Map(), maxFileSize), root);
  const [check] = checkFiles(ws, [file]);
  const snap = snapshotOf(ws, file);
  if (!check || !snap) return [];
  const before = counts(check.problems, file);
  const verdicts: Verdict[] = [];
  const seen = new Set<string>();
  for (const p of check.problems) {
    if (p.file !== file) continue;
    for (const a of codeActions(snap, check.problems, p.span)) {
      if (a.title.startsWith('Disable ') || a.problemSpan.offset !== p.span.offset || a.rule !== p.rule) continue;
      const key = `${a.rule}@${a.problemSpan.offset}:${a.title}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const texts = applyEdits(new Map(), a.edits, (f) => fs.readFileSync(f, 'utf8'));
      const again = new Workspace(new EditedHost(texts, maxFileSize), root);
      const [after] = checkFiles(again, [file]);
      const now = counts(after!.problems, file);
      const failures: string[] = [];
      const was = before.all.get(a.rule) ?? 0;
      const is = now.all.get(a.rule) ?? 0;
      if (is > was - expectedFewer(a)) failures.push(`${a.rule}: ${was} problems before, ${is} after`);
      for (const [rule, n] of now.errors) {
        if (n > (before.errors.get(rule) ?? 0)) {
          const added = after!.problems.filter((q) => q.rule === rule && q.file === file).map((q) => q.message);
          failures.push(`new ${rule} error (${before.errors.get(rule) ?? 0} → ${n}): ${added.join(' | ')}`);
        }
      }
      verdicts.push({ title: a.title, rule: a.rule, ...(failures.length ? { failure: failures.join('; ') } : {}) });
    }
  }
  return verdicts;
}

export function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
