import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec, type EvalOptions } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import type { Compiled } from '../../server/src/sql/compile';
import { evaluateWithSql, type SqlEngine } from '../../server/src/sql/evaluate';
import { tempWorkspace } from '../helpers/runCli';
import { assertSameResults } from './compare';
import { postgres } from './postgres';

export interface EngineRun {
  expected: EvalResult;
  results: Record<SqlEngine, { result: EvalResult; compiled: Compiled }>;
}

/**
 * Evaluates a spec in process and on each SQL engine, and asserts they agree. `files` is a
 * workspace (the spec is `a.kpi.yaml`); PostgreSQL reads what the spec holds inline or the
 * tables given, DuckDB reads the files.
 */
export async function agree(files: Record<string, string>, options: EvalOptions = {}, engines: SqlEngine[] = ['duckdb', 'postgres'], tables?: Record<string, string>, errors = false): Promise<EngineRun> {
  const dir = tempWorkspace(files);
  const ws = new Workspace(new NodeHost(), dir);
  const file = path.join(dir, 'a.kpi.yaml');
  const checked = checkFiles(ws, [file]).flatMap((r) => r.problems);
  if (!errors) assert.deepEqual(checked.filter((p) => p.severity === 'error').map((p) => `${p.rule}: ${p.message}`), [], 'the spec is clean');
  const expected = evaluateSpec(ws, file, options, new TableCache(), checked);
  const results = {} as EngineRun['results'];
  for (const engine of engines) {
    const url = engine === 'postgres' ? (await postgres()).url : undefined;
    const r = await evaluateWithSql(ws, file, { ...options, engine, checked, url, tables: engine === 'postgres' ? tables : undefined });
    assert.deepEqual(r.compiled.problems, [], `${engine}: compiled without problems`);
    assertSameResults(r.result, expected, engine);
    results[engine] = r;
  }
  return { expected, results };
}

/** The total series of a KPI as [period, value] pairs. */
export function series(r: EvalResult, kpi: string): [string, number | null][] {
  const k = r.kpis.find((x) => x.id === kpi);
  assert.ok(k, `KPI ${kpi}`);
  return k.series.map((p) => [p.period, p.value]);
}

/** A KPI's breakdown by a dimension: group → values per period. */
export function breakdown(r: EvalResult, kpi: string, dimension: string): Record<string, (number | null)[]> {
  const b = r.kpis.find((x) => x.id === kpi)?.breakdowns.find((x) => x.dimension === dimension);
  assert.ok(b, `${kpi} by ${dimension}`);
  return Object.fromEntries(b.rows.map((row) => [String(row.group), row.series.map((p) => p.value)]));
}
