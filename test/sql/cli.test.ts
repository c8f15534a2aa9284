import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EvalResult } from '../../server/src/engine/results';
import { REPO, runCli, tempWorkspace } from '../helpers/runCli';
import { assertSameResults } from './compare';
import { postgres } from './postgres';
import { loadSampleTables } from './sampleTables';

const SAMPLE = 'samples/webshop.kpi.yaml';

/** Runs the built CLI (JSON of the samples is larger than runCli's output buffer). */
function cli(args: string[], cwd = REPO, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the samples (specs and data) in a temporary workspace. */
function samplesCopy(extra: Record<string, string> = {}): string {
  const files: Record<string, string | Uint8Array> = { ...extra };
  for (const f of ['webshop.kpi.yaml', 'sources.kpi.yaml']) files[f] = fs.readFileSync(path.join(REPO, 'samples', f));
  for (const f of fs.readdirSync(path.join(REPO, 'samples/data'))) files[`data/${f}`] = fs.readFileSync(path.join(REPO, 'samples/data', f));
  return tempWorkspace(files);
}

async function duckdb(sql: string, cwd: string): Promise<void> {
  const here = process.cwd();
  process.chdir(cwd);
  try {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(sql);
    c.closeSync();
    db.closeSync();
  } finally {
    process.chdir(here);
  }
}

describe('kpispec sql and kpispec eval --engine (command line)', function () {
  this.timeout(120_000);
  let inProcess: EvalResult;

  before(() => {
    const r = cli(['eval', SAMPLE, '-f', 'json']);
    assert.equal(r.status, 0, r.stderr);
    inProcess = JSON.parse(r.stdout) as EvalResult;
  });

  it('kpispec sql prints readable SQL commented with the KPI ids, one CTE per source and aggregate, that DuckDB runs', async () => {
    const r = runCli(['sql', SAMPLE, '--dialect', 'duckdb', '--kpi', 'conversion_rate', '--kpi', 'retention_rate', '--by', 'device']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const sql = r.stdout;
    assert.match(sql, /^-- kpispec samples\/webshop\.kpi\.yaml\n-- dialect: DuckDB; grain: month; time zone: Asia\/Shanghai\n/);
    assert.match(sql, /^-- kpi: conversion_rate = orders \/ sessions$/m);
    assert.match(sql, /^-- kpi: retention_rate = retained_customers \/ prev\(customers\)$/m);
    assert.match(sql, /^-- source web: data\/web_sessions\.csv\nsrc_web AS MATERIALIZED \($/m);
    assert.match(sql, /^agg_order_log__device AS \($/m);
    assert.match(sql, /LAG\(m_customers, 1\) OVER \(PARTITION BY __g ORDER BY __p\)/);
    assert.match(sql, /m_orders \/ NULLIF\(m_sessions, 0\)/);
    await duckdb(sql, REPO);
  });

  it('kpispec sql: every dialect, options checked, problems on standard error with file:line:column', () => {
    for (const dialect of ['duckdb', 'postgres', 'bigquery', 'snowflake']) {
      const r = runCli(['sql', SAMPLE, '-d', dialect, '--grain', 'week', '--last', '4']);
      assert.equal(r.status, 0, `${dialect}: ${r.stderr}`);
      assert.match(r.stdout, /^WITH$/m);
      // Files are tables for the other dialects: said on standard error, with the place.
      if (dialect === 'bigquery') assert.match(r.stderr, /^samples\/sources\.kpi\.yaml:\d+:\d+: warning: source `web` reads `data\/web_sessions\.csv`, but BigQuery reads tables/m);
    }
    for (const args of [['sql', SAMPLE], ['sql', SAMPLE, '-d', 'oracle'], ['sql', SAMPLE, '-d', 'duckdb', '--grain', 'hourly'], ['sql'], ['sql', SAMPLE, '-d', 'duckdb', '--profile', 'nope']]) {
      const r = runCli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^kpispec: /);
    }
    const dir = tempWorkspace({ 'a.kpi.yaml': 'kpispec: 1\nsources:\n  s: { time: d, rows: [ { d: 2026-01-01, n: 1 } ] }\nmetrics:\n  n: { source: s, agg: sum, column: n }\n  bad: { source: s, agg: sum, column: n, where: \'d > "soon"\' }\nkpis:\n  k: { formula: n + bad }\n' });
    const bad = runCli(['sql', 'a.kpi.yaml', '-d', 'postgres'], dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^a\.kpi\.yaml:6:\d+: error: metric `bad`: `soon` is not a date \(write YYYY-MM-DD\)$/m);
  });

  it('kpispec eval --engine duckdb prints the same scorecard, JSON and CSV as the in-process engine', () => {
    for (const args of [['--no-color'], ['-f', 'markdown'], ['-f', 'csv', '--kpi', 'aov', '--grain', 'week']]) {
      const a = cli(['eval', SAMPLE, ...args]);
      const b = cli(['eval', SAMPLE, ...args, '--engine', 'duckdb']);
      assert.equal(b.status, 0, b.stderr);
      if (args[1] === 'csv') assert.equal(b.stdout.split('\n').length, a.stdout.split('\n').length);
      else assert.equal(b.stdout, a.stdout, args.join(' '));
    }
    const json = cli(['eval', SAMPLE, '-f', 'json', '--engine', 'duckdb']);
    assert.equal(json.status, 0, json.stderr);
    assertSameResults(JSON.parse(json.stdout) as EvalResult, inProcess, 'duckdb');
  });

  it('kpispec eval --engine postgres through a profile: the URL from the variable it names, the tables it maps', async () => {
    const server = await postgres();
    const tables = await loadSampleTables(server.url);
    const profile = `profiles:\n  test:\n    dialect: postgres\n    url_env: KPISPEC_TEST_PG\n    tables:\n${Object.entries(tables).map(([id, t]) => `      ${id}: ${t}`).join('\n')}\n`;
    const dir = samplesCopy({ 'kpispec.profiles.yaml': profile });
    const run = (args: string[], env: Record<string, string> = {}) => cli(args, dir, env);
    const r = run(['eval', 'webshop.kpi.yaml', '-f', 'json', '--profile', 'test'], { KPISPEC_TEST_PG: server.url });
    assert.equal(r.status, 0, r.stderr);
    assertSameResults(JSON.parse(r.stdout) as EvalResult, inProcess, 'postgres');
    const missing = run(['eval', 'webshop.kpi.yaml', '--profile', 'test'], { KPISPEC_TEST_PG: '' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--engine postgres needs a connection URL in the environment variable KPISPEC_TEST_PG/);
    const wrongTable = run(['eval', 'webshop.kpi.yaml', '--engine', 'postgres'], { KPISPEC_PG_URL: server.url });
    assert.equal(wrongTable.status, 2);
    assert.match(wrongTable.stderr, /^kpispec: postgres: relation "web" does not exist/);
  });

  it('profiles never hold secrets, and name what is wrong', () => {
    const dir = tempWorkspace({
      'a.kpi.yaml': 'kpispec: 1\n',
      'kpispec.profiles.yaml': 'profiles:\n  prod: { dialect: postgres, url: "postgres://u:pw@db/x" }\n  odd: { dialect: oracle }\n',
    });
    const secret = runCli(['sql', 'a.kpi.yaml', '--profile', 'prod'], dir);
    assert.equal(secret.status, 2);
    assert.match(secret.stderr, /kpispec\.profiles\.yaml: profile `prod` has `url`: profiles never hold secrets; put the connection URL in an environment variable and name it with `url_env`/);
    assert.match(runCli(['sql', 'a.kpi.yaml', '--profile', 'odd'], dir).stderr, /dialect must be one of duckdb, postgres, bigquery, snowflake/);
    assert.match(runCli(['sql', 'a.kpi.yaml', '--profile', 'dev'], dir).stderr, /no profile `dev`; the profiles are `prod`, `odd`/);
  });

  it('Parquet files and a DuckDB database file (table: sources, a profile) give the samples\' numbers; in process they say which engine reads them', async () => {
    const dir = samplesCopy();
    const names: Record<string, string> = { web: 'web_sessions', order_log: 'orders', ads: 'ad_spend', social: 'social', email: 'email', lead_log: 'leads', hits: 'hits', crm_leads: 'crm_leads', deals: 'deals' };
    // Parquet copies (DuckDB types them: DATE, TIMESTAMP WITH TIME ZONE, DOUBLE, BOOLEAN) and a database file with the same tables.
    const db = await DuckDBInstance.create(path.join(dir, 'warehouse.duckdb'));
    const c = await db.connect();
    for (const t of Object.values(names)) {
      const csv = path.join(dir, 'data', `${t}.csv`).replace(/'/g, "''");
      const types = t === 'orders' ? ", types = {'customer_id': 'VARCHAR'}" : '';
      await c.run(`COPY (SELECT * FROM read_csv('${csv}'${types})) TO '${path.join(dir, 'data', `${t}.parquet`).replace(/'/g, "''")}' (FORMAT parquet)`);
      await c.run(`CREATE TABLE ${t} AS SELECT * FROM read_csv('${csv}'${types})`);
    }
    c.closeSync();
    db.closeSync();
    const sources = fs.readFileSync(path.join(dir, 'sources.kpi.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'sources.kpi.yaml'), sources.replace(/file: data\/(\w+)\.csv/g, 'file: data/$1.parquet'));
    const parquet = cli(['eval', 'webshop.kpi.yaml', '-f', 'json', '--engine', 'duckdb'], dir);
    assert.equal(parquet.status, 0, parquet.stderr);
    assertSameResults(JSON.parse(parquet.stdout) as EvalResult, inProcess, 'parquet');
    const inProc = runCli(['eval', 'webshop.kpi.yaml', '--kpi', 'aov'], dir);
    assert.match(inProc.stdout, /`data\/orders\.parquet` is a Parquet file: Parquet is read by the DuckDB engine \(kpispec eval --engine duckdb\)/);

    fs.writeFileSync(path.join(dir, 'sources.kpi.yaml'), sources.replace(/file: data\/(\w+)\.csv/g, (_, f: string) => `table: ${f === 'web_sessions' ? 'web_sessions' : f}`));
    fs.writeFileSync(path.join(dir, 'kpispec.profiles.yaml'), 'profiles:\n  local: { dialect: duckdb, database: warehouse.duckdb }\n');
    const tables = cli(['eval', 'webshop.kpi.yaml', '-f', 'json', '--profile', 'local'], dir);
    assert.equal(tables.status, 0, tables.stderr);
    assertSameResults(JSON.parse(tables.stdout) as EvalResult, inProcess, 'duckdb tables');
    const check = runCli(['check', 'webshop.kpi.yaml', 'sources.kpi.yaml'], dir);
    assert.equal(check.status, 0, check.stdout);
    const table = runCli(['eval', 'webshop.kpi.yaml', '--kpi', 'aov'], dir);
    assert.match(table.stdout, /source `order_log` reads the database table `orders`: evaluate it with kpispec eval --engine duckdb or --engine postgres/);
  });

  it('without the DuckDB package, --engine duckdb says what to install (exit 2)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-nodeps-'));
    for (const f of ['cli.js', 'cliMain.js']) fs.copyFileSync(path.join(REPO, 'dist', f), path.join(dir, f));
    fs.cpSync(path.join(REPO, 'samples'), path.join(dir, 'samples'), { recursive: true });
    const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'eval', SAMPLE, '--engine', 'duckdb'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^kpispec: --engine duckdb needs the npm package `@duckdb\/node-api`; install it next to kpispec \(npm install @duckdb\/node-api\)$/m);
  });
});
