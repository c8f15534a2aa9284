import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasDigitSeparator } from '../../server/src/sql/engines/digitSeparators';

/** The byte scan that keeps files with `1_000` away from DuckDB's typed CSV reading. */
describe('SQL engines: finding digit separators in a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpispec-sep-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const CHUNK = 4 * 1024 * 1024;

  it('finds a digit, `_` and a digit, and nothing else', () => {
    assert.equal(hasDigitSeparator(file('yes.csv', 'date,n\n2026-01-01,1_000\n')), true);
    assert.equal(hasDigitSeparator(file('exp.csv', 'n\n1e1_0\n')), true);
    for (const [name, text] of [['names.csv', 'ch,n\npaid_search,1\n_1,2\n1_,3\n'], ['empty.csv', ''], ['one.csv', '_'], ['edge.csv', '1_']]) {
      assert.equal(hasDigitSeparator(file(name!, text!)), false, name);
    }
  });

  it('answers yes for a file it cannot read, so that the text reading reports it', () => {
    assert.equal(hasDigitSeparator(join(dir, 'missing.csv')), true);
    assert.equal(hasDigitSeparator(dir), true, 'a folder');
  });

  it('finds one that straddles the edge between two chunks read', () => {
    for (const at of [CHUNK - 2, CHUNK - 1, CHUNK, CHUNK + 1]) {
      const bytes = Buffer.alloc(CHUNK + 16, 'a');
      bytes.write('1_2', at - 1, 'latin1');
      assert.equal(hasDigitSeparator(file(`edge-${at}.csv`, bytes)), true, `\`_\` at byte ${at}`);
      bytes.write('a_a', at - 1, 'latin1');
      assert.equal(hasDigitSeparator(file(`none-${at}.csv`, bytes)), false, `no separator, \`_\` at byte ${at}`);
    }
  });
});
