// bench/sql/scale.mjs: `kpispec eval --engine duckdb` beside the same KPIs in hand-written DuckDB
// SQL (bench/eval/duck.mjs), over the same CSV, at 100k, 1M and 10M rows. The hand-written SQL
// runs twice: single-threaded, and with DuckDB's default threads (one per core), as
// `--engine duckdb` runs. Whole processes, alternating (kpispec, reference 1 thread, reference
// default threads, kpispec, ...), each measured by GNU time: wall and CPU seconds, peak resident
// memory; medians, and the median of the pairwise ratios.
// Usage: npm run build && node bench/sql/scale.mjs [--runs N] [--sizes 100000,1000000,10000000]
// The files are generated once under bench/.work/sql-scale (the 10M-row file is ~630 MB).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCsv, specText } from '../eval/generate.mjs';
import { median } from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const work = path.join(repo, 'bench/.work/sql-scale');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const runs = Number(arg('--runs', '5'));
const sizes = arg('--sizes', '100000,1000000,10000000').split(',').map(Number);
const cli = path.join(repo, 'dist/cli.js');
if (!fs.existsSync(cli)) throw new Error('build first: npm run build');
if (!fs.existsSync('/usr/bin/time')) throw new Error('needs GNU time (/usr/bin/time; Debian package `time`)');
fs.mkdirSync(work, { recursive: true });

/** One whole process under GNU time: { wall, cpu } in seconds, rss in MB. */
function measure(args) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...args], { cwd: work, encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = r.stderr.split('\n').find((l) => l.startsWith('TIME '));
  if (r.status !== 0 || !line) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const [wall, user, sys, kb] = line.slice(5).split(' ').map(Number);
  return { wall, cpu: user + sys, rss: kb / 1024 };
}

const label = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
console.log(`${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${new Date().toISOString().slice(0, 10)}`);
console.log(`median of ${runs} alternating runs per size; ratio = median of kpispec/reference pair by pair\n`);
console.log('rows    kpispec --engine duckdb            hand-written SQL, 1 thread           ratio (wall, cpu, memory)   hand-written SQL, default threads    ratio (wall, cpu, memory)');
for (const rows of sizes) {
  const csv = path.join(work, `web-${label(rows)}.csv`);
  if (!fs.existsSync(csv)) {
    process.stderr.write(`generating ${path.relative(repo, csv)} ...\n`);
    generateCsv(csv, rows);
  }
  const spec = path.join(work, `bench-${label(rows)}.kpi.yaml`);
  fs.writeFileSync(spec, specText().replace('file: web.csv', `file: ${path.basename(csv)}`));
  const kpispec = ['node', cli, 'eval', spec, '--engine', 'duckdb', '--format', 'json', '-o', path.join(work, 'out.json'), '--root', work];
  const reference = ['node', path.join(repo, 'bench/eval/duck.mjs'), csv];
  const referenceThreads = [...reference, '--threads', '0'];
  measure(kpispec); // warm the page cache
  const a = [];
  const b = [];
  const c = [];
  for (let i = 0; i < runs; i++) {
    a.push(measure(kpispec));
    b.push(measure(reference));
    c.push(measure(referenceThreads));
  }
  const med = (list, k) => median(list.map((x) => x[k]));
  const ratio = (ref, k) => median(a.map((x, i) => x[k] / ref[i][k])).toFixed(2);
  const ratios = (ref) => `${ratio(ref, 'wall')}, ${ratio(ref, 'cpu')}, ${ratio(ref, 'rss')}`;
  const fig = (list) => `${med(list, 'wall').toFixed(2)} s wall, ${med(list, 'cpu').toFixed(2)} s cpu, ${Math.round(med(list, 'rss'))} MB`;
  console.log(`${label(rows).padEnd(7)} ${fig(a).padEnd(34)} ${fig(b).padEnd(36)} ${ratios(b).padEnd(27)} ${fig(c).padEnd(36)} ${ratios(c)}`);
}
