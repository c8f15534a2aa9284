/**
 * The canonical order of keys: the top level, `defaults`, each kind of definition, targets,
 * goal members and lookups. A reader finds what a definition is first (its title, what it
 * reads), then how it is shown and judged. Keys a mapping does not know keep their order,
 * after the known ones. Mappings of ids (sections, `aggregate`, `derive`, `columns`, a goal's
 * `kpis`) are never reordered: their order is the author's.
 */

/** What a mapping is, by where it sits; it decides the key order. */
export type Role =
  | 'spec' | 'defaults' | 'sources' | 'metrics' | 'kpis' | 'goals' | 'source' | 'metric' | 'kpi' | 'goal'
  | 'target' | 'range' | 'step' | 'members' | 'member' | 'lookups' | 'lookup';

export const KEY_ORDER: Partial<Record<Role, readonly string[]>> = {
  spec: ['kpispec', 'name', 'description', 'imports', 'defaults', 'sources', 'metrics', 'kpis', 'goals'],
  defaults: ['grain', 'currency', 'timezone', 'locale'],
  source: [
    'title', 'description', 'file', 'table', 'from', 'format', 'encoding', 'delimiter', 'decimal', 'thousands',
    'key', 'time', 'time_format', 'aggregate', 'lookups', 'derive', 'dimensions', 'columns', 'rows',
  ],
  metric: ['title', 'description', 'source', 'agg', 'column', 'unit', 'currency', 'where'],
  kpi: ['title', 'description', 'owner', 'horizon', 'formula', 'format', 'decimals', 'direction', 'target', 'warn', 'by'],
  goal: ['title', 'description', 'owner', 'horizon', 'start', 'due', 'kpis'],
  range: ['value', 'min', 'max', 'per'],
  step: ['from', 'value', 'min', 'max', 'per'],
  member: ['weight', 'baseline'],
  lookup: ['source', 'on'],
};

/** In a definition written on one line (`{ ... }`), these come last, so that one-line definitions read as a table. */
const LABELS = ['title', 'description', 'owner'];

/** The top-level sections of definitions: preceded by one blank line, always block mappings. */
export const SECTIONS: ReadonlySet<string> = new Set(['sources', 'metrics', 'kpis', 'goals']);

const DEFINITIONS: ReadonlySet<Role> = new Set(['source', 'metric', 'kpi', 'goal']);

/**
 * The role of the value under `key` in a mapping of `parent`'s role (for a sequence, of its
 * items, with no key).
 */
export function childRole(parent: Role | undefined, key: string | undefined): Role | undefined {
  switch (parent) {
    case 'spec':
      if (key === 'defaults') return 'defaults';
      return key !== undefined && SECTIONS.has(key) ? (key as Role) : undefined;
    case 'sources':
      return 'source';
    case 'metrics':
      return 'metric';
    case 'kpis':
      return 'kpi';
    case 'goals':
      return 'goal';
    case 'kpi':
      return key === 'target' || key === 'warn' ? 'target' : undefined;
    case 'goal':
      return key === 'kpis' ? 'members' : undefined;
    case 'source':
      return key === 'lookups' ? 'lookups' : undefined;
    case 'members':
      return 'member';
    case 'lookups':
      return 'lookup';
    case 'target':
      // A sequence under target holds dated steps.
      return 'step';
    default:
      return undefined;
  }
}

/** A mapping under `target`/`warn` is a range; a sequence there holds steps. */
export function mapRole(role: Role | undefined): Role | undefined {
  return role === 'target' ? 'range' : role;
}

/**
 * The entries in canonical order: known keys by the role's order, then the others as they
 * were. Stable; undefined names (keys that are not text) count as unknown.
 */
export function ordered<T extends { name?: string | undefined }>(items: T[], role: Role | undefined, flow: boolean): T[] {
  const order = role ? KEY_ORDER[role] : undefined;
  if (!order) return items;
  let keys = order;
  if (flow && DEFINITIONS.has(role!)) keys = [...order.filter((k) => !LABELS.includes(k)), ...LABELS.filter((k) => order.includes(k))];
  const rank = (name: string | undefined) => {
    const i = name === undefined ? -1 : keys.indexOf(name);
    return i < 0 ? keys.length : i;
  };
  return items.map((item, i) => ({ item, i, r: rank(item.name) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.item);
}

/** Whether the role's mappings are reordered at all. */
export function isOrdered(role: Role | undefined): boolean {
  return role !== undefined && KEY_ORDER[role] !== undefined;
}
