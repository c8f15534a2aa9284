// In one process: the benchmark's 20 KPIs broken down by channel, device and region over the
// 1,000,000-row file; evaluated once (the data is then cached), then, five times each,
// alternating: a plain evaluation, and `explain` of every KPI's latest change (on those results,
// with the data cached). Prints one JSON line: { coldMs, evalMs, explainMs, explained }.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { evaluateSpec } from '../../server/src/engine/run';
import { explainKpis } from '../../server/src/explain';
import { Workspace } from '../../server/src/language/workspace';
// @ts-expect-error a plain .mjs module without types
import { specText } from './generate.mjs';

const dir = process.argv[2]!;
const spec = path.join(dir, 'explain.kpi.yaml');
fs.writeFileSync(spec, (specText as (v: number) => string)(0).replace(/by: \[channel\]/g, 'by: [channel, device, region]'));
const ws = new Workspace(new NodeHost(), dir);
const cache = new TableCache();
let t = performance.now();
let result = evaluateSpec(ws, spec, {}, cache);
const coldMs = performance.now() - t;
const evals: number[] = [];
const explains: number[] = [];
let explained = 0;
for (let i = 0; i < 5; i++) {
  t = performance.now();
  result = evaluateSpec(ws, spec, {}, cache);
  evals.push(performance.now() - t);
  t = performance.now();
  const explanations = explainKpis(ws, spec, result, {}, cache);
  explains.push(performance.now() - t);
  explained = explanations.filter((e) => e.change !== null && (e.dimensions.length > 0 || !!e.inputs)).length;
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ coldMs, evalMs: median(evals), explainMs: median(explains), explained, kpis: result.kpis.length }));
