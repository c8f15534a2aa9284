import * as path from 'node:path';
import { tableFromText } from '../../server/src/data/readTable';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec, type EvalOptions } from '../../server/src/engine/run';
import { Workspace } from '../../server/src/language/workspace';
import { MemoryHost, ROOT } from '../helpers/memoryHost';

/** Evaluates an in-memory spec (`a.kpi.yaml`) with in-memory data files. */
export function evalText(spec: string, data: Record<string, string> = {}, options: EvalOptions = {}): EvalResult {
  const files: Record<string, string> = { 'a.kpi.yaml': spec, ...data };
  const ws = new Workspace(new MemoryHost(files), ROOT);
  const access = {
    file: (p: string, o: Parameters<typeof tableFromText>[2]) => {
      const name = path.relative(ROOT, p);
      const text = files[name];
      return text === undefined ? { problems: [{ kind: 'unreadable-file' as const, message: `${name} does not exist`, count: 1, examples: [] }] } : tableFromText(text, p, o);
    },
  };
  return evaluateSpec(ws, path.join(ROOT, 'a.kpi.yaml'), options, access);
}

/** The value of a KPI in a period (total, or one breakdown group). */
export function valueAt(result: EvalResult, kpi: string, period: string, dimension?: string, group?: string | null): number | null | undefined {
  const k = result.kpis.find((x) => x.id === kpi);
  const series = dimension ? k?.breakdowns.find((b) => b.dimension === dimension)?.rows.find((r) => r.group === group)?.series : k?.series;
  return series?.find((p) => p.period === period)?.value;
}
