// bench/diff: times `kpispec diff before after --format json` (with impact: both sides evaluated
// on their data) on two versions of a 2,000-KPI workspace where 5% of the KPIs change, with peak
// memory. Usage: npm run bench:diff [-- --runs N]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';
import { fmtMs, median, timeRun } from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const work = path.join(repo, 'bench/.work/diff');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const cli = path.join(repo, 'dist/cli.js');
const GOAL_MS = 3000;
if (!fs.existsSync(cli)) throw new Error('build first: npm run build');

console.log(`generating workspaces in ${path.relative(repo, work)} ...`);
const kpis = generate(work);
console.log(`${kpis.toLocaleString('en')} KPIs per side (4 folders × 5 files × 100 KPIs, a CSV per folder); the after side changes 100 KPIs\n`);

// Peak RSS through GNU time when present (diff has no KPISPEC_TIMINGS).
const gnuTime = fs.existsSync('/usr/bin/time') && timeRun('/usr/bin/time', ['-f', '%M', 'true']).status === 0 ? '/usr/bin/time' : undefined;

function diffRuns(extra) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const args = [cli, 'diff', 'before', 'after', '--format', 'json', '-o', '/dev/null', ...extra];
    const r = gnuTime ? timeRun(gnuTime, ['-f', 'KPISPEC_MAXRSS %M', process.execPath, ...args], { cwd: work }) : timeRun(process.execPath, args, { cwd: work });
    if (r.status !== 0) throw new Error(`diff failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
    times.push(r.ms);
    const line = r.stderr.split('\n').find((l) => l.startsWith('KPISPEC_MAXRSS '));
    if (line) rss.push(Number(line.split(' ')[1]) / 1024);
  }
  return { wall: median(times), min: Math.min(...times), max: Math.max(...times), rss: rss.length ? Math.max(...rss) : undefined };
}

// One untimed run keeps the JSON, to show the diff did real work.
const out = path.join(work, 'diff.json');
const once = timeRun(process.execPath, [cli, 'diff', 'before', 'after', '--format', 'json', '-o', out], { cwd: work });
if (once.status !== 0) throw new Error(`diff failed (exit ${once.status}): ${once.stderr.slice(0, 500)}`);
const result = JSON.parse(fs.readFileSync(out, 'utf8'));
const s = result.summary;
const withImpact = result.entries.filter((e) => e.kind === 'kpi' && e.impact && (e.impact.before || e.impact.after)).length;
console.log(`result: ${s.changed} changed, ${s.affected} affected, ${s.renamed} renamed, ${s.added} added, ${s.removed} removed, ${s.breaking} breaking; ` +
  `${result.entries.filter((e) => e.kind === 'kpi').length} KPI entries (${withImpact} with values), ${result.files.length} files`);
const byChange = {};
for (const e of result.entries) byChange[`${e.kind} ${e.change}`] = (byChange[`${e.kind} ${e.change}`] ?? 0) + 1;
console.log(`entries: ${Object.entries(byChange).map(([k, n]) => `${n} ${k}`).join(', ')}\n`);

const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${load} (1/5/15 min), node ${process.version}`);
console.log(`runs: ${runs} each, median wall time${gnuTime ? ', peak RSS over the runs' : ''}\n`);

const rows = [
  ['diff with impact (goal < 3 s)', diffRuns([]), GOAL_MS],
  ['diff --no-impact (definitions only)', diffRuns(['--no-impact']), undefined],
];
for (const [name, r, goal] of rows) {
  const verdict = goal === undefined ? '' : r.wall < goal ? '  ✓ under goal' : '  ✗ over goal';
  const mem = r.rss === undefined ? 'peak RSS n/a' : `peak RSS ${Math.round(r.rss)} MB`;
  console.log(`${name.padEnd(38)} ${fmtMs(r.wall).padStart(8)}  (min ${fmtMs(r.min)}, max ${fmtMs(r.max)})  ${mem}${verdict}`);
}
if (!gnuTime) console.log('\nnote: /usr/bin/time (GNU time) not found: peak memory not measured');
