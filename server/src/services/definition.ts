import { columnLocations } from './definitionColumns';
import { kpiOfBy, sourcesOfKpi, targetAt } from './definitionTarget';
import type { Snapshot } from './snapshot';
import type { Location } from './types';

/**
 * Go to definition. From a formula name, a goal member or a metric's `source:` to the id of
 * the definition it resolves to (in any file of the import closure); from an id to itself;
 * from an `imports:` or `file:` path to that file (when it exists); from a column name
 * (`column:`, `time:`, `dimensions:`, `columns:` keys, names in `where`, a KPI's `by:`) to
 * the column in the data: its cell in a CSV header line, the start of a JSON file, or its key
 * in the first inline row that has it. Nothing for functions and unresolved names.
 */
export function definition(snap: Snapshot, offset: number): Location[] {
  const t = targetAt(snap, offset);
  if (!t) return [];
  switch (t.kind) {
    case 'definition':
      return [{ file: t.def.file, span: t.def.idSpan }];
    case 'path': {
      const file = t.ref.resolved;
      return file !== undefined && snap.ws.host.realpath(file) !== undefined ? [{ file, span: { offset: 0, length: 0 } }] : [];
    }
    case 'column': {
      let sources = t.ref.sources;
      if (!sources) {
        const kpi = kpiOfBy(snap, offset);
        sources = kpi ? sourcesOfKpi(snap.ws, kpi) : [];
      }
      return columnLocations(snap.ws, sources, t.ref.name);
    }
    default:
      return [];
  }
}
