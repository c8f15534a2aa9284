// bench/check: times `kpispec check` per phase on a 10,000-KPI workspace (one file, and 100 files
// of 100 KPIs), with peak memory, beside ajv-cli (schema only) on the same single file.
// Then the chains and rings of chains.mjs. Usage: npm run bench:check [-- --runs N]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';
import { fmtMs, median, timeRun } from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const work = path.join(repo, 'bench/.work/check');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const cli = path.join(repo, 'dist/cli.js');
if (!fs.existsSync(cli)) throw new Error('build first: npm run build');

console.log(`generating workspaces in ${path.relative(repo, work)} ...`);
generate(work);
const size = (p) => `${(fs.statSync(p).size / 1024 / 1024).toFixed(1)} MB`;
console.log(`single file: ${size(path.join(work, 'single/big.kpi.yaml'))}, 100 files of 100 KPIs\n`);

function checkRuns(target) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = timeRun(process.execPath, [cli, 'check', target, '--format', 'json', '-o', '/dev/null'], { cwd: work, env: { ...process.env, KPISPEC_TIMINGS: '1' } });
    const line = r.stderr.split('\n').find((l) => l.startsWith('KPISPEC_TIMINGS '));
    if (r.status !== 0 || !line) throw new Error(`check ${target} failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
    samples.push({ wall: r.ms, ...JSON.parse(line.slice('KPISPEC_TIMINGS '.length)) });
  }
  const pick = (k) => median(samples.map((s) => s[k] ?? 0));
  return { wall: pick('wall'), parse: pick('parse'), schema: pick('schema'), model: pick('model'), analysis: pick('analysis'), rss: Math.max(...samples.map((s) => s.maxRssMB)) };
}

function ajvRuns(file) {
  const bin = path.join(repo, 'node_modules/.bin/ajv');
  if (!fs.existsSync(bin)) return undefined;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const r = timeRun(bin, ['validate', '--spec=draft2020', '--strict=false', '-s', path.join(repo, 'schemas/kpispec.schema.json'), '-d', file], { cwd: work });
    if (r.status !== 0) throw new Error(`ajv-cli failed: ${r.stderr.slice(0, 500)}${r.stdout.slice(0, 500)}`);
    times.push(r.ms);
  }
  return median(times);
}

const rows = [
  ['1,000 KPIs, one file', 'k1000.kpi.yaml', undefined],
  ['10,000 KPIs, one file', 'single', 4000],
  ['10,000 KPIs, 100 files', 'multi', 2000],
];
console.log(`kpispec check, median of ${runs} runs (wall = whole process, incl. start-up and output)`);
console.log('workspace                  wall      parse     schema    model     analysis  peak RSS  goal');
const results = {};
for (const [label, target, goal] of rows) {
  const r = checkRuns(target);
  results[target] = r;
  const verdict = goal ? `${r.wall <= goal && r.rss < 400 ? 'met' : 'MISSED'} (< ${fmtMs(goal)}, < 400 MB)` : '';
  console.log(`${label.padEnd(27)}${fmtMs(r.wall).padEnd(10)}${fmtMs(r.parse).padEnd(10)}${fmtMs(r.schema).padEnd(10)}${fmtMs(r.model).padEnd(10)}${fmtMs(r.analysis).padEnd(10)}${(r.rss + ' MB').padEnd(10)}${verdict}`);
}
const ajv = ajvRuns(path.join(work, 'single/big.kpi.yaml'));
if (ajv !== undefined) {
  console.log(`\nreference: ajv-cli (schema only, js-yaml) on the 10,000-KPI file: ${fmtMs(ajv)} median; kpispec full check / ajv-cli = ${(results.single.wall / ajv).toFixed(2)}x`);
} else console.log('\nreference: ajv-cli not installed (npm install) — skipped');

console.log('');
await import('./chains.mjs');
