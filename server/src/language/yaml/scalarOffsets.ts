import type { Span } from '../span';

/**
 * Maps an index in a scalar's value to an offset in the document. Plain scalars map one to
 * one; quoted and block scalars differ from their source by quotes, escapes and indentation,
 * so their characters are aligned greedily with the source text (exact for everything but
 * escape sequences, which map to their last character).
 */
export function scalarOffsets(docText: string, span: Span, value: string): (index: number) => number {
  return offsetMap(docText, span, value).at;
}

/**
 * Maps spans of a scalar's value into the document. Where characters map one to one (plain
 * scalars, quotes, escapes) a span ends where its next character starts; where they were
 * aligned greedily (folded lines) it ends just past its last character, so a name at the end
 * of a folded line does not reach into the next line.
 */
export function scalarSpans(docText: string, span: Span, value: string): (s: Span) => Span {
  const { at, exact } = offsetMap(docText, span, value);
  // A broken scalar (an unclosed quote) has characters the source lacks: keep spans inside it.
  const last = Math.min(span.offset + span.length, docText.length);
  return (s) => {
    const start = Math.min(at(s.offset), last);
    if (s.length <= 0) return { offset: start, length: 0 };
    const end = Math.min(exact ? at(s.offset + s.length) : at(s.offset + s.length - 1) + 1, last);
    return { offset: start, length: Math.max(0, end - start) };
  };
}

function offsetMap(docText: string, span: Span, value: string): { at: (index: number) => number; exact: boolean } {
  const source = docText.slice(span.offset, span.offset + span.length);
  if (source === value) return { at: (i) => span.offset + i, exact: true };
  const inner = source.slice(1, -1);
  if (inner === value) return { at: (i) => span.offset + 1 + i, exact: true };
  const map = source[0] === '"' ? doubleQuoted(source, value.length) : source[0] === "'" ? singleQuoted(source, value.length) : undefined;
  if (map) return { at: (i) => span.offset + map[Math.max(0, Math.min(i, value.length))]!, exact: true };
  return { at: greedy(source, span, value), exact: false };
}

/** Source offsets of each value character of a one-line double-quoted scalar: an escape maps to its backslash. */
function doubleQuoted(source: string, valueLength: number): Int32Array | undefined {
  const map = new Int32Array(valueLength + 1);
  let v = 0;
  for (let s = 1; s < source.length - 1; s++) {
    if (source[s] === '\n' || source[s] === '\r') return undefined;
    const start = s;
    if (source[s] === '\\') {
      const e = source[s + 1];
      s += e === 'x' ? 3 : e === 'u' ? 5 : e === 'U' ? 9 : 1;
      if (e === 'U' && parseInt(source.slice(start + 2, start + 10), 16) > 0xffff) map[v++] = start; // a surrogate pair
    } else if (source.codePointAt(s)! > 0xffff) map[v++] = s++;
    map[v++] = start;
  }
  if (v !== valueLength) return undefined;
  map[valueLength] = source.length - 1;
  return map;
}

/** The same for a one-line single-quoted scalar, where `''` stands for `'`. */
function singleQuoted(source: string, valueLength: number): Int32Array | undefined {
  const map = new Int32Array(valueLength + 1);
  let v = 0;
  for (let s = 1; s < source.length - 1; s++) {
    if (source[s] === '\n' || source[s] === '\r') return undefined;
    map[v++] = s;
    if (source[s] === "'") s++;
  }
  if (v !== valueLength) return undefined;
  map[valueLength] = source.length - 1;
  return map;
}

/** Aligns value characters with source characters in order: exact but for escapes and folding. */
function greedy(source: string, span: Span, value: string): (index: number) => number {
  const map = new Int32Array(value.length + 1);
  let s = 0;
  for (let v = 0; v < value.length; v++) {
    while (s < source.length && source[s] !== value[v]) s++;
    map[v] = span.offset + Math.min(s, source.length);
    if (s < source.length) s++;
  }
  map[value.length] = span.offset + Math.min(s, source.length);
  return (i) => map[Math.max(0, Math.min(i, value.length))]!;
}
