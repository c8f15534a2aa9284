import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult } from '../../server/src/engine/results';
import { evaluateSpec } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import type { Compiled } from '../../server/src/sql/compile';
import { evaluateWithSql } from '../../server/src/sql/evaluate';

/** What a result says about its sources: rows, rows skipped by reason, and each problem with its line. */
export function sourceReport(r: EvalResult, withExamples = true): unknown {
  const text = (m: string) => (withExamples ? m : m.replace(/ \(e\.g\. line .*\)$/, ''));
  return r.sources.map((s) => ({ id: s.id, rows: s.rows, skipped: s.skipped ?? [], problems: s.problems.map((p) => `${p.severity} ${text(p.message)}${withExamples && p.line ? ` @${p.line}` : ''}`).sort() }));
}

/** A spec of a workspace folder evaluated in process and on DuckDB (whatever problems the checker finds). */
export async function bothEngines(dir: string, spec: string): Promise<{ inProcess: EvalResult; duckdb: EvalResult; compiled: Compiled }> {
  const ws = new Workspace(new NodeHost(), dir);
  const file = path.join(dir, spec);
  const checked = checkFiles(ws, [file]).flatMap((r) => r.problems);
  const inProcess = evaluateSpec(ws, file, {}, new TableCache(), checked);
  const { result: duckdb, compiled } = await evaluateWithSql(ws, file, { engine: 'duckdb', checked });
  return { inProcess, duckdb, compiled };
}
