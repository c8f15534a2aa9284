import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import type { EvalResult, KpiResult } from '../../server/src/engine/results';
import { evaluateSpec } from '../../server/src/engine/run';
import { Workspace } from '../../server/src/language/workspace';

const REPO = path.resolve(__dirname, '../..');

/** The shipped scorecard evaluated in process, by month. */
export function evaluateSamples(): EvalResult {
  return evaluateSpec(new Workspace(new NodeHost(), REPO), path.join(REPO, 'samples/webshop.kpi.yaml'), { grain: 'month' }, new TableCache());
}

/** A KPI of the results, which must be there. */
export function kpiIn(result: EvalResult, id: string): KpiResult {
  const k = result.kpis.find((x) => x.id === id);
  assert.ok(k, `KPI ${id} evaluated`);
  return k;
}

/** The sample CSVs as plain rows of strings: the samples have no quoted fields (checked). */
export function readSampleCsv(name: string): Record<string, string>[] {
  const text = fs.readFileSync(path.resolve(__dirname, '../../samples/data', name), 'utf8');
  if (text.includes('"')) throw new Error(`${name} has quoted fields; this reader is for the plain sample files`);
  const [head, ...lines] = text.split('\n').filter((l) => l !== '');
  const cols = head!.split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Groups rows by a key, keeping insertion order. */
export function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

export const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);
export const distinct = <T>(rows: T[], f: (r: T) => string) => new Set(rows.map(f));
export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Equal within 1e-9 relative, nulls equal only to nulls. */
export function close(actual: number | null | undefined, expected: number | null): boolean {
  if (expected === null || actual === null || actual === undefined) return (actual ?? null) === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}
