import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { DidOpenTextDocumentNotification, ExitNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, ShutdownRequest, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { REPO } from '../helpers/runCli';

/**
 * The npm package as a user gets it: `npm pack`, then the tarball installed offline into an empty
 * folder outside the repository (so nothing resolves from the repository's node_modules), and
 * `kpispec` run from there. The CLI's dependencies are bundled by esbuild, so the tarball installs
 * with no registry; the database clients are optional and left out here (`--omit=optional`).
 */

const BUDGET_BYTES = 1024 * 1024;
const MAX_FILES = 60; // the bundles, the schema, README, LICENSE and the init templates

const SPEC = `kpispec: 1
name: Shop
sources:
  web:
    time: day
    rows:
      - { day: 2026-01-01, sessions: 100, orders: 5 }
      - { day: 2026-02-01, sessions: 200, orders: 8 }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  orders: { source: web, agg: sum, column: orders }
kpis:
  conversion_rate: { formula: orders / sessions, format: percent, target: 3% }
`;

interface PackResult { filename: string; size: number; files: { path: string }[] }

describe('the npm package, packed and installed into an empty folder', function () {
  this.timeout(300_000);
  let scratch: string;
  let packed: PackResult;
  let project: string;
  let kpispec: string;

  /** Runs the installed `kpispec` in the project folder; returns its exit code and output. */
  const run = (...args: string[]) => {
    const r = spawnSync(kpispec, args, { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: scratch } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'kpispec-pack-'));
    // `npm pack` runs the `prepare` script: the bundles are built fresh.
    const json = execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    packed = (JSON.parse(json) as PackResult[])[0]!;
    project = join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--offline', '--cache', join(scratch, 'npm-cache'), '--omit=optional', '--no-audit', '--no-fund', join(scratch, packed.filename)], {
      cwd: project, stdio: 'pipe', env: { PATH: process.env.PATH, HOME: scratch },
    });
    kpispec = join(project, 'node_modules', '.bin', 'kpispec');
    writeFileSync(join(project, 'shop.kpi.yaml'), SPEC);
    writeFileSync(join(project, 'shop-next.kpi.yaml'), SPEC.replace('target: 3%', 'target: 5%'));
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('is under 1 MB and holds only what runs: no tests, benches, sources or source maps', () => {
    assert.ok(packed.size < BUDGET_BYTES, `the tarball is ${packed.size} bytes`);
    const paths = packed.files.map((f) => f.path);
    assert.ok(paths.length <= MAX_FILES, `${paths.length} files: ${paths.join(', ')}`);
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'dist/cli.js', 'dist/evalWorker.js', 'schemas/kpispec.schema.json']) assert.ok(paths.includes(needed), needed);
    const stray = paths.filter((p) => /^(test|bench|server|client|samples|scripts|node_modules)\//.test(p) || p.endsWith('.map') || p.endsWith('.ts'));
    assert.deepEqual(stray, []);
  });

  it('keeps the database clients optional and needs no other package at run time', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'kpispec', 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.dependencies ?? {}, {});
    assert.deepEqual(Object.keys(manifest.optionalDependencies).sort(), ['@duckdb/node-api', 'pg']);
  });

  it('runs `kpispec check`', () => {
    assert.deepEqual(run('check', 'shop.kpi.yaml'), { code: 0, stdout: '✔ no problems\n', stderr: '' });
    const broken = run('check', '--format', 'json', 'shop.kpi.yaml', '--no-such-option');
    assert.equal(broken.code, 2, broken.stderr);
  });

  it('runs `kpispec eval`', () => {
    const r = run('eval', 'shop.kpi.yaml', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const kpi = JSON.parse(r.stdout).kpis.find((k: { id: string }) => k.id === 'conversion_rate');
    assert.equal(kpi.latest.value, 8 / 200);
    assert.equal(kpi.latest.status, 'met');
  });

  it('runs `kpispec diff`', () => {
    const r = run('diff', 'shop.kpi.yaml', 'shop-next.kpi.yaml', '--fail-on', 'breaking');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /breaking: `conversion_rate` goes from met to missed/);
    assert.match(r.stdout, /always: min 3% → min 5%/);
  });

  it('runs `kpispec init` from the templates it ships, and the result checks clean', () => {
    const r = run('init', '--yes', '--dir', 'fresh');
    assert.equal(r.code, 0, r.stderr);
    const check = spawnSync(kpispec, ['check'], { cwd: join(project, 'fresh'), encoding: 'utf8' });
    assert.deepEqual([check.status, check.stdout], [0, '✔ no problems\n'], check.stderr);
  });

  it('runs `kpispec lsp`: initialize, open a spec, diagnostics, shutdown', async () => {
    const child = spawn(kpispec, ['lsp', '--stdio'], { cwd: project, stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: scratch } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const uri = `file://${join(project, 'typo.kpi.yaml')}`;
    const published = new Promise<PublishDiagnosticsParams>((resolve) =>
      connection.onNotification(PublishDiagnosticsNotification.type, (p) => { if (p.uri === uri && p.diagnostics.length) resolve(p); }));
    connection.listen();
    try {
      const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: `file://${project}`, capabilities: {}, workspaceFolders: [{ uri: `file://${project}`, name: 'project' }] });
      assert.equal(init.serverInfo?.name, 'kpispec', stderr);
      await connection.sendNotification(InitializedNotification.type, {});
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'kpispec', version: 1, text: SPEC.replace('orders / sessions', 'orders / sesions') },
      });
      const diagnostics = (await published).diagnostics;
      const messages = diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
      assert.ok(messages.some((m) => /sesions/.test(m) && /sessions/.test(m)), messages.join('\n'));
      await connection.sendRequest(ShutdownRequest.type);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0, stderr);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
