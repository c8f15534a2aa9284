import * as path from 'node:path';
import { KIND_NAMES } from '../language/analysis/context';
import type { Definition } from '../language/model';
import type { Span } from '../language/span';
import { containsOffset } from '../language/span';
import type { Workspace } from '../language/workspace';
import { nameSpan, referencesTo, targetAt } from './definitionTarget';
import { locate } from './locate';
import { referencesOf } from './references';
import { relationsOf } from './relationColumns';
import { namedBy, renameNamed } from './relationRename';
import { relationTargetAt } from './relationTarget';
import { snapshotsOf, type Snapshot } from './snapshot';
import type { Edit, RenameResult } from './types';

const ID = /^[a-z][a-z0-9_]*$/;
/** Words an id may not be: formula keywords, and what YAML reads as something other than text. */
const RESERVED = new Set(['and', 'or', 'not', 'true', 'false', 'null']);
const FORMULA_KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false']);

export type PrepareRenameResult = { span: Span; placeholder: string } | { error: string };

/**
 * Whether the name at the cursor can be renamed: the id of a source, metric, KPI or goal, a
 * lookup, a derived or aggregate column, or a reference to one. Gives the exact span of the
 * name (inside quotes or backticks; in `deal.won_date` the part at the cursor) and the current
 * name, or a message saying why not (a data column, a function, a keyword, a path, a name that
 * resolves to nothing, or nothing at all).
 */
export function prepareRename(snap: Snapshot, offset: number): PrepareRenameResult {
  const refs = referencesOf(snap);
  const rel = relationsOf(snap);
  const rt = relationTargetAt(snap, offset, refs, rel);
  if (rt) {
    const named = namedBy(rt, rel);
    return 'error' in named ? named : { span: rt.span, placeholder: named.def.name };
  }
  const t = targetAt(snap, offset, refs);
  if (t) {
    switch (t.kind) {
      case 'definition':
        return { span: t.span, placeholder: t.def.id };
      case 'column':
        return { error: `\`${t.ref.name}\` is a column of the data, named by the data file's header; rename it there, not in the spec` };
      case 'function':
        return { error: `\`${t.ref.name}\` is a built-in function and cannot be renamed` };
      case 'path':
        return { error: `\`${t.ref.name}\` is a file path, not an id; rename the file and edit the path instead` };
      case 'unresolved':
        if (t.ref.kind === 'lookup') return { error: `\`${t.ref.name}\` is not a lookup of the source, so there is nothing to rename` };
        return { error: `\`${t.ref.name}\` does not name a source, metric, KPI or goal in scope, so there is nothing to rename` };
    }
  }
  const word = wordAt(snap.text, offset);
  if (word && FORMULA_KEYWORDS.has(word) && inFormula(snap, offset)) return { error: `\`${word}\` is a formula keyword and cannot be renamed` };
  const place = locate(snap.spec.root, offset);
  if (place.key) return { error: `\`${String(place.key.key.value)}\` is a key of the spec language and cannot be renamed` };
  return { error: 'nothing to rename here: put the cursor on the id of a source, metric, KPI or goal, or on a name that refers to one' };
}

/**
 * Renames a source, metric, KPI or goal: its id and every reference to it (formula names,
 * `source:`, `from:`, goal members) in every file where the name resolves to it. Refuses an
 * invalid id, an id already taken in any affected scope (metrics, KPIs and goals share one
 * namespace, sources have their own), and whatever prepareRename refuses. Lookups and derived
 * or aggregate columns are renamed by relationRename.ts.
 */
export function rename(ws: Workspace, files: string[], snap: Snapshot, offset: number, newName: string): RenameResult {
  const refs = referencesOf(snap);
  const rel = relationsOf(snap);
  const rt = relationTargetAt(snap, offset, refs, rel);
  if (rt) {
    const named = namedBy(rt, rel);
    return 'error' in named ? named : renameNamed(ws, files, snap, named, newName, checkId);
  }
  const t = targetAt(snap, offset, refs);
  if (t?.kind !== 'definition') {
    const prep = prepareRename(snap, offset);
    return { error: 'error' in prep ? prep.error : 'nothing to rename here' };
  }
  const def = t.def;
  const invalid = checkId(newName);
  if (invalid) return { error: invalid };
  if (newName === def.id) return { edits: [] };

  const affected = snapshotsOf(ws, [...files, def.file], snap).filter((s) => s.file === def.file || resolves(s, def));
  for (const s of affected) {
    const taken = def.kind === 'source' ? s.scope.sources.get(newName) : s.scope.names.get(newName);
    if (taken && taken !== def) {
      const where = path.relative(ws.root, taken.file) || path.basename(taken.file);
      const space = def.kind === 'source' ? 'sources have their own set of ids' : 'metrics, KPIs and goals share one set of ids';
      return { error: `cannot rename \`${def.id}\` to \`${newName}\`: \`${newName}\` is already a ${KIND_NAMES[taken.kind]} in ${where} (${space})` };
    }
  }

  const edits: Edit[] = [];
  const add = (file: string, span: Span) => {
    if (!edits.some((e) => e.file === file && e.span.offset === span.offset)) edits.push({ file, span, newText: newName });
  };
  const defText = ws.load(def.file).parsed?.spec.text ?? (def.file === snap.file ? snap.text : undefined);
  add(def.file, defText === undefined ? def.idSpan : nameSpan(defText, def.idSpan, def.id));
  for (const s of affected) for (const r of referencesTo(s, def)) add(s.file, nameSpan(s.text, r.span, r.name));
  edits.sort((a, b) => a.file.localeCompare(b.file) || a.span.offset - b.span.offset);
  return { edits };
}

/** Why a name cannot be an id, or undefined when it can. */
export function checkId(name: string): string | undefined {
  if (!ID.test(name)) return `\`${name}\` is not a valid id: ids are lower_snake_case, a letter then letters, digits and \`_\` (\`^[a-z][a-z0-9_]*$\`), e.g. \`bounce_rate\``;
  if (name.includes('__')) return `\`${name}\` is not a valid id: \`__\` is reserved as a path separator`;
  if (RESERVED.has(name)) return `\`${name}\` cannot be an id: it is ${name === 'null' || name === 'true' || name === 'false' ? 'read by YAML as a value, not as text' : 'a formula keyword'}`;
  return undefined;
}

function resolves(s: Snapshot, def: Definition): boolean {
  return (def.kind === 'source' ? s.scope.sources.get(def.id) : s.scope.names.get(def.id)) === def;
}

function wordAt(text: string, offset: number): string | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\p{L}\p{N}_]/u.test(text[start - 1]!)) start--;
  while (end < text.length && /[\p{L}\p{N}_]/u.test(text[end]!)) end++;
  return end > start ? text.slice(start, end) : undefined;
}

function inFormula(snap: Snapshot, offset: number): boolean {
  return snap.spec.definitions.some((d) => (d.kind === 'kpi' && d.formula && containsOffset(d.formula.span, offset)) || (d.kind === 'metric' && d.where && containsOffset(d.where.span, offset))
    || (d.kind === 'source' && [...d.derive.values(), ...d.aggregate.values()].some((c) => containsOffset(c.formula.span, offset))));
}
