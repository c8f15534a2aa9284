import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, runCli, tempWorkspace, type CliResult } from '../helpers/runCli';

const MESSY = fs.readFileSync(path.join(REPO, 'test/fixtures/format/messy.yaml'), 'utf8');
const FORMATTED = fs.readFileSync(path.join(REPO, 'test/fixtures/format/messy.formatted.yaml'), 'utf8');
const CANONICAL = 'kpispec: 1\n\nkpis:\n  k: { formula: 1 }\n';
const BROKEN = 'kpispec: 1\nkpis:\n  k: { formula: x\n  j: { formula: y }\n';

/** A usage error: exit 2, nothing on standard output, one line on standard error. */
function assertUsage(r: CliResult, message: string): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `kpispec: ${message}\n`);
}

describe('kpispec fmt', function () {
  this.timeout(60_000);

  it('--check lists the files that are not formatted and exits 1, writing nothing; 0 when all are', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': CANONICAL, 'sub/messy.kpi.yaml': MESSY, 'b.kpi.yml': CANONICAL });
    const r = runCli(['fmt', '--check'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, 'sub/messy.kpi.yaml\n');
    assert.equal(r.stderr, '');
    assert.equal(fs.readFileSync(path.join(dir, 'sub/messy.kpi.yaml'), 'utf8'), MESSY, 'nothing written');
    const clean = runCli(['fmt', '--check', 'a.kpi.yaml', 'b.kpi.yml'], dir);
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal(clean.stdout, '');
  });

  it('rewrites the files that are not formatted, lists them, and a second run changes nothing', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': CANONICAL, 'sub/messy.kpi.yaml': MESSY, 'node_modules/x/skip.kpi.yaml': MESSY });
    const r = runCli(['fmt'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'sub/messy.kpi.yaml\n');
    assert.equal(fs.readFileSync(path.join(dir, 'sub/messy.kpi.yaml'), 'utf8'), FORMATTED);
    assert.equal(fs.readFileSync(path.join(dir, 'a.kpi.yaml'), 'utf8'), CANONICAL);
    assert.equal(fs.readFileSync(path.join(dir, 'node_modules/x/skip.kpi.yaml'), 'utf8'), MESSY, 'node_modules is skipped');
    const again = runCli(['fmt'], dir);
    assert.deepEqual([again.status, again.stdout, again.stderr], [0, '', '']);
    assert.equal(runCli(['fmt', '--check'], dir).status, 0);
  });

  it('takes files, folders and globs; keeps a byte order mark and CRLF line ends', () => {
    const dir = tempWorkspace({ 'x/one.kpi.yaml': MESSY, 'x/two.kpi.yaml': MESSY, 'y/bom.kpi.yaml': `\uFEFF${MESSY.replace(/\n/g, '\r\n')}`, 'z.kpi.yaml': MESSY });
    const r = runCli(['fmt', 'x', 'y/*.kpi.yaml'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'x/one.kpi.yaml\nx/two.kpi.yaml\ny/bom.kpi.yaml\n');
    assert.equal(fs.readFileSync(path.join(dir, 'y/bom.kpi.yaml'), 'utf8'), `\uFEFF${FORMATTED.replace(/\n/g, '\r\n')}`);
    assert.equal(fs.readFileSync(path.join(dir, 'z.kpi.yaml'), 'utf8'), MESSY, 'not named');
  });

  it('does not format a file with YAML syntax errors: file:line:col and exit 2; the other files are formatted', () => {
    const dir = tempWorkspace({ 'broken.kpi.yaml': BROKEN, 'messy.kpi.yaml': MESSY });
    const r = runCli(['fmt'], dir);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, 'messy.kpi.yaml\n');
    assert.match(r.stderr, /^broken\.kpi\.yaml:\d+:\d+: error: .+ \(yaml-syntax\); not formatted\n/);
    const [, line] = /^broken\.kpi\.yaml:(\d+):/.exec(r.stderr)!;
    assert.ok(Number(line) >= 3, `the error is located at the broken entry or after it (line ${line})`);
    assert.equal(fs.readFileSync(path.join(dir, 'broken.kpi.yaml'), 'utf8'), BROKEN, 'left as it is');
    assert.equal(fs.readFileSync(path.join(dir, 'messy.kpi.yaml'), 'utf8'), FORMATTED);
    const check = runCli(['fmt', '--check', 'broken.kpi.yaml'], dir);
    assert.equal(check.status, 2, 'syntax errors win over --check');
    assert.equal(check.stdout, '');
  });

  it('refuses a file that is not UTF-8 text, with exit 2', () => {
    const dir = tempWorkspace({ 'latin.kpi.yaml': Buffer.from('kpispec: 1\nname: caf\xe9\n', 'latin1') });
    const r = runCli(['fmt'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^latin\.kpi\.yaml:1:1: error: the file is not valid UTF-8 .*; not formatted\n$/);
  });

  it('usage: help, unknown options, paths that are not specs or match nothing (exit 2)', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': CANONICAL, 'data.csv': 'a\n1\n' });
    const help = runCli(['fmt', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: kpispec fmt \[options\] \[paths or globs\.\.\.\]/);
    assert.match(runCli(['--help']).stdout, /\n {2}fmt \[paths\.\.\.\] +rewrite specs in the canonical layout/);
    assertUsage(runCli(['fmt', '--chek'], dir), 'unknown option "--chek" (did you mean "--check"?); run "kpispec fmt --help"');
    assertUsage(runCli(['fmt', '--check=yes'], dir), '--check takes no value; run "kpispec fmt --help"');
    assertUsage(runCli(['fmt', 'data.csv'], dir), 'data.csv is not a spec file; fmt takes spec files (*.kpi.yaml or *.kpi.yml), folders or globs');
    assertUsage(runCli(['fmt', 'nope.kpi.yaml'], dir), 'no spec files match "nope.kpi.yaml"');
  });
});
