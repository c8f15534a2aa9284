import type { EvalResult } from '../../server/src/engine/results';
import type { Problem } from '../../server/src/language/problem';
import type { Workspace } from '../../server/src/language/workspace';
import { codeActions } from '../../server/src/services/codeActions';
import { codeLenses } from '../../server/src/services/codeLens';
import { completions } from '../../server/src/services/completion';
import { definition } from '../../server/src/services/definition';
import { documentLinks } from '../../server/src/services/documentLinks';
import { findReferences } from '../../server/src/services/findReferences';
import { hover } from '../../server/src/services/hover';
import { prepareRename, rename } from '../../server/src/services/rename';
import { semanticTokens } from '../../server/src/services/semanticTokens';
import { signatureHelp } from '../../server/src/services/signatureHelp';
import { snapshotOf } from '../../server/src/services/snapshot';
import { documentSymbols } from '../../server/src/services/symbols';
import type { Edit, Location, SymbolNode } from '../../server/src/services/types';
import { workspaceSymbols } from '../../server/src/services/workspaceSymbols';
import { spanFault, type TextOf } from './invariants';
import type { Rng } from './prng';

/**
 * Where the cursor goes: the ends, line starts and ends, and random offsets; never between the
 * CR and LF of a line break, where no editor position maps to.
 */
export function probeOffsets(text: string, rng: Rng, count: number): number[] {
  const offsets = new Set([0, text.length]);
  const breaks = [...text.matchAll(/\r?\n|\r/g)].flatMap((m) => [m.index!, m.index! + m[0].length]);
  const inCrlf = (o: number) => text[o - 1] === '\r' && text[o] === '\n';
  const want = Math.min(count + 2, text.length + 1); // a short text has fewer offsets than asked for
  for (let tries = 0; offsets.size < want && tries < 20 * want; tries++) {
    const r = rng.next();
    if (r < 0.3 && breaks.length) {
      offsets.add(rng.pick(breaks));
    } else {
      const o = rng.int(text.length + 1);
      offsets.add(inCrlf(o) ? o - 1 : o);
    }
  }
  return [...offsets];
}

/**
 * Calls every in-process editor feature on a file: the whole-document ones once, the
 * cursor-driven ones at each offset. Returns the faults of what they answered (spans outside
 * the texts); exceptions propagate to the caller.
 */
export function probeServices(ws: Workspace, file: string, problems: Problem[], offsets: number[], rng: Rng, textOf: TextOf, results?: EvalResult): string[] {
  const snap = snapshotOf(ws, file);
  if (!snap) return [];
  const faults: string[] = [];
  const own = (span: Parameters<typeof spanFault>[0], what: string) => {
    const f = spanFault(span, snap.text, what);
    if (f) faults.push(f);
  };
  const at = (locations: readonly (Location | Edit)[], what: string) => {
    for (const l of locations) {
      const f = spanFault(l.span, textOf(l.file), `${what} in ${l.file}`);
      if (f) faults.push(f);
    }
  };
  const symbols = (nodes: SymbolNode[]) => {
    for (const n of nodes) {
      own(n.span, `symbol ${n.name}`);
      own(n.selection, `symbol ${n.name} selection`);
      symbols(n.children);
    }
  };

  for (const t of semanticTokens(snap)) own(t.span, `semantic token ${t.type}`);
  symbols(documentSymbols(snap));
  for (const l of documentLinks(snap)) own(l.span, `link to ${l.target}`);
  for (const l of codeLenses(snap, results)) own(l.span, `lens ${l.title}`);
  at(workspaceSymbols(ws, [file], rng.pick(['', 'k', 'rate', 'x_'])), 'workspace symbol');

  for (const offset of offsets) {
    const where = `at offset ${offset}`;
    for (const c of completions(snap, offset)) own(c.replace, `completion ${c.label} ${where}`);
    const h = hover(snap, offset, results);
    if (h) own(h.span, `hover ${where}`);
    const sig = signatureHelp(snap, offset);
    if (sig) for (const [s, e] of sig.parameters) if (!(s >= 0 && s <= e && e <= sig.label.length)) faults.push(`signature help ${where}: parameter ${s}-${e} outside its label`);
    at(definition(snap, offset), `definition ${where}`);
    const prepared = prepareRename(snap, offset);
    if ('span' in prepared) own(prepared.span, `prepareRename ${where}`);
    at(findReferences(ws, [file], snap, offset, rng.chance(0.5)), `references ${where}`);
    const renamed = rename(ws, [file], snap, offset, rng.pick(['renamed_id', 'x', 'Bad Name', '']));
    if ('edits' in renamed) at(renamed.edits, `rename ${where}`);
    for (const a of codeActions(snap, problems, { offset, length: Math.min(rng.int(40), snap.text.length - offset) })) {
      at(a.edits, `code action "${a.title}" ${where}`);
    }
  }
  return faults;
}
