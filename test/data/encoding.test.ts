import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTableFile, type ReadOptions } from '../../server/src/data/readTable';
import { readDataShape } from '../../server/src/data/shape';
import { NodeHost } from '../../server/src/data/nodeHost';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { codeActions } from '../../server/src/services/codeActions';
import { snapshotOf } from '../../server/src/services/snapshot';

const CHINESE = '日期,渠道,订单数,金额\n2026-01-01,微信,3,120.5\n2026-01-02,抖音,5,99\n';

describe('data: text encodings', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-enc-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Buffer) => { const p = path.join(dir, name); fs.writeFileSync(p, bytes); return p; };
  const options = (extra: Partial<ReadOptions> = {}): ReadOptions => ({ format: 'csv', timezone: 'UTC', timeColumn: '日期', ...extra });
  const gb18030 = (text: string) => Buffer.from(new Uint8Array([...text].flatMap((ch) => [...gbBytes(ch)])));

  it('refuses a GBK export without `encoding`, naming the line and the option; reads it with the option', () => {
    const file = write('gbk.csv', gb18030(CHINESE));
    const refused = readTableFile(file, options());
    assert.equal(refused.table, undefined);
    assert.match(refused.problems[0]!.message, /^it is not UTF-8 text \(first bad byte on line 1\); it reads as Chinese text in GB18030 \(GBK\).*set `encoding: gb18030`/);
    const shape = readDataShape(file, { format: 'csv' });
    assert.ok(!shape.ok && shape.encoding === 'gb18030');
    for (const encoding of ['gb18030', 'gbk'] as const) {
      const { table, problems } = readTableFile(file, options({ encoding }));
      assert.deepEqual(problems, []);
      assert.deepEqual(table!.header, ['日期', '渠道', '订单数', '金额']);
      const amount = table!.columns.get('金额')!;
      assert.ok(amount.type === 'number');
      assert.deepEqual([...amount.values], [120.5, 99]);
      const channel = table!.columns.get('渠道')!;
      assert.ok(channel.type === 'string');
      assert.deepEqual(channel.dict, ['微信', '抖音']);
    }
    const good = readDataShape(file, { format: 'csv', encoding: 'gb18030' });
    assert.ok(good.ok && good.shape.columns.includes('订单数'));
  });

  it('reads UTF-16 with a byte-order mark without an option, and names UTF-16 without one', () => {
    const le = write('le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CHINESE, 'utf16le')]));
    const be = write('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CHINESE, 'utf16le').swap16()]));
    for (const file of [le, be]) {
      const { table, problems } = readTableFile(file, options());
      assert.deepEqual(problems, [], file);
      assert.deepEqual(table!.header, ['日期', '渠道', '订单数', '金额']);
      const shape = readDataShape(file, { format: 'csv' });
      assert.ok(shape.ok && shape.shape.columns[0] === '日期', file);
    }
    const bare = write('bare.csv', Buffer.from('date,orders\n2026-01-01,3\n', 'utf16le'));
    assert.match(readTableFile(bare, options({ timeColumn: 'date' })).problems[0]!.message, /UTF-16 text without a byte-order mark: set `encoding: utf-16le`/);
    const { table } = readTableFile(bare, options({ timeColumn: 'date', encoding: 'utf-16le' }));
    assert.deepEqual(table!.header, ['date', 'orders']);
  });

  it('names the line of the first invalid UTF-8 byte, far into the file, and suggests Windows-1252 for Latin text', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `2026-01-01,email,${i}`);
    rows.push('2026-01-02,caf\xe9,1');
    const file = write('late.csv', Buffer.concat([Buffer.from(`date,channel,orders\n${rows.slice(0, -1).join('\n')}\n`), Buffer.from(`${rows.at(-1)}\n`, 'latin1')]));
    const { problems } = readTableFile(file, options({ timeColumn: 'date' }));
    assert.match(problems[0]!.message, /^it is not UTF-8 text \(first bad byte on line 5002\); it may be Windows-1252 .*set `encoding: windows-1252`/);
    const { table } = readTableFile(file, options({ timeColumn: 'date', encoding: 'windows-1252' }));
    const channel = table!.columns.get('channel')!;
    assert.ok(channel.type === 'string' && channel.dict.includes('café'));
  });

  it('makes the checker name the encoding, with a quick fix that sets it, after which the spec is clean', () => {
    write('orders.csv', gb18030(CHINESE));
    const specFile = path.join(dir, 'shop.kpi.yaml');
    const spec = 'kpispec: 1\nsources:\n  shop: { file: orders.csv, time: 日期, dimensions: [渠道] }\nmetrics:\n  orders: { source: shop, agg: sum, column: 订单数 }\nkpis:\n  order_count: { formula: orders, by: [渠道] }\n';
    fs.writeFileSync(specFile, spec);
    const ws = new Workspace(new NodeHost(), dir);
    const [checked] = checkFiles(ws, [specFile]);
    assert.deepEqual(checked!.problems.map((p) => p.rule), ['data-file-unreadable']);
    const problem = checked!.problems[0]!;
    assert.match(problem.message, /set `encoding: gb18030` on the source/);
    const snap = snapshotOf(ws, specFile)!;
    const fix = codeActions(snap, checked!.problems, problem.span).find((a) => a.title === 'Set `encoding: gb18030`');
    assert.ok(fix, 'a quick fix');
    const fixed = spec.slice(0, fix.edits[0]!.span.offset) + fix.edits[0]!.newText + spec.slice(fix.edits[0]!.span.offset);
    assert.match(fixed, /shop: \{ file: orders\.csv, encoding: gb18030, time: 日期/);
    fs.writeFileSync(specFile, fixed);
    const again = new Workspace(new NodeHost(), dir);
    assert.deepEqual(checkFiles(again, [specFile])[0]!.problems, []);
  });

  it('does not take a character cut at the end of the checker\'s 64 KB sample for bad UTF-8', () => {
    const row = '2026-01-01,微信渠道,1\n';
    const file = write('long.csv', Buffer.from(`date,channel,orders\n${row.repeat(5000)}`));
    assert.ok(fs.statSync(file).size > 64 * 1024);
    const shape = readDataShape(file, { format: 'csv' });
    assert.ok(shape.ok, JSON.stringify(shape));
  });
});

/** GB18030 bytes of one character (ASCII as is), from the platform's decoder run backwards over the two-byte range. */
function gbBytes(ch: string): Uint8Array {
  if (ch.charCodeAt(0) < 0x80) return Buffer.from(ch);
  const known = GB.get(ch);
  if (!known) throw new Error(`no GB18030 bytes for ${ch}`);
  return known;
}

const GB = (() => {
  const map = new Map<string, Uint8Array>();
  const decoder = new TextDecoder('gb18030');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const bytes = new Uint8Array([hi, lo]);
      const text = decoder.decode(bytes);
      if (text.length === 1 && !map.has(text)) map.set(text, bytes);
    }
  }
  return map;
})();
