import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempWorkspace } from '../helpers/runCli';

const CLI = path.join(REPO, 'dist/cli.js');
const BROKEN = 'kpispec: 1\nkpis:\n  k: { formula: nope }\n';

/** Runs dist/cli.js with its cache folder in `home` (XDG_CACHE_HOME). */
function run(args: string[], cwd: string, home: string, extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: home, ...extraEnv } });
}

const cacheFiles = (home: string): string[] => {
  const dir = path.join(home, 'kpispec', 'compile-cache');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

describe('the kpispec entry and its compile cache', function () {
  if (process.platform !== 'linux') return;

  it('writes one cache file per command on the first run and reuses it, with the same output and exit code', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': BROKEN });
    const home = tempWorkspace({});
    const first = run(['check', 'a.kpi.yaml'], dir, home);
    assert.equal(first.status, 1, first.stderr);
    assert.deepEqual(cacheFiles(home).map((f) => f.replace(/^[0-9a-f]{16}-/, '')), ['check.bin']);
    const file = path.join(home, 'kpispec', 'compile-cache', cacheFiles(home)[0]);
    const written = fs.statSync(file).mtimeMs;
    const second = run(['check', 'a.kpi.yaml'], dir, home);
    assert.equal(second.status, 1);
    assert.equal(second.stdout, first.stdout);
    assert.equal(fs.statSync(file).mtimeMs, written, 'an accepted cache is not written again');
    run(['--version'], dir, home);
    assert.deepEqual(cacheFiles(home).map((f) => f.replace(/^[0-9a-f]{16}-/, '')), ['check.bin', 'other.bin']);
  });

  it('runs from a damaged cache file as from none, and replaces it', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': BROKEN });
    const home = tempWorkspace({});
    run(['check', 'a.kpi.yaml'], dir, home);
    const file = path.join(home, 'kpispec', 'compile-cache', cacheFiles(home)[0]);
    fs.writeFileSync(file, Buffer.from('not a code cache'));
    const r = run(['check', 'a.kpi.yaml'], dir, home);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /nope/);
    assert.equal(fs.readFileSync(file).length > 1000, true, 'rewritten');
    const rewritten = fs.statSync(file).mtimeMs;
    assert.equal(run(['check', 'a.kpi.yaml'], dir, home).status, 1);
    assert.equal(fs.statSync(file).mtimeMs, rewritten, 'the rewritten cache is accepted');
  });

  it('writes nothing with NODE_DISABLE_COMPILE_CACHE, or where the cache folder cannot be made', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': BROKEN });
    const home = tempWorkspace({});
    const off = run(['check', 'a.kpi.yaml'], dir, home, { NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.equal(off.status, 1);
    assert.deepEqual(cacheFiles(home), []);
    const blocked = tempWorkspace({ kpispec: 'a file where the folder would be' });
    const r = run(['check', 'a.kpi.yaml'], dir, blocked);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /nope/);
  });
});
