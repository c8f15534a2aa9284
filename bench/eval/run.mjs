// bench/eval: `kpispec eval` (month × channel, 20 KPIs) on CSVs of 100,000, 1,000,000 and
// 10,000,000 rows beside DuckDB single-threaded computing the same KPIs from the same file, in one
// run, alternating; then a re-evaluation after a formula change with the data cached, and
// `explain` of every KPI beside a plain evaluation (explain.ts); then the relational case
// (relational.mjs) beside DuckDB.
// Usage: npm run bench:eval [-- --runs N] [-- --sizes 100000,1000000,10000000]
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, generateCsv, specText } from './generate.mjs';
import { generateRelational } from './relational.mjs';
import { fmtMs, median, timeRun } from '../lib.mjs';
import * as fs from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const work = path.join(repo, 'bench/.work/eval');
const opt = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(opt('--runs')) || 5;
const sizes = (opt('--sizes') ?? '100000,1000000,10000000').split(',').map(Number);
const cli = path.join(repo, 'dist/cli.js');
if (!fs.existsSync(cli)) throw new Error('build first: npm run build');

generate(work);

/** The benchmark's folder for a size: the 1,000,000-row one is bench/.work/eval itself. */
function sizeDir(rows) {
  if (rows === 1_000_000) return work;
  const dir = path.join(work, `rows-${rows}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'web.csv');
  if (!fs.existsSync(file)) {
    console.log(`generating ${path.relative(repo, file)} (${rows.toLocaleString('en')} rows) ...`);
    generateCsv(file, rows);
  }
  fs.writeFileSync(path.join(dir, 'bench.kpi.yaml'), specText());
  return dir;
}

const mb = (n) => `${n} MB`;
const cpu = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`median of ${runs} runs per size, alternating; whole processes (start-up included); CPU = user + system of every thread`);
console.log('| rows | kpispec CPU | DuckDB CPU | CPU ratio | kpispec wall | DuckDB wall | kpispec peak | DuckDB peak | memory ratio |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const rows of sizes) {
  const dir = sizeDir(rows);
  const ours = [];
  const duck = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const r = timeRun(process.execPath, [cli, 'eval', 'bench.kpi.yaml', '--format', 'json', '-o', '/dev/null', '--root', dir], { cwd: dir, env: { ...process.env, KPISPEC_TIMINGS: '1' } });
    if (r.status !== 0) throw new Error(`kpispec eval failed: ${r.stderr}`);
    const t = JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('KPISPEC_TIMINGS ')).slice(16));
    ours.push({ wall: r.ms, cpu: t.cpuMs, rss: t.maxRssMB });
    const d = timeRun(process.execPath, [path.join(here, 'duck.mjs'), path.join(dir, 'web.csv')], { cwd: repo });
    if (d.status !== 0) throw new Error(`duckdb failed: ${d.stderr}`);
    const o = JSON.parse(d.stdout);
    duck.push({ wall: d.ms, cpu: o.cpuMs, rss: o.maxRssMB });
    ratios.push(t.cpuMs / o.cpuMs);
  }
  const m = (list, key) => median(list.map((x) => x[key]));
  console.log(`| ${rows.toLocaleString('en')} | ${cpu(m(ours, 'cpu'))} | ${cpu(m(duck, 'cpu'))} | ${median(ratios).toFixed(2)}x | ${fmtMs(m(ours, 'wall'))} | ${fmtMs(m(duck, 'wall'))} | ${mb(Math.max(...ours.map((o) => o.rss)))} | ${mb(Math.max(...duck.map((d) => d.rss)))} | ${(Math.max(...ours.map((o) => o.rss)) / Math.max(...duck.map((d) => d.rss))).toFixed(2)}x |`);
}
console.log('(goal: CPU at most 1.2x DuckDB single-threaded, peak memory at most 2x)');

const warm = timeRun(path.join(repo, 'node_modules/.bin/tsx'), [path.join(here, 'warm.ts'), work], { cwd: repo });
if (warm.status !== 0) throw new Error(`warm run failed: ${warm.stderr}`);
const w = JSON.parse(warm.stdout.trim().split('\n').pop());
console.log(`\nin one process: first evaluation ${fmtMs(w.coldMs)}; after a formula change, data cached: ${fmtMs(w.warmMs)} (median of 5; goal under 300 ms)`);

// `explain` of every KPI (each broken down by 3 dimensions) beside a plain evaluation, data cached.
const explain = timeRun(path.join(repo, 'node_modules/.bin/tsx'), [path.join(here, 'explain.ts'), work], { cwd: repo });
if (explain.status !== 0) throw new Error(`explain run failed: ${explain.stderr}`);
const x = JSON.parse(explain.stdout.trim().split('\n').pop());
console.log(`explain every KPI (${x.explained} of ${x.kpis} explained, by channel, device and region) over 1,000,000 rows, data cached: ${fmtMs(x.explainMs)}; a plain evaluation in the same run: ${fmtMs(x.evalMs)} (medians of 5, alternating; goal under 1 s)`);

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
