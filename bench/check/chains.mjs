// bench/check/chains: long KPI chains (k0 uses k1 uses k2 …) and rings (the last uses k0) of
// 1,000, 10,000 and 100,000 KPIs. Times `kpispec check` (median of runs, ratio per 10x: 10 is
// linear) and opens each file in the language server, which must publish its diagnostics and
// keep running. Usage: node bench/check/chains.mjs [--runs N] (after npm run build)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmtMs, median, timeRun } from '../lib.mjs';

const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const work = path.join(repo, 'bench/.work/chains');
const cli = path.join(repo, 'dist/cli.js');
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 3;
const SIZES = [1_000, 10_000, 100_000];

/** A chain of n KPIs ending in a constant, or a ring where the last names the first. */
function chainText(n, ring) {
  const lines = ['kpispec: 1', 'kpis:'];
  for (let i = 0; i < n; i++) lines.push(`  k${i}: { formula: k${ring ? (i + 1) % n : i + 1} }`);
  if (!ring) lines.push(`  k${n}: { formula: 1 }`);
  return lines.join('\n') + '\n';
}

function checkMs(file, ring) {
  const times = [];
  let outBytes = 0;
  for (let i = 0; i < runs; i++) {
    const r = timeRun(process.execPath, [cli, 'check', file], { cwd: path.dirname(file) });
    if (r.status !== (ring ? 1 : 0)) throw new Error(`check ${file}: exit ${r.status}: ${r.stderr.slice(0, 300)}`);
    times.push(r.ms);
    outBytes = r.stdout.length;
  }
  return { ms: median(times), outBytes };
}

/** Opens the file in a fresh server; resolves with the time to its diagnostics and whether it still runs. */
async function lspOpen(file) {
  const folder = path.dirname(file);
  const child = spawn(process.execPath, [path.join(repo, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let exited = null;
  child.on('exit', (code) => (exited = code));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(file).href;
  const published = new Promise((resolve) => conn.onNotification('textDocument/publishDiagnostics', (p) => p.uri === uri && resolve(p.diagnostics.length)));
  conn.listen();
  const root = pathToFileURL(folder).href;
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: root, capabilities: {}, workspaceFolders: [{ uri: root, name: 'chains' }] });
  await conn.sendNotification('initialized', {});
  const start = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'kpispec', version: 1, text: fs.readFileSync(file, 'utf8') } });
  const timeout = new Promise((resolve) => setTimeout(() => resolve(-1), 300_000));
  const diagnostics = await Promise.race([published, timeout]);
  const ms = performance.now() - start;
  const hover = await Promise.race([conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } }), new Promise((r) => setTimeout(() => r('timeout'), 120_000))]);
  const alive = exited === null && hover !== 'timeout';
  child.kill();
  return { ms, diagnostics, alive };
}

fs.mkdirSync(work, { recursive: true });
console.log(`KPI chains and rings: kpispec check (median of ${runs} runs) and the language server opening the file`);
console.log('shape        KPIs       check      ×10 ratio  output     server: diagnostics  time      still running');
for (const ring of [false, true]) {
  let previous;
  for (const n of SIZES) {
    const folder = path.join(work, `${ring ? 'ring' : 'chain'}${n}`); // alone: the server scans its folder
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'spec.kpi.yaml');
    fs.writeFileSync(file, chainText(n, ring));
    const check = checkMs(file, ring);
    const lsp = await lspOpen(file);
    const ratio = previous ? (check.ms / previous).toFixed(1) : '';
    previous = check.ms;
    const out = check.outBytes > 1 << 20 ? `${(check.outBytes / (1 << 20)).toFixed(1)} MB` : `${(check.outBytes / 1024).toFixed(0)} KB`;
    console.log(`${(ring ? 'ring' : 'chain').padEnd(13)}${n.toLocaleString('en-US').padEnd(11)}${fmtMs(check.ms).padEnd(11)}${ratio.padEnd(11)}${out.padEnd(11)}${String(lsp.diagnostics < 0 ? 'none' : lsp.diagnostics).padEnd(21)}${fmtMs(lsp.ms).padEnd(10)}${lsp.alive ? 'yes' : 'NO'}`);
  }
}
