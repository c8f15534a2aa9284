// bench/eval: `kpispec eval` (month × channel, 20 KPIs) on a 1,000,000-row CSV beside DuckDB
// single-threaded on the same file, in one run; then a re-evaluation after a formula change
// with the data cached; then the relational case (relational.mjs) beside DuckDB.
// Usage: npm run bench:eval [-- --runs N]
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';
import { generateRelational } from './relational.mjs';
import { fmtMs, median, timeRun } from '../lib.mjs';
import * as fs from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const work = path.join(repo, 'bench/.work/eval');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const cli = path.join(repo, 'dist/cli.js');
if (!fs.existsSync(cli)) throw new Error('build first: npm run build');

console.log('generating bench/.work/eval/web.csv (1,000,000 rows) if missing ...');
const { csv, spec } = generate(work);
console.log(`data: ${(fs.statSync(csv).size / 1024 / 1024).toFixed(0)} MB\n`);

const ours = [];
const duck = [];
for (let i = 0; i < runs; i++) {
  const r = timeRun(process.execPath, [cli, 'eval', spec, '--format', 'json', '-o', '/dev/null', '--root', work], { cwd: work, env: { ...process.env, KPISPEC_TIMINGS: '1' } });
  if (r.status !== 0) throw new Error(`kpispec eval failed: ${r.stderr}`);
  const line = r.stderr.split('\n').find((l) => l.startsWith('KPISPEC_TIMINGS '));
  ours.push({ ms: r.ms, rss: JSON.parse(line.slice(16)).maxRssMB });
  const d = timeRun(process.execPath, [path.join(here, 'duck.mjs'), csv], { cwd: repo });
  if (d.status !== 0) throw new Error(`duckdb failed: ${d.stderr}`);
  duck.push({ ...JSON.parse(d.stdout), wall: d.ms });
}
const oursMs = median(ours.map((o) => o.ms));
const duckWall = median(duck.map((d) => d.wall));
console.log(`median of ${runs} runs, alternating, whole processes (start-up included)`);
console.log(`kpispec eval (month × channel, 20 KPIs): ${fmtMs(oursMs)}, peak RSS ${Math.max(...ours.map((o) => o.rss))} MB`);
console.log(`DuckDB single-threaded (SET threads = 1): ${fmtMs(duckWall)} (query ${fmtMs(median(duck.map((d) => d.ms)))}), peak RSS ${Math.max(...duck.map((d) => d.maxRssMB))} MB`);
console.log(`ratio kpispec / DuckDB: ${(oursMs / duckWall).toFixed(2)}x   (goal: at most 2x; memory under 1 GB)`);

const warm = timeRun(path.join(repo, 'node_modules/.bin/tsx'), [path.join(here, 'warm.ts'), work], { cwd: repo });
if (warm.status !== 0) throw new Error(`warm run failed: ${warm.stderr}`);
const w = JSON.parse(warm.stdout.trim().split('\n').pop());
console.log(`\nin one process: first evaluation ${fmtMs(w.coldMs)}; after a formula change, data cached: ${fmtMs(w.warmMs)} (median of 5; goal under 300 ms)`);

// ---- the relational case: sessions rolled up from 1,000,000 hits, hits looking up 100,000 customers
console.log('\ngenerating bench/.work/eval/hits.csv (1,000,000 hits) and customers.csv (100,000) if missing ...');
const rel = generateRelational(work);
const relOurs = [];
const relDuck = [];
let mismatches = 0;
let compared = 0;
for (let i = 0; i < runs; i++) {
  const out = path.join(work, 'relational.json');
  const r = timeRun(process.execPath, [cli, 'eval', rel.spec, '--format', 'json', '-o', out, '--root', work], { cwd: work, env: { ...process.env, KPISPEC_TIMINGS: '1' } });
  if (r.status !== 0) throw new Error(`kpispec eval (relational) failed: ${r.stderr}`);
  const line = r.stderr.split('\n').find((l) => l.startsWith('KPISPEC_TIMINGS '));
  relOurs.push({ ms: r.ms, rss: JSON.parse(line.slice(16)).maxRssMB });
  const d = timeRun(process.execPath, [path.join(here, 'duckRelational.mjs'), rel.hits, rel.customers], { cwd: repo });
  if (d.status !== 0) throw new Error(`duckdb (relational) failed: ${d.stderr}`);
  const duckOut = JSON.parse(d.stdout);
  relDuck.push({ ...duckOut, wall: d.ms });
  if (i === 0) ({ mismatches, compared } = compareRelational(JSON.parse(fs.readFileSync(out, 'utf8')), duckOut.values));
}
const relMs = median(relOurs.map((o) => o.ms));
const relDuckWall = median(relDuck.map((d) => d.wall));
console.log(`median of ${runs} runs, alternating, whole processes (start-up included)`);
console.log(`kpispec eval (sessions from hits by a composite key, a lookup onto 100,000 customers, 6 KPIs by channel or segment): ${fmtMs(relMs)}, peak RSS ${Math.max(...relOurs.map((o) => o.rss))} MB`);
console.log(`DuckDB single-threaded, the same KPIs in SQL: ${fmtMs(relDuckWall)} (query ${fmtMs(median(relDuck.map((d) => d.ms)))}), peak RSS ${Math.max(...relDuck.map((d) => d.maxRssMB))} MB`);
console.log(`ratio kpispec / DuckDB: ${(relMs / relDuckWall).toFixed(2)}x   (goal: at most 2x; memory under 1.5 GB)`);
console.log(`values: ${compared - mismatches} of ${compared} cells equal to DuckDB's within 1e-9${mismatches ? `, ${mismatches} DIFFER` : ''}`);

/** Every (KPI, period, group) cell of kpispec's JSON against DuckDB's rows. */
function compareRelational(result, rows) {
  let bad = 0;
  let n = 0;
  for (const row of rows) {
    const kpis = row.axis === 'channel' ? ['bounce_rate', 'pages_per_session', 'revenue_per_session', 'session_conversion', 'session_count'] : ['known_customer_share'];
    const dimension = row.axis === 'channel' ? 'channel' : 'customer.segment';
    for (const id of kpis) {
      const k = result.kpis.find((x) => x.id === id);
      const series = k?.breakdowns.find((b) => b.dimension === dimension)?.rows.find((r) => r.group === row.grp)?.series;
      const ours = series?.find((p) => p.period === row.period)?.value ?? null;
      const theirs = row[id] === null ? null : Number(row[id]);
      n++;
      if (ours === null || theirs === null ? ours !== theirs : Math.abs(ours - theirs) > 1e-9 * Math.max(1, Math.abs(theirs))) bad++;
    }
  }
  return { mismatches: bad, compared: n };
}
