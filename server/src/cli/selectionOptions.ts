import { GRAINS, type Grain } from '../language/model';
import { periodEnd, periodStart } from '../language/period';
import { didYouMean } from '../language/suggest';
import type { Workspace } from '../language/workspace';
import { UsageError } from './io';
import { oneOf, wholeNumber } from './optionValues';

/** The options that choose what is computed: periods, breakdown, KPIs (`eval` and `sql` share them). */
export const SELECTION_OPTIONS = {
  grain: { type: 'string', short: 'g' },
  from: { type: 'string' },
  to: { type: 'string' },
  last: { type: 'string' },
  by: { type: 'string' },
  kpi: { type: 'string', multiple: true },
} as const;

interface SelectionValues {
  grain?: string;
  from?: string;
  to?: string;
  last?: string;
}

/** The periods asked for, checked before anything is read. */
export function rangeOptions(values: SelectionValues): { grain?: Grain; last?: number } {
  const grain = values.grain === undefined ? undefined : oneOf('grain', values.grain, GRAINS);
  for (const [name, v] of [['--from', values.from], ['--to', values.to]] as const) {
    if (v !== undefined && periodStart(v) === undefined) throw new UsageError(`${name} needs a period such as 2026-01, 2026-Q1, 2026-W05 or 2026; got "${v}"`);
  }
  if (values.from !== undefined && values.to !== undefined && periodStart(values.from)! > periodEnd(values.to)!) {
    throw new UsageError(`--from ${values.from} is after --to ${values.to}`);
  }
  const last = values.last === undefined ? undefined : wholeNumber('--last', values.last, 1);
  return { grain, last };
}

/**
 * `--kpi` and `--by` against the spec: a KPI it defines, a dimension one of its sources (its
 * own or imported) declares. A name that is neither would silently select nothing.
 */
export function checkSelection(ws: Workspace, file: string, values: { kpi?: string[]; by?: string }): void {
  const spec = ws.load(file).parsed?.spec;
  if (!spec) return; // a spec that cannot be read is reported as its problem
  for (const id of values.kpi ?? []) {
    if (!spec.kpis.has(id)) throw new UsageError(`unknown KPI \`${id}\` in --kpi${didYouMean(id, spec.kpis.keys())}`);
  }
  if (values.by === undefined) return;
  const dimensions = new Set([...ws.scope(file).sources.values()].flatMap((s) => s.dimensions.map((d) => d.value)));
  if (dimensions.has(values.by)) return;
  const hint = didYouMean(values.by, dimensions) || (dimensions.size ? `; the sources declare ${[...dimensions].map((d) => `\`${d}\``).join(', ')}` : '; no source declares a dimension');
  throw new UsageError(`unknown dimension \`${values.by}\` in --by${hint}`);
}
