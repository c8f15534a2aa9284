/**
 * The edits that turn a text into its formatted form, as small as a line diff makes them: an
 * editor applies them without moving the cursor off the text it was on. Lines changed one for
 * one become one edit each, trimmed to the characters that differ (re-indenting a line inserts
 * or deletes spaces at its start).
 */
import type { Span } from '../span';

/** Replace `span` of the old text by `newText`. */
export interface TextEdit {
  span: Span;
  newText: string;
}

/** Past this many differing lines, the changed stretch becomes one edit (the diff is quadratic in it). */
const MAX_DIFFERENCES = 1000;

export function textEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  const starts = [0];
  for (const line of a) starts.push(starts[starts.length - 1]! + line.length);
  const edits: TextEdit[] = [];
  for (const [a0, a1, b0, b1] of diffLines(a, b)) {
    if (a1 - a0 === b1 - b0) {
      for (let i = 0; i < a1 - a0; i++) pushTrimmed(edits, starts[a0 + i]!, a[a0 + i]!, b[b0 + i]!);
    } else pushTrimmed(edits, starts[a0]!, a.slice(a0, a1).join(''), b.slice(b0, b1).join(''));
  }
  return edits;
}

/** Applies edits (in order, not overlapping) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.span.offset) + e.newText;
    at = e.span.offset + e.span.length;
  }
  return out + text.slice(at);
}

/** Lines with their line breaks. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** An edit replacing `old` (at `offset`) by `neu`, without the characters both begin and end with. */
function pushTrimmed(edits: TextEdit[], offset: number, old: string, neu: string): void {
  if (old === neu) return;
  let pre = 0;
  const max = Math.min(old.length, neu.length);
  while (pre < max && old.charCodeAt(pre) === neu.charCodeAt(pre)) pre++;
  // Not inside a surrogate pair.
  if (pre > 0 && isHighSurrogate(old.charCodeAt(pre - 1))) pre--;
  let suf = 0;
  while (suf < max - pre && old.charCodeAt(old.length - 1 - suf) === neu.charCodeAt(neu.length - 1 - suf)) suf++;
  if (suf > 0 && isLowSurrogate(old.charCodeAt(old.length - suf))) suf--;
  edits.push({ span: { offset: offset + pre, length: old.length - pre - suf }, newText: neu.slice(pre, neu.length - suf) });
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The stretches where two lists of lines differ, as [aStart, aEnd, bStart, bEnd): Myers'
 * diff (O((N+M)·D)), or one stretch past MAX_DIFFERENCES.
 */
export function diffLines(a: readonly string[], b: readonly string[]): [number, number, number, number][] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n === 0 && m === 0) return [];
  const whole: [number, number, number, number][] = [[pre, pre + n, pre, pre + m]];
  if (n === 0 || m === 0) return whole;
  const A = (i: number) => a[pre + i];
  const B = (i: number) => b[pre + i];

  const limit = Math.min(n + m, MAX_DIFFERENCES);
  const o = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  // trace[d]: v before step d, for k in [-d, d].
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    trace.push(v.slice(o - d - 1, o + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[o + k - 1]! < v[o + k + 1]!) ? v[o + k + 1]! : v[o + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A(x) === B(y)) {
        x++;
        y++;
      }
      v[o + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return whole;

  // Walk back from the end, collecting the runs of equal lines.
  const equal: [number, number, number][] = []; // [aStart, bStart, length], from the end
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const snap = trace[d]!;
    const at = (k: number) => snap[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    // The snake after the step from prevK.
    const startX = prevK === k + 1 ? prevX : prevX + 1;
    const run = x - startX;
    if (run > 0) equal.push([startX, startX - k, run]);
    x = prevX;
    y = prevY;
  }
  if (x > 0) equal.push([0, 0, x]);
  equal.reverse();

  const hunks: [number, number, number, number][] = [];
  let ax = 0;
  let by = 0;
  for (const [as, bs, len] of [...equal, [n, m, 0] as [number, number, number]]) {
    if (as > ax || bs > by) hunks.push([pre + ax, pre + as, pre + by, pre + bs]);
    ax = as + len;
    by = bs + len;
  }
  return hunks;
}
