import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `kpispec diff <case>/before <case>/after --format markdown --fail-on breaking` for every
 * fixture pair under test/fixtures/diff, against reviewed baselines test/baselines/diff-<case>.md.
 * Accept new output with KPISPEC_ACCEPT=1 (then read the baselines).
 */
const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'diff');
const BASELINES = path.join(REPO, 'test', 'baselines');
const ACCEPT = process.env.KPISPEC_ACCEPT === '1';

/** Exit code expected per case: 1 for a breaking change or a side that does not parse. */
const EXIT: Record<string, number> = {
  rename: 0, affected: 1, 'target-step': 1, whitespace: 0, reorder: 0, formula: 1, unit: 1, direction: 1, 'removed-in-goal': 1, broken: 1,
};

function newest(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    n = Math.max(n, e.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return n;
}

describe('diff: baselines of `kpispec diff` on fixture pairs', () => {
  before(function () {
    this.timeout(120_000);
    if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= newest(path.join(REPO, 'server', 'src'))) return;
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node esbuild.mjs failed:\n${r.stderr}${r.stdout}`);
  });

  it('has a fixture pair for every case', () => {
    assert.deepEqual(fs.readdirSync(FIXTURES).sort(), Object.keys(EXIT).sort());
  });

  for (const name of Object.keys(EXIT).sort()) {
    it(`diff-${name}.md`, () => {
      const dir = path.relative(REPO, path.join(FIXTURES, name)).split(path.sep).join('/');
      const r = spawnSync(process.execPath, [CLI, 'diff', `${dir}/before`, `${dir}/after`, '--format', 'markdown', '--fail-on', 'breaking'], {
        cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
      });
      assert.equal(r.status, EXIT[name], `exit ${r.status}; stderr: ${r.stderr}`);
      const file = path.join(BASELINES, `diff-${name}.md`);
      if (ACCEPT) {
        fs.writeFileSync(file, r.stdout);
        return;
      }
      assert.ok(fs.existsSync(file), `test/baselines/diff-${name}.md is missing; run with KPISPEC_ACCEPT=1`);
      assert.equal(r.stdout, fs.readFileSync(file, 'utf8'));
    });
  }

  it('reports usage errors with exit 2', () => {
    const r = spawnSync(process.execPath, [CLI, 'diff', 'test/fixtures/diff/rename/before'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /diff takes two spec files or folders/);
    const f = spawnSync(process.execPath, [CLI, 'diff', 'a', 'b', '--format', 'html'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(f.status, 2);
  });

  it('compares two single files whatever their names, and prints json', () => {
    const r = spawnSync(process.execPath, [CLI, 'diff', 'test/fixtures/diff/formula/before/shop.kpi.yaml', 'test/fixtures/diff/formula/after/shop.kpi.yaml', '--format', 'json'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0);
    const json = JSON.parse(r.stdout);
    assert.equal(json.summary.changed, 1);
    assert.equal(json.entries[0].impact.after.status, 'missed');
  });
});
