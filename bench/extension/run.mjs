// bench/extension: the VSIX's size against its 2 MB budget, and the extension's activation time in a
// real VS Code (code-server, run the extension host suite's way: smoke-test driver + extensionTestsPath)
// over N fresh code-server sessions, against the 150 ms goal (server start excluded). See README.md.
// Usage: npm run bench:extension [-- --runs N]      (after a build: node bench/extension/run.mjs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import * as esbuild from 'esbuild';
import { median } from '../lib.mjs';

// The end-to-end tests' code-server and workspace helpers, in TypeScript, loaded through tsx.
const { require: tsRequire } = createRequire(import.meta.url)('tsx/cjs/api');
const { CodeServer, launchBrowser } = tsRequire('../../test/e2e/codeServer.ts', import.meta.url);
const { copySamples, REPO } = tsRequire('../../test/e2e/workspace.ts', import.meta.url);

const argv = process.argv.slice(2);
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 5;
if (!(Number.isInteger(runs) && runs > 0)) throw new Error('--runs takes a positive whole number');
const BUDGET_BYTES = 2 * 1024 * 1024;
const GOAL_MS = 150;
const REFERENCE = 'vscode.css-language-features'; // as in host.ts
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const ms = (v) => (typeof v === 'number' && !Number.isNaN(v) ? `${v.toFixed(1)} ms` : 'n/a');
const secs = (t) => `${((performance.now() - t) / 1000).toFixed(0)} s`;

console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), node ${process.version}, load ${load()}`);

// ---- the VSIX -----------------------------------------------------------------------------------
let t = performance.now();
const tmp = mkdtempSync(join(os.tmpdir(), 'kpispec-bench-vsix-'));
const vsix = join(tmp, 'kpispec.vsix');
const pack = spawnSync(process.execPath, [join(REPO, 'scripts/package.mjs'), '--out', vsix], { cwd: REPO, encoding: 'utf8' });
let size;
try {
  size = statSync(vsix).size;
} catch {
  console.error(`scripts/package.mjs made no VSIX:\n${pack.stdout}${pack.stderr}`);
  process.exit(1);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const over = size > BUDGET_BYTES ? '  OVER BUDGET' : '';
console.log(`VSIX: ${(size / 1024).toFixed(0)} KB of the ${BUDGET_BYTES / 1024 / 1024} MB budget (${((size / BUDGET_BYTES) * 100).toFixed(0)}%)${over}; packaged in ${secs(t)}`);

// ---- activation in code-server --------------------------------------------------------------------
// host.ts runs in the extension host of each session (with dist/extension.js, just built by
// package.mjs, under development) and prints one `KPISPEC_BENCH {json}` line.
const hostJs = join(REPO, 'bench/.work/extension/host.js');
await esbuild.build({ entryPoints: [join(REPO, 'bench/extension/host.ts')], outfile: hostJs, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'error' });

let server;
let workspace;
process.once('SIGINT', async () => {
  await server?.stop();
  workspace?.remove();
  process.exit(130);
});

/** One fresh code-server session; resolves with host.ts's result. */
async function session(browser) {
  workspace = copySamples();
  server = new CodeServer({ testDriver: true });
  const page = await browser.newPage();
  const output = [];
  try {
    await server.start();
    const exit = new Promise((resolve) => void page.exposeFunction('codeAutomationExit', resolve));
    await page.exposeFunction('codeAutomationLog', (_level, args) => output.push(format(...args)));
    const host = new URL(server.base).host;
    await page.goto(server.url(workspace.dir, [
      ['extensionDevelopmentPath', `vscode-remote://${host}${REPO}`],
      ['extensionTestsPath', `vscode-remote://${host}${hostJs}`],
    ]));
    const timeout = new Promise((resolve) => setTimeout(() => resolve('no exit within 120 s'), 120_000).unref());
    const code = await Promise.race([exit, timeout]);
    const line = output.find((l) => l.startsWith('KPISPEC_BENCH '));
    if (code !== 0 || !line) throw new Error(`the extension host run ended with ${code}:\n${output.slice(-30).join('\n')}\n--- code-server log ---\n${server.logTail()}`);
    return JSON.parse(line.slice('KPISPEC_BENCH '.length));
  } finally {
    await page.context().close();
    await server.stop();
    workspace.remove();
  }
}

/** VS Code's own activation time of an extension (as its Running Extensions view shows it). */
const counted = (row) => row && row.loadCode + row.callActivate;
const detail = (row) => (row ? `(load ${row.loadCode} + activate ${row.callActivate})` : '');

const browser = await launchBrowser();
const results = [];
try {
  for (let i = 1; i <= runs; i++) {
    const before = load();
    t = performance.now();
    const r = await session(browser);
    results.push(r);
    if (i === 1) console.log(`\nactivation in VS Code ${r.version} (code-server), ${runs} fresh session(s), server start excluded:`);
    const { kpispec, reference } = r.vscode;
    const ref = r.referenceWasActive ? 'already active' : `${ms(counted(reference))} ${detail(reference)}`;
    console.log(`  run ${i}: kpispec ${ms(r.activationMs)} by its API, ${ms(counted(kpispec))} ${detail(kpispec)} by VS Code`
      + ` | ${REFERENCE} ${ref} | empty extension ${ms(r.emptyMs)} | load before ${before} | ${secs(t)}`);
  }
} finally {
  await browser.close();
}

const med = (f) => median(results.map(f).filter((v) => typeof v === 'number' && !Number.isNaN(v)));
const verdict = (v) => (v <= GOAL_MS ? `within the ${GOAL_MS} ms goal` : `OVER the ${GOAL_MS} ms goal`);
const api = med((r) => r.activationMs);
const vs = med((r) => counted(r.vscode.kpispec));
console.log(`\nmedians of ${runs}:`);
console.log(`  kpispec, activationMs from its API (bundle's first line to end of activate): ${ms(api)}, ${verdict(api)}`);
console.log(`  kpispec, VS Code's count (whole require incl. reading + compiling, + activate): ${ms(vs)}, ${verdict(vs)}`);
console.log(`  ${REFERENCE} (built-in LSP client, 460 KB bundle), VS Code's count: ${ms(med((r) => (r.referenceWasActive ? undefined : counted(r.vscode.reference))))}`);
console.log(`  empty extension, require() + activate() in the same host (a floor): ${ms(med((r) => r.emptyMs))}`);
console.log(`load: ${load()} on ${os.cpus().length} cores`);
