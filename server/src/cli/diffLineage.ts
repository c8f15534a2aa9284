import type { DiffResult } from '../diff/result';
import type { DiffSide } from '../diff/side';
import { around, lineageOf, type Lineage } from '../language/lineage';
import { formatLineage } from './lineageFormat';

/**
 * The lineage of the KPIs a change touches, on the side after it, as a Mermaid flowchart for the
 * pull-request comment; undefined when no KPI there is touched. Over every spec file of the side:
 * a definition is one node however many files see it.
 */
export function changedKpisLineage(result: DiffResult, after: DiffSide): string | undefined {
  const touched = result.entries.filter((e) => e.kind === 'kpi' && e.change !== 'removed').map((e) => `kpi:${e.id}`);
  if (!touched.length) return undefined;
  const whole: Lineage = { nodes: [], edges: [] };
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const file of after.files) {
    if (!after.ws.load(file).parsed) continue;
    const part = lineageOf(after.ws.scope(file));
    for (const n of part.nodes) if (!nodes.has(n.key)) nodes.add(n.key), whole.nodes.push(n);
    for (const e of part.edges) if (!edges.has(`${e.from}>${e.to}`)) edges.add(`${e.from}>${e.to}`), whole.edges.push(e);
  }
  const keys = touched.filter((k) => nodes.has(k));
  if (!keys.length) return undefined;
  return formatLineage('mermaid', around(whole, keys), new Set(keys), () => ({ file: '', line: 0, column: 0 }));
}
