/**
 * Load time of a generated 1,000,000-row CSV: `npx tsx test/data/bench.ts [rows]`.
 * Reports the median of 3 loads each in a fresh process (what a `kpispec eval` run pays) and
 * of 3 loads in one process. Not part of the test run; the data goes to the temp folder.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { readTableFile, type ReadOptions } from '../../server/src/data/readTable';
import { generateWebCsv } from './generate';

const rows = Number(process.argv[2] ?? 1_000_000);
const options: ReadOptions = { format: 'csv', timezone: 'Asia/Shanghai', timeColumn: 'date', stringColumns: ['channel', 'device', 'region'] };

/** Wall-clock and CPU milliseconds of one load (CPU time is less disturbed by a busy machine). */
function load(file: string): [number, number] {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = readTableFile(file, options);
  const cpu = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  if (result.table?.rowCount !== rows || result.problems.length) throw new Error(`unexpected result: ${result.table?.rowCount} rows, ${JSON.stringify(result.problems)}`);
  return [ms, (cpu.user + cpu.system) / 1000];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const show = (runs: [number, number][]) =>
  `median ${median(runs.map((r) => r[0])).toFixed(0)} ms wall, ${median(runs.map((r) => r[1])).toFixed(0)} ms CPU (runs: ${runs.map((r) => r[0].toFixed(0)).join(', ')})`;

const file = generateWebCsv(rows);
if (process.argv[3] === '--once') {
  console.log(JSON.stringify(load(file)));
} else {
  const fresh: [number, number][] = [];
  for (let i = 0; i < 3; i++) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, String(rows), '--once'], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    fresh.push(JSON.parse(child.stdout.trim().split('\n').pop()!));
  }
  const warm = [load(file), load(file), load(file)];
  console.log(`${rows} rows, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  console.log(`fresh process: ${show(fresh)}`);
  console.log(`same process:  ${show(warm)}`);
}
