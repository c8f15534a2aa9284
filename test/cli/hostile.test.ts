import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempWorkspace } from '../helpers/runCli';

/** Hostile input: each must end with problems or a clear message, exit 1 or 2, no crash, no hang. */
function expectHandled(files: Record<string, string | Uint8Array>, pattern: RegExp, args: string[] = []) {
  const dir = tempWorkspace(files);
  const r = runCli(['check', ...args], dir, 30_000);
  assert.ok(r.status === 1 || r.status === 2, `exit ${r.status}: ${r.stderr}`);
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at |internal error|RangeError|TypeError/, 'no stack trace, no internal error');
  assert.match(r.stdout + r.stderr, pattern);
  return r;
}

describe('hostile input', () => {
  it('an empty file', () => expectHandled({ 'a.kpi.yaml': '' }, /empty; a spec starts with `kpispec: 1`\s+unsupported-version/));

  it('a binary file', () => expectHandled({ 'a.kpi.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff]) }, /binary file, not a YAML spec\s+invalid-encoding/));

  it('invalid UTF-8', () => expectHandled({ 'a.kpi.yaml': Buffer.concat([Buffer.from('kpispec: 1\nname: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]) }, /not valid UTF-8 \(first bad byte at offset 17\); save it as UTF-8\s+invalid-encoding/));

  it('a 20 MB file, over the size limit', () => {
    const big = 'kpispec: 1\n' + '# padding padding padding padding padding padding padding padding\n'.repeat(320_000);
    expectHandled({ 'a.kpi.yaml': big }, /over the 10\.0 MB limit.*\s+file-too-large/);
  });

  it('10,000-deep nesting', () => expectHandled({ 'a.kpi.yaml': 'kpispec: 1\nx: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n' }, /nesting deeper than 100 levels/));

  it('an alias bomb', () => {
    const lines = ['kpispec: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 15; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const r = expectHandled({ 'a.kpi.yaml': lines.join('\n') + '\n' }, /alias bomb/);
    assert.ok(r.ms < 20_000);
  });

  it('a formula of 100,000 characters', () => {
    const formula = Array.from({ length: 20_000 }, (_, i) => `m${i % 10}`).join(' + ');
    expectHandled({ 'a.kpi.yaml': `kpispec: 1\nkpis:\n  x: { formula: ${formula.slice(0, 100_000)} }\n` }, /formula-too-complex/);
    expectHandled({ 'a.kpi.yaml': `kpispec: 1\nkpis:\n  x:\n    formula: "${'('.repeat(100_000)}"\n` }, /formula-too-complex/);
  });

  it('a spec that imports itself', () => expectHandled({ 'a.kpi.yaml': 'kpispec: 1\nimports: [a.kpi.yaml]\n' }, /import cycle: a\.kpi\.yaml → a\.kpi\.yaml/));

  it('a data file that is a folder, or binary', () => {
    const spec = 'kpispec: 1\nsources:\n  a: { file: d.csv }\n  b: { file: bin.csv }\nmetrics:\n  n: { source: a, agg: count }\n  m: { source: b, agg: count }\nkpis:\n  k: { formula: n + m }\n';
    expectHandled({ 'a.kpi.yaml': spec, 'd.csv/x': 'x', 'bin.csv': Buffer.from([1, 2, 0, 3]) }, /it is a folder[\s\S]*binary file/);
  });

  it('a data file or a spec that is a named pipe, refused at once instead of waiting for a writer', () => {
    const spec = 'kpispec: 1\nsources:\n  a: { file: pipe.csv }\nmetrics:\n  n: { source: a, agg: count }\nkpis:\n  k: { formula: n }\n';
    const dir = tempWorkspace({ 'a.kpi.yaml': spec });
    execFileSync('mkfifo', [path.join(dir, 'pipe.csv'), path.join(dir, 'pipe.kpi.yaml')]);
    const pipe = /cannot read data file `pipe\.csv`: it is a named pipe \(FIFO\), not a regular file/;
    const check = runCli(['check', 'a.kpi.yaml'], dir, 30_000);
    assert.equal(check.status, 1, check.stderr);
    assert.match(check.stdout, pipe);
    const evaluated = runCli(['eval', 'a.kpi.yaml'], dir, 30_000);
    assert.equal(evaluated.status, 1, evaluated.stderr);
    assert.equal(evaluated.stdout.match(/named pipe/g)?.length, 1, `reported once:\n${evaluated.stdout}`);
    const spec2 = runCli(['check', 'pipe.kpi.yaml'], dir, 30_000);
    assert.equal(spec2.status, 1, spec2.stderr);
    assert.match(spec2.stdout, /it is a named pipe \(FIFO\), not a regular file/);
    for (const r of [check, evaluated, spec2]) assert.ok(r.ms < 10_000, `answered in ${r.ms} ms`);
  });

  it('a 2 GB data file (sparse), refused by its size or its first bytes without being read whole', () => {
    const spec = 'kpispec: 1\nsources:\n  a: { file: big.csv, time: date }\nmetrics:\n  n: { source: a, agg: count }\nkpis:\n  k: { formula: n }\n';
    const dir = tempWorkspace({ 'a.kpi.yaml': spec });
    const big = path.join(dir, 'big.csv');
    fs.writeFileSync(big, 'date,n\n2026-01-01,1\n');
    fs.truncateSync(big, 2 ** 31 + 1024); // no disk space used: the rest reads as zero bytes
    const check = runCli(['check', 'a.kpi.yaml'], dir, 30_000);
    assert.equal(check.status, 1, check.stderr);
    assert.match(check.stdout, /cannot read data file `big\.csv`: it looks like a binary file/);
    const evaluated = runCli(['eval', 'a.kpi.yaml'], dir, 30_000);
    assert.equal(evaluated.status, 1, evaluated.stderr);
    assert.match(evaluated.stdout, /big\.csv/);
    for (const r of [check, evaluated]) assert.ok(r.ms < 10_000, `answered in ${r.ms} ms`);
  });

  it('a data path that leaves the workspace', () => {
    expectHandled({ 'a.kpi.yaml': 'kpispec: 1\nsources:\n  a: { file: ../../../../etc/passwd.csv }\n' }, /outside the workspace/);
  });
});
