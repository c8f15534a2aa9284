import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGroupedCsv } from '../../server/src/data/groupedCsv';
import { findColumn, tableFromText, type ReadOptions, type Table, type TableResult } from '../../server/src/data/readTable';
import type { GroupPlan } from '../../server/src/data/table';
import { cells } from './cells';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-grouped-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The file read in groups, through windows of `window` bytes. */
function grouped(text: string | Buffer, options: ReadOptions, plan: GroupPlan, window: number): TableResult | undefined {
  const file = path.join(dir, 'data.csv');
  fs.writeFileSync(file, text);
  const fd = fs.openSync(file, 'r');
  try {
    return readGroupedCsv(fd, fs.fstatSync(fd).size, options, plan, window);
  } finally {
    fs.closeSync(fd);
  }
}

interface Stats { rows: number; measures: { sum: number; count: number; min: number; max: number }[] }

/** Per key tuple (the key columns' values, time included), the rows and each measure's figures. */
function summary(table: Table, plan: GroupPlan): Map<string, Stats> {
  const keyCells = plan.keys.map((k) => (findColumn(table, k) ? cells(table, k) : undefined));
  const out = new Map<string, Stats>();
  for (let r = 0; r < table.rowCount; r++) {
    const key = JSON.stringify([keyCells.map((c) => c?.[r]), table.time ? table.time[r] : null]);
    const s = out.get(key) ?? { rows: 0, measures: plan.measures.map(() => ({ sum: 0, count: 0, min: Infinity, max: -Infinity })) };
    out.set(key, s);
    if (table.grouped) {
      s.rows += table.grouped.weights[r]!;
      plan.measures.forEach((m, j) => {
        const g = table.grouped!.measures.get(m);
        if (!g) return;
        const t = s.measures[j]!;
        t.sum += g.sum[r]!;
        t.count += g.count[r]!;
        t.min = Math.min(t.min, g.min[r]!);
        t.max = Math.max(t.max, g.max[r]!);
      });
      continue;
    }
    s.rows++;
    plan.measures.forEach((m, j) => {
      const col = findColumn(table, m);
      const v = col?.type === 'number' ? col.values[r]! : NaN;
      if (Number.isNaN(v)) return;
      const t = s.measures[j]!;
      t.sum += v;
      t.count++;
      t.min = Math.min(t.min, v);
      t.max = Math.max(t.max, v);
    });
  }
  return out;
}

/** Read in groups through windows of several sizes, the file says what it says row by row. */
function assertSameAsRows(text: string, plan: GroupPlan, extra: Partial<ReadOptions> = {}): TableResult {
  const options: ReadOptions = { format: 'csv', timezone: 'UTC', timeColumn: 'date', stringColumns: ['channel'], wanted: [...plan.keys, ...plan.measures], ...extra };
  const rows = tableFromText(text, 'data.csv', options);
  let last: TableResult | undefined;
  for (const window of [16, 37, 101, 4096]) {
    const g = grouped(text, options, plan, window);
    assert.ok(g, `window ${window}: read in groups`);
    assert.deepEqual(g.problems, rows.problems, `window ${window}: problems`);
    assert.deepEqual(g.table!.header, rows.table!.header);
    assert.equal(g.table!.grouped!.rows, rows.table!.rowCount, `window ${window}: rows`);
    const want = summary(rows.table!, plan);
    const got = summary(g.table!, plan);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `window ${window}: groups`);
    for (const [key, w] of want) {
      const s = got.get(key)!;
      assert.equal(s.rows, w.rows, `window ${window} ${key}: rows`);
      s.measures.forEach((m, j) => {
        const e = w.measures[j]!;
        assert.equal(m.count, e.count, `${key} ${plan.measures[j]}: count`);
        if (plan.extremes.includes(plan.measures[j]!)) {
          assert.equal(m.min, e.min);
          assert.equal(m.max, e.max);
        }
        assert.ok(Math.abs(m.sum - e.sum) <= 1e-9 * Math.max(1, Math.abs(e.sum)), `${key} ${plan.measures[j]}: sum ${m.sum} instead of ${e.sum}`);
      });
    }
    last = g;
  }
  return last!;
}

