import type { Definition, DefKind } from '../language/model';
import { AffectedFinder } from './affected';
import { ASPECT_ORDER, AspectReader, type Aspects } from './aspects';
import { findRenames } from './renames';
import { KIND_ORDER, type Breaking, type Change, type DiffResult, type Entry, type ItemChange } from './result';
import { SideIndex, type DiffSide } from './side';

const KINDS: DefKind[] = ['goal', 'kpi', 'metric', 'source'];

/**
 * The semantic diff of two versions of a set of spec files: definitions added, removed,
 * renamed and changed (aspect by aspect), KPIs affected through what they use, and the
 * changes a reviewer must approve. Pure: reads specs through the sides' workspaces only.
 * When either side does not parse, only the sides' problems are reported.
 */
export function diffSpecs(beforeSide: DiffSide, afterSide: DiffSide): DiffResult {
  const before = new SideIndex(beforeSide, 'before');
  const after = new SideIndex(afterSide, 'after');
  const result: DiffResult = {
    version: 1, before: before.summary, after: after.summary, files: fileChanges(before, after), entries: [], breaking: [],
    summary: { added: 0, removed: 0, renamed: 0, changed: 0, affected: 0, breaking: 0 },
  };
  if (before.summary.broken || after.summary.broken) return result;

  const readBefore = new AspectReader(beforeSide.ws);
  const readAfter = new AspectReader(afterSide.ws);
  const renames = findRenames(before, after, readBefore, readAfter);
  const ownChanges = new Map<Definition, Change[]>();

  for (const kind of KINDS) {
    const map = kind === 'source' ? renames.sources : renames.names;
    const renamedTo = new Set(map.values());
    for (const [id, def] of before.defs[kind]) {
      if (after.defs[kind].has(id)) continue;
      if (map.has(id)) continue;
      result.entries.push({ kind, id, change: 'removed', file: before.rel(def.file), changes: [] });
    }
    for (const [id, def] of after.defs[kind]) {
      const oldId = before.defs[kind].has(id) ? id : [...map].find(([, to]) => to === id)?.[0];
      if (oldId === undefined) {
        if (!renamedTo.has(id)) result.entries.push({ kind, id, change: 'added', file: after.rel(def.file), changes: [] });
        continue;
      }
      const changes = compare(readBefore.read(before.defs[kind].get(oldId)!, renames), readAfter.read(def));
      ownChanges.set(def, changes);
      if (oldId !== id) result.entries.push({ kind, id, oldId, change: 'renamed', file: after.rel(def.file), changes });
      else if (changes.length) result.entries.push({ kind, id, change: 'changed', file: after.rel(def.file), changes });
    }
  }

  const finder = new AffectedFinder(after, (d) => ownChanges.get(d)?.map((c) => c.aspect));
  for (const def of after.defs.kpi.values()) {
    if (!ownChanges.has(def) || ownChanges.get(def)!.length) continue; // added, or changed itself
    if (result.entries.some((e) => e.kind === 'kpi' && e.id === def.id)) continue; // renamed
    const below = finder.why(def);
    if (!below) continue;
    const path = [def.id, ...below];
    result.entries.push({ kind: 'kpi', id: def.id, change: 'affected', file: after.rel(def.file), changes: [], path, because: path.join(' ← ') });
  }

  // Titles as a reader knows the definitions (the removed ones by their old title).
  for (const e of result.entries) {
    const def = e.change === 'removed' ? before.defs[e.kind].get(e.id) : after.defs[e.kind].get(e.id);
    if (def?.title) e.title = def.title;
  }
  result.entries.sort(entryOrder);
  result.breaking = breakingChanges(result.entries, after);
  summarize(result);
  return result;
}

export function entryOrder(a: Entry, b: Entry): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function summarize(result: DiffResult): void {
  const s = result.summary;
  s.added = s.removed = s.renamed = s.changed = s.affected = 0;
  for (const e of result.entries) s[e.change]++;
  s.breaking = result.breaking.length;
}

function compare(x: Aspects, y: Aspects): Change[] {
  const names = [...new Set([...x.keys(), ...y.keys()])].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: Change[] = [];
  for (const name of names) {
    const a = x.get(name);
    const b = y.get(name);
    if (a?.key === b?.key) continue;
    const change: Change = { aspect: name };
    if (a) change.before = a.text;
    if (b) change.after = b.text;
    if (a?.items || b?.items) {
      const items: ItemChange[] = [];
      const keys = [...new Set([...(a?.items?.keys() ?? []), ...(b?.items?.keys() ?? [])])].sort();
      for (const key of keys) {
        const i = a?.items?.get(key);
        const j = b?.items?.get(key);
        if (i && !j) items.push({ key, change: 'removed', before: i.text });
        else if (!i && j) items.push({ key, change: 'added', after: j.text });
        else if (i && j && i.key !== j.key) items.push({ key, change: 'changed', before: i.text, after: j.text });
      }
      change.items = items;
    }
    out.push(change);
  }
  return out;
}

function rank(aspect: string): number {
  const i = ASPECT_ORDER.indexOf(aspect);
  return i < 0 ? ASPECT_ORDER.length : i;
}

function fileChanges(before: SideIndex, after: SideIndex): DiffResult['files'] {
  const paths = [...new Set([...before.summary.files, ...after.summary.files])].sort();
  return paths.map((p) => {
    const a = before.summary.files.includes(p);
    const b = after.summary.files.includes(p);
    const change = !a ? 'added' : !b ? 'removed' : before.texts.get(p) === after.texts.get(p) ? 'unchanged' : 'changed';
    return { path: p, change };
  });
}

/** Definition-level breaking changes; `met-to-missed` is added with the impact. */
function breakingChanges(entries: Entry[], after: SideIndex): Breaking[] {
  const out: Breaking[] = [];
  const goalsNaming = (side: SideIndex, id: string) => [...side.defs.goal.values()].filter((g) => g.kind === 'goal' && g.members.some((m) => m.kpi === id)).map((g) => g.id).sort();
  for (const e of entries) {
    if (e.kind === 'kpi' && (e.change === 'removed' || e.change === 'renamed')) {
      const gone = e.change === 'removed' ? e.id : e.oldId!;
      const goals = goalsNaming(after, gone);
      if (goals.length) {
        out.push({
          reason: e.change === 'removed' ? 'removed-kpi-in-goal' : 'renamed-kpi-in-goal', kind: 'kpi', id: e.id,
          message: e.change === 'removed'
            ? `KPI \`${gone}\` is removed but goal${goals.length > 1 ? 's' : ''} ${goals.map((g) => `\`${g}\``).join(', ')} still name${goals.length > 1 ? '' : 's'} it`
            : `KPI \`${gone}\` is renamed to \`${e.id}\` but goal${goals.length > 1 ? 's' : ''} ${goals.map((g) => `\`${g}\``).join(', ')} still name${goals.length > 1 ? '' : 's'} \`${gone}\``,
        });
      }
    }
    for (const c of e.changes) {
      if (c.aspect === 'unit' && c.before !== undefined && c.after !== undefined) {
        out.push({ reason: 'unit-change', kind: e.kind, id: e.id, message: `the unit of \`${e.id}\` changes from ${c.before} to ${c.after}` });
      }
      if (c.aspect === 'direction' && e.kind === 'kpi') {
        out.push({ reason: 'direction-flip', kind: e.kind, id: e.id, message: `\`${e.id}\` now counts as better when it goes ${c.after} (was ${c.before})` });
      }
    }
  }
  return out;
}
