import type { DiffResult } from '../diff/result';
import type { DiffSide } from '../diff/side';
import { around, lineageOf, mergeLineages } from '../language/lineage';
import { mermaid } from './lineageFormat';

/**
 * The lineage of the KPIs a change touches, on the side after it, as a Mermaid flowchart for the
 * pull-request comment; undefined when no KPI there is touched. Over every spec file of the side:
 * a definition is one node however many files see it.
 */
export function changedKpisLineage(result: DiffResult, after: DiffSide): string | undefined {
  const touched = result.entries.filter((e) => e.kind === 'kpi' && e.change !== 'removed').map((e) => `kpi:${e.id}`);
  if (!touched.length) return undefined;
  const whole = mergeLineages(after.files.filter((f) => after.ws.load(f).parsed).map((f) => lineageOf(after.ws.scope(f))));
  const nodes = new Set(whole.nodes.map((n) => n.key));
  const keys = touched.filter((k) => nodes.has(k));
  if (!keys.length) return undefined;
  return mermaid(around(whole, keys), new Set(keys));
}