/** A seeded generator (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAN: GroupPlan = { keys: ['date', 'channel'], measures: ['visits', 'revenue'], extremes: ['visits', 'revenue'] };

describe('data: rows merged into groups as they are read', () => {
  it('gives the groups, sums, counts, extremes and problems of the rows, whatever the window size', () => {
    const text = [
      'date,channel,visits,revenue',
      '2026-01-01,email,10,1.5',
      '2026-01-01,email,5,2.25',
      '2026-01-01,"social",7,',
      '2026-01-02,email,,3',
      '',
      '2026-01-02, email ,1,4',
      '2026-01-02,"  ",2,5',
      '2026-01-03,,3,6',
      '',
    ].join('\n');
    const g = assertSameAsRows(text, PLAN);
    assert.ok(g.table!.rowCount < g.table!.grouped!.rows, 'rows merged');
  });

  it('reads quoted line breaks, doubled quotes, CRLF and blank lines across window edges', () => {
    const rand = rng(7);
    const channels = ['email', 'social', 'a "quoted" one', 'multi\nline', 'comma, inside', ' padded '];
    const lines = ['\uFEFFdate,channel,visits,revenue,note'];
    for (let i = 0; i < 400; i++) {
      const ch = channels[Math.floor(rand() * channels.length)]!;
      const cell = /[",\n]/.test(ch) || rand() < 0.3 ? `"${ch.replace(/"/g, '""')}"` : ch;
      const day = `2026-0${1 + Math.floor(rand() * 3)}-1${Math.floor(rand() * 10)}`;
      const visits = rand() < 0.05 ? 'n/a' : rand() < 0.05 ? '' : String(Math.floor(rand() * 100));
      const revenue = rand() < 0.1 ? `"${(rand() * 1000).toFixed(2)}"` : (rand() * 1000).toFixed(2);
      const note = rand() < 0.2 ? '"line one\r\nline two"' : 'x';
      lines.push(`${rand() < 0.05 ? ' ' : ''}${day},${cell},${visits},${revenue}${rand() < 0.03 ? '' : `,${note}`}`);
      if (rand() < 0.05) lines.push(rand() < 0.5 ? '' : '   ');
    }
    for (const eol of ['\n', '\r\n']) assertSameAsRows(lines.join(eol) + eol, PLAN);
  });

  it('counts unreadable values and dates by row, with the first lines that hold them', () => {
    const lines = ['date,channel,visits,revenue,status'];
    for (let i = 0; i < 60; i++) lines.push(`2026-01-${String(1 + (i % 28)).padStart(2, '0')},${i % 3 ? 'email' : 'social'},${i % 20 === 7 ? 'n/a' : i},${i % 25 === 3 ? '#N/A' : i * 1.25},${i % 2 ? 'won' : 'lost'}`);
    lines.splice(5, 0, '05/01/2026,email,1,1,won', 'Total,,999,999,');
    lines.splice(40, 0, '05/01/2026,social,2,2,lost');
    const plan = { keys: ['date', 'channel', 'status'], measures: ['visits', 'revenue'], extremes: ['revenue'] };
    const g = assertSameAsRows(lines.join('\n'), plan);
    const kinds = g.problems.map((p) => `${p.kind} ${p.count} ${p.examples.map((e) => e.line).join(',')}`);
    assert.deepEqual(kinds, ['unreadable-values 3 11,31,52', 'unreadable-values 3 5,32,58', 'bad-time 3 6,7,41']);
  });

  it('reads a filter column by the 90% rule weighted by rows, and ragged rows and an unclosed quote as rows do', () => {
    const lines = ['date,channel,visits,revenue,qty'];
    for (let i = 0; i < 50; i++) lines.push(`2026-02-0${1 + (i % 9)},email,${i},${i},${i % 4}`);
    lines.push('2026-02-01,email,1,1,lots', '2026-02-01,email,1', '2026-02-02,email,1,1,2,extra', '2026-02-03,"open,1,1,1', '2026-02-03,email,1,1,1');
    const g = assertSameAsRows(lines.join('\n'), { keys: ['date', 'channel', 'qty'], measures: ['visits', 'revenue'], extremes: [] });
    assert.equal(findColumn(g.table!, 'qty')!.type, 'number');
    assert.deepEqual(g.problems.map((p) => p.kind), ['ragged-row', 'unclosed-quote', 'unreadable-values']);
  });

  it('reads day-first dates and thousands separators as the source says', () => {
    const lines = ['date;channel;visits;revenue'];
    for (let i = 0; i < 40; i++) lines.push(`${String(1 + (i % 28)).padStart(2, '0')}/03/2026;email;${i};"1,${String(100 + i).padStart(3, '0')}.5"`);
    assertSameAsRows(lines.join('\n'), PLAN, { delimiter: ';', thousands: ',', timeFormat: 'DD/MM/YYYY' });
  });

  it('leaves to the row-by-row reader what grouping cannot give the same', () => {
    const options: ReadOptions = { format: 'csv', timezone: 'UTC', timeColumn: 'date', stringColumns: ['channel'], wanted: ['date', 'channel', 'visits', 'revenue'] };
    const body = (f: (i: number) => string) => ['date,channel,visits,revenue', ...Array.from({ length: 300 }, (_, i) => f(i))].join('\n');
    const ok = body((i) => `2026-01-0${1 + (i % 9)},email,${i},${i}`);
    assert.ok(grouped(ok, options, PLAN, 64), 'the plain file is read in groups');
    // Timestamps: a group per row.
    const stamps = ['date,channel,visits,revenue', ...Array.from({ length: 70_000 }, (_, i) => `${new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()},email,${i},${i}`)].join('\n');
    assert.equal(grouped(stamps, options, PLAN, 1 << 16), undefined);
    // A measure column of text.
    assert.equal(grouped(body((i) => `2026-01-01,email,${i},item ${i}`), options, PLAN, 64), undefined);
    // Bytes that are not UTF-8, or a NUL, past the first window.
    const bad = Buffer.from(ok + '\n2026-01-01,email,1,1\n');
    bad[bad.length - 9] = 0xff;
    assert.equal(grouped(bad, options, PLAN, 64), undefined);
    bad[bad.length - 9] = 0;
    assert.equal(grouped(bad, options, PLAN, 64), undefined);
    // A declared encoding other than UTF-8, and a key that is also summed.
    assert.equal(grouped(ok, { ...options, encoding: 'gb18030' }, PLAN, 64), undefined);
    assert.equal(grouped(ok, options, { keys: ['date', 'channel', 'visits'], measures: ['visits', 'revenue'], extremes: [] }, 64), undefined);
  });
});
