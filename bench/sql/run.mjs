// bench/sql: the 1,000,000-row benchmark of bench/eval (20 KPIs, month × channel) evaluated by
// `kpispec eval` in process, with `--engine duckdb` over the same CSV, and with `--engine duckdb`
// over a Parquet copy, alternating, in one run; the three results must hold the same numbers.
// Usage: npm run build && node bench/sql/run.mjs [--runs N]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateCsv, specText } from '../eval/generate.mjs';
import { fmtMs, median, timeRun } from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const work = path.join(repo, 'bench/.work/sql');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const cli = path.join(repo, 'dist/cli.js');
if (!fs.existsSync(cli)) throw new Error('build first: npm run build');

fs.mkdirSync(work, { recursive: true });
const csv = path.join(work, 'web.csv');
const parquet = path.join(work, 'web.parquet');
if (!fs.existsSync(csv)) {
  // The same file as bench/eval's: linked when that one exists, generated (deterministic) otherwise.
  const shared = path.join(repo, 'bench/.work/eval/web.csv');
  if (fs.existsSync(shared)) fs.linkSync(shared, csv);
  else {
    console.log('generating bench/.work/sql/web.csv (1,000,000 rows) ...');
    generateCsv(csv);
  }
}
if (!fs.existsSync(parquet)) {
  console.log('writing a Parquet copy (DuckDB: typed columns, zstd) ...');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT * FROM read_csv('${csv.replace(/'/g, "''")}', header = true)) TO '${parquet.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`);
  c.closeSync();
  db.closeSync();
}
fs.writeFileSync(path.join(work, 'bench.kpi.yaml'), specText());
fs.writeFileSync(path.join(work, 'bench-parquet.kpi.yaml'), specText().replace('file: web.csv', 'file: web.parquet'));

const mb = (f) => `${(fs.statSync(f).size / 1024 / 1024).toFixed(0)} MB`;
console.log(`data: web.csv ${mb(csv)}, web.parquet ${mb(parquet)}; ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

const variants = [
  { name: 'in process (CSV)', args: ['bench.kpi.yaml'] },
  { name: '--engine duckdb (CSV)', args: ['bench.kpi.yaml', '--engine', 'duckdb'] },
  { name: '--engine duckdb (Parquet)', args: ['bench-parquet.kpi.yaml', '--engine', 'duckdb'] },
];
const times = variants.map(() => []);
const outputs = variants.map(() => '');
for (let i = 0; i < runs; i++) {
  variants.forEach((v, j) => {
    const out = path.join(work, `out-${j}.json`);
    const r = timeRun(process.execPath, [cli, 'eval', ...v.args, '--format', 'json', '-o', out, '--root', work], { cwd: work, env: { ...process.env, KPISPEC_TIMINGS: '1' } });
    if (r.status !== 0) throw new Error(`${v.name} failed: ${r.stderr}`);
    const line = r.stderr.split('\n').find((l) => l.startsWith('KPISPEC_TIMINGS '));
    times[j].push({ ms: r.ms, rss: line ? JSON.parse(line.slice(16)).maxRssMB : NaN });
    outputs[j] = out;
  });
}

// The same numbers: every KPI, total and by channel, 1e-9 relative, nulls equal.
const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const base = read(outputs[0]);
const values = (r) => r.kpis.flatMap((k) => [...k.series.map((p) => [k.id, '', p.period, p.value]), ...k.breakdowns.flatMap((b) => b.rows.flatMap((row) => row.series.map((p) => [k.id, `${b.dimension}=${row.group}`, p.period, p.value])))]);
const expected = values(base);
for (let j = 1; j < variants.length; j++) {
  const got = values(read(outputs[j]));
  if (got.length !== expected.length) throw new Error(`${variants[j].name}: ${got.length} values instead of ${expected.length}`);
  got.forEach((g, i) => {
    const e = expected[i];
    const same = g[0] === e[0] && g[1] === e[1] && g[2] === e[2] && (e[3] === null ? g[3] === null : g[3] !== null && Math.abs(g[3] - e[3]) <= 1e-9 * Math.max(1, Math.abs(e[3])));
    if (!same) throw new Error(`${variants[j].name} differs at ${e.slice(0, 3).join(' ')}: ${g[3]} instead of ${e[3]}`);
  });
}
console.log(`the three give the same ${expected.length.toLocaleString('en')} values (1e-9 relative, nulls equal)\n`);
console.log(`median of ${runs} runs, alternating, whole processes (start-up, checking and output included)`);
for (let j = 0; j < variants.length; j++) {
  console.log(`${variants[j].name.padEnd(28)} ${fmtMs(median(times[j].map((t) => t.ms))).padStart(8)}   peak RSS ${Math.max(...times[j].map((t) => t.rss))} MB   (runs: ${times[j].map((t) => fmtMs(t.ms)).join(', ')})`);
}
