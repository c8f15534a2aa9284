import type { Definition } from '../language/model';
import type { Workspace } from '../language/workspace';
import { sourceColumns } from './definitionColumns';
import type { WorkspaceSymbol } from './types';

const CAP = 200;

/**
 * Workspace symbols: every source, metric, KPI and goal of the given files (and the files
 * they import), and every column of each source's data (container: the source), matched
 * against the query as a case-insensitive subsequence of the id or the title (a definition
 * found by its title alone is named `id (title)`). Ranked: exact,
 * then prefix, then word-start, then substring, then scattered matches, tighter matches and
 * shorter names first; definitions before columns on a tie. At most 200.
 */
export function workspaceSymbols(ws: Workspace, files: string[], query: string): WorkspaceSymbol[] {
  const q = query.trim().toLowerCase();
  const scored: { sym: WorkspaceSymbol; score: number; order: number }[] = [];
  const seenFiles = new Set<string>();
  const seenColumns = new Set<string>();
  let order = 0;
  const offer = (sym: WorkspaceSymbol, title?: string) => {
    const byName = score(q, sym.name);
    const byTitle = title ? score(q, title) : -Infinity;
    const best = Math.max(byName, byTitle);
    if (best === -Infinity) return;
    // matched by its title only: show the title too, so the editor's own filtering keeps it
    if (byName === -Infinity && title) sym = { ...sym, name: `${sym.name} (${title})` };
    scored.push({ sym, score: best - (sym.kind === 'column' ? 0.5 : 0), order: order++ });
  };
  for (const entry of files) {
    for (const parsed of ws.closure(entry)) {
      const file = parsed.spec.file;
      if (seenFiles.has(file)) continue;
      seenFiles.add(file);
      for (const def of parsed.spec.definitions) {
        offer(symbolOf(def), def.title);
        if (def.kind !== 'source') continue;
        for (const col of sourceColumns(ws, def)) {
          const key = `${def.file}\0${def.id}\0${col.name}`;
          if (seenColumns.has(key)) continue;
          seenColumns.add(key);
          offer({ name: col.name, kind: 'column', file: col.location.file, span: col.location.span, container: def.id });
        }
      }
    }
  }
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, CAP).map((s) => s.sym);
}

function symbolOf(def: Definition): WorkspaceSymbol {
  return { name: def.id, kind: def.kind, file: def.file, span: def.idSpan };
}

/**
 * How well `query` (lower case) matches `text`: -Infinity when it is not a subsequence;
 * otherwise higher for exact, prefix, word-start and contiguous matches, and for shorter text.
 */
export function score(query: string, text: string): number {
  const t = text.toLowerCase();
  if (!query) return 0;
  if (t === query) return 1000;
  if (t.startsWith(query)) return 800 - t.length;
  const at = t.indexOf(query);
  if (at > 0) return (isWordStart(t, at) ? 600 : 400) - t.length;
  // scattered: each query character in order; reward word starts, penalise gaps
  let s = 200 - t.length;
  let prev = -1;
  for (const ch of query) {
    const i = t.indexOf(ch, prev + 1);
    if (i < 0) return -Infinity;
    if (i === prev + 1) s += 2;
    else s -= Math.min(i - prev - 1, 10);
    if (isWordStart(t, i)) s += 3;
    prev = i;
  }
  return s;
}

function isWordStart(t: string, i: number): boolean {
  return i === 0 || /[_\s\-./()]/.test(t[i - 1]!);
}
