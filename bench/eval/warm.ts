// In one process: evaluate the benchmark spec, change one formula, evaluate again with the
// data cached. Prints one JSON line: { coldMs, warmMs }.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { evaluateSpec } from '../../server/src/engine/run';
import { Workspace } from '../../server/src/language/workspace';
// @ts-expect-error a plain .mjs module without types
import { specText } from './generate.mjs';

const dir = process.argv[2]!;
const spec = path.join(dir, 'warm.kpi.yaml');
fs.writeFileSync(spec, (specText as (v: number) => string)(0));
const ws = new Workspace(new NodeHost(), dir);
const cache = new TableCache();
let t = performance.now();
evaluateSpec(ws, spec, {}, cache);
const coldMs = performance.now() - t;
const warm: number[] = [];
for (let i = 1; i <= 5; i++) {
  fs.writeFileSync(spec, (specText as (v: number) => string)(i % 2));
  ws.forget(spec);
  t = performance.now();
  evaluateSpec(ws, spec, {}, cache);
  warm.push(performance.now() - t);
}
warm.sort((a, b) => a - b);
console.log(JSON.stringify({ coldMs, warmMs: warm[2] }));
