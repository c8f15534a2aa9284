import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { SHOP } from './completionFixture';

const PROBE = path.join(__dirname, 'everyOffsetProbe.ts');

/** Runs the probe on the texts; a feature that never returns is killed after the limit. */
function probe(texts: string[]): { calls: number; error?: string } {
  const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', PROBE, JSON.stringify(texts)], { encoding: 'utf8', timeout: 30_000 });
  if (run.error || run.status !== 0) return { calls: 0, error: run.error ? `${run.error.message} (a feature did not return)` : run.stderr };
  return { calls: Number(run.stdout) };
}

describe('editor features on blank lines and line-ending edge cases', function () {
  this.timeout(60_000);

  it('answer at every offset of texts that start, end or consist of blank lines', () => {
    const texts = ['', '\n', '\n\n\n', '\nkpispec: 1\n\n', '\r\n\r\nkpispec: 1\r\n', '\r\rkpispec: 1', ' \n  \n', '\nkpis:\n  a: { formula: b }\n\n'];
    const r = probe(texts);
    assert.equal(r.error, undefined);
    assert.equal(r.calls, texts.reduce((n, t) => n + 8 * (t.length + 1), 0));
  });

  it('answer at every offset of a full spec with blank first lines, LF and CRLF', () => {
    const texts = ['\n' + SHOP, '\n\n' + SHOP.replace(/\n/g, '\r\n')];
    const r = probe(texts);
    assert.equal(r.error, undefined);
    assert.equal(r.calls, texts.reduce((n, t) => n + 8 * (t.length + 1), 0));
  });
});
