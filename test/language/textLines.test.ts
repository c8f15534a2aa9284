import * as assert from 'node:assert/strict';
import { lineEndAt, lineStartAt, nextLineStart, prevLineStart } from '../../server/src/language/textLines';

/** Line starts the slow, obvious way: 0 and after every "\n". */
function starts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') out.push(i + 1);
  return out;
}

function lineOf(text: string, offset: number): number {
  const s = starts(text);
  let line = 0;
  while (line + 1 < s.length && s[line + 1]! <= offset) line++;
  return line;
}

/** Every text of up to `max` characters from an alphabet that holds every kind of line break. */
function* texts(max: number): Generator<string> {
  const alphabet = ['a', ' ', '\n', '\r'];
  let layer = [''];
  yield '';
  for (let n = 1; n <= max; n++) {
    const next: string[] = [];
    for (const t of layer) for (const c of alphabet) next.push(t + c);
    yield* next;
    layer = next;
  }
}

describe('textLines: line arithmetic that always advances', () => {
  it('lineStartAt: the first line, the last line, an empty text, a text of only newlines', () => {
    assert.equal(lineStartAt('', 0), 0);
    assert.equal(lineStartAt('abc\ndef', 2), 0);
    assert.equal(lineStartAt('abc\ndef', 3), 0, 'the break belongs to its line');
    assert.equal(lineStartAt('abc\ndef', 7), 4);
    assert.equal(lineStartAt('\n\n\n', 0), 0, 'a text starting with a blank line');
    assert.equal(lineStartAt('\n\n\n', 1), 1);
    assert.equal(lineStartAt('\n\n\n', 3), 3);
    assert.equal(lineStartAt('\nkpispec: 1\n\n', 13), 13);
    assert.equal(lineStartAt('abc', -5), 0);
    assert.equal(lineStartAt('abc', 99), 0);
  });

  it('prevLineStart: -1 on the first line, the line above otherwise, also below a blank first line', () => {
    assert.equal(prevLineStart('', 0), -1);
    assert.equal(prevLineStart('abc\ndef', 0), -1);
    assert.equal(prevLineStart('abc\ndef', 4), 0);
    assert.equal(prevLineStart('\nkpispec: 1\n\n', 1), 0, 'line 2 of a text with a blank first line goes up to line 1');
    assert.equal(prevLineStart('\n\n\n', 3), 2);
    assert.equal(prevLineStart('\n\n\n', 1), 0);
    assert.equal(prevLineStart('\n\n\n', 0), -1);
  });

  it('nextLineStart: -1 on the last line, the line below otherwise', () => {
    assert.equal(nextLineStart('', 0), -1);
    assert.equal(nextLineStart('abc', 1), -1);
    assert.equal(nextLineStart('abc\ndef', 0), 4);
    assert.equal(nextLineStart('abc\ndef', 3), 4);
    assert.equal(nextLineStart('\n\n\n', 0), 1);
    assert.equal(nextLineStart('\n\n\n', 2), 3);
    assert.equal(nextLineStart('\n\n\n', 3), -1);
  });

  it('lineEndAt: before "\\n" or "\\r\\n", or at the end of the text', () => {
    assert.equal(lineEndAt('', 0), 0);
    assert.equal(lineEndAt('abc\r\ndef', 1), 3);
    assert.equal(lineEndAt('abc\r\ndef', 6), 8);
    assert.equal(lineEndAt('\n\n\n', 0), 0);
    assert.equal(lineEndAt('\n\n\n', 3), 3);
    assert.equal(lineEndAt('\r\n\r\n', 2), 2);
  });

  it('agrees with a slow reference on every text of up to 7 characters, and every walk ends', () => {
    let cases = 0;
    for (const text of texts(7)) {
      const s = starts(text);
      for (let offset = 0; offset <= text.length; offset++) {
        const line = lineOf(text, offset);
        const start = lineStartAt(text, offset);
        assert.equal(start, s[line], `lineStartAt(${JSON.stringify(text)}, ${offset})`);
        assert.equal(nextLineStart(text, offset), s[line + 1] ?? -1, `nextLineStart(${JSON.stringify(text)}, ${offset})`);
        const end = lineEndAt(text, offset);
        assert.ok(end >= start && end <= (s[line + 1] ?? text.length + 1), `lineEndAt(${JSON.stringify(text)}, ${offset})`);
        cases++;
      }
      // Walking up from the last line visits every line once and stops; so does walking down.
      const up: number[] = [];
      for (let at = s[s.length - 1]!; at >= 0; at = prevLineStart(text, at)) {
        up.push(at);
        assert.ok(up.length <= s.length, `prevLineStart does not advance on ${JSON.stringify(text)}`);
      }
      assert.deepEqual(up.reverse(), s);
      const down: number[] = [];
      for (let at = 0; at >= 0; at = nextLineStart(text, at)) {
        down.push(at);
        assert.ok(down.length <= s.length, `nextLineStart does not advance on ${JSON.stringify(text)}`);
      }
      assert.deepEqual(down, s);
    }
    assert.ok(cases > 20_000, `${cases} cases`);
  });
});
