import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/**
 * A throw-away PostgreSQL server for the SQL tests: a fresh cluster (initdb) in a temporary
 * folder, started with pg_ctl on a free port of 127.0.0.1 (socket in the same folder), trust
 * authentication, stopped and deleted when the test process exits. Started on first use and
 * shared by every suite. PostgreSQL refuses to run as root, so as root the cluster belongs to
 * the `postgres` OS user (runuser). Missing binaries are an error, never a skip: CI installs
 * them with scripts/install-postgres.sh.
 *
 * The cluster's default collation is ICU en-US when available (so that text ordering in SQL
 * that forgets `COLLATE "C"` would differ from kpispec's code-point order and be caught).
 */
export interface PgServer {
  url: string;
  port: number;
  version: string;
}

let started: Promise<PgServer> | undefined;

export function postgres(): Promise<PgServer> {
  started ??= start();
  return started;
}

function findBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => +b - +a) : [];
  for (const v of versions) {
    const bin = path.join(base, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  const fromPath = spawnSync('sh', ['-c', 'dirname "$(command -v pg_ctl)"'], { encoding: 'utf8' });
  const dir = fromPath.status === 0 ? fromPath.stdout.trim() : '';
  if (dir && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) are not installed: run `bash scripts/install-postgres.sh` (Debian package `postgresql`). The SQL tests need a real server and fail without one.');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function start(): Promise<PgServer> {
  const bin = findBin();
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-pg-'));
  const data = path.join(dir, 'data');
  let owner: { uid: number; gid: number } | undefined;
  if (root) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) throw new Error('running as root, but there is no `postgres` OS user to run the server as (the Debian package creates it)');
    owner = { uid: +id.stdout.trim(), gid: +gid.stdout.trim() };
    fs.chownSync(dir, owner.uid, owner.gid);
  }
  const run = (cmd: string, args: string[]) => {
    const full = root ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] as const : [path.join(bin, cmd), args] as const;
    const r = spawnSync(full[0], [...full[1]], { encoding: 'utf8', cwd: dir });
    return r;
  };
  const common = ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'];
  let init = run('initdb', [...common, '--locale=C.UTF-8', '--locale-provider=icu', '--icu-locale=en-US']);
  if (init.status !== 0) init = run('initdb', [...common, '--locale=C.UTF-8']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const log = path.join(dir, 'server.log');
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const up = run('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', '-t', '60', 'start']);
  if (up.status !== 0) {
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    throw new Error(`pg_ctl start failed: ${up.stderr || up.stdout}\n${text}`);
  }
  process.on('exit', () => {
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const client = new Client({ connectionString: url });
  await client.connect();
  const version = String((await client.query('SHOW server_version')).rows[0].server_version);
  await client.end();
  return { url, port, version };
}

/** Runs statements on the test server. */
export async function pgExec(url: string, statements: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

/** Inserts rows (text values, '' = null) into a table, in batches; the table's columns type them. */
export async function pgInsert(url: string, table: string, columns: string[], rows: string[][]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const quoted = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      const params: (string | null)[] = [];
      const tuples = batch.map((r) => `(${columns.map((_, j) => { params.push(r[j] === '' || r[j] === undefined ? null : r[j]!); return `$${params.length}`; }).join(', ')})`);
      await client.query(`INSERT INTO ${table} (${quoted}) VALUES ${tuples.join(', ')}`, params);
    }
  } finally {
    await client.end();
  }
}
