import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex } from '../../server/src/language/lineIndex';
import { changedRange } from '../../server/src/language/reparse';

describe('LineIndex', () => {
  it('maps offsets on LF text', () => {
    const idx = new LineIndex('ab\ncd\n');
    assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(idx.positionAt(4), { line: 1, character: 1 });
    assert.deepEqual(idx.positionAt(6), { line: 2, character: 0 });
    assert.equal(idx.lineCount, 3);
  });

  it('treats CRLF as one line break and keeps \\r out of line text', () => {
    const text = 'kpispec: 1\r\nname: x\r\n';
    const idx = new LineIndex(text);
    assert.deepEqual(idx.positionAt(text.indexOf('name')), { line: 1, character: 0 });
    assert.deepEqual(idx.positionAt(text.indexOf('x')), { line: 1, character: 6 });
    assert.equal(idx.lineText(0), 'kpispec: 1');
    assert.equal(idx.lineEnd(0), 10);
  });

  it('treats a lone CR as a line break', () => {
    const idx = new LineIndex('a\rb');
    assert.deepEqual(idx.positionAt(2), { line: 1, character: 0 });
  });

  it('counts CJK characters as one UTF-16 unit each', () => {
    const text = 'title: 跳出率 x';
    const idx = new LineIndex(text);
    assert.deepEqual(idx.positionAt(text.indexOf('x')), { line: 0, character: 11 });
  });

  it('counts an emoji (astral, a surrogate pair) as two UTF-16 units', () => {
    const text = 'a: 🚀 b\nc';
    const idx = new LineIndex(text);
    assert.deepEqual(idx.positionAt(text.indexOf('b')), { line: 0, character: 6 });
    assert.deepEqual(idx.positionAt(text.indexOf('c')), { line: 1, character: 0 });
  });

  it('round-trips positions and clamps out-of-range input', () => {
    const text = '跳出率\r\n🚀x\ny';
    const idx = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) {
      if (text[o - 1] === '\r' && text[o] === '\n') continue; // inside a CRLF pair
      assert.equal(idx.offsetAt(idx.positionAt(o)), o, `offset ${o}`);
    }
    assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(idx.positionAt(999), idx.positionAt(text.length));
    assert.equal(idx.offsetAt({ line: 99, character: 0 }), text.length);
    assert.equal(idx.offsetAt({ line: 0, character: 99 }), 3);
  });
});

describe('LineIndex after an edit', () => {
  const starts = (idx: LineIndex) => Array.from({ length: idx.lineCount }, (_, i) => idx.lineStart(i));

  it('equals the index of the new text, whatever the line breaks around the change', () => {
    const piece = fc.constantFrom('a', 'b', '\n', '\r', '\r\n', ' ', 'é', '\n\n', '\r\r');
    const text = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), text, (old, a, b, insert) => {
        const at = a % (old.length + 1);
        const end = Math.min(old.length, at + (b % 4));
        const next = old.slice(0, at) + insert + old.slice(end);
        const { at: from, oldEnd, newEnd } = changedRange(old, next);
        const want = starts(new LineIndex(next));
        assert.deepEqual(starts(new LineIndex(old).edited(next, from, oldEnd, newEnd)), want, JSON.stringify({ old, next }));
        // Any stretch that holds the change will do, not only the smallest.
        assert.deepEqual(starts(new LineIndex(old).edited(next, at, end, at + insert.length)), want, JSON.stringify({ old, next, at }));
      }),
      { seed: 20261122, numRuns: 3000 },
    );
  });
});
