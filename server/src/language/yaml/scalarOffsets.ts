import type { Span } from '../span';

/**
 * Maps an index in a scalar's value to an offset in the document. Plain scalars map one to
 * one; quoted and block scalars differ from their source by quotes, escapes and indentation,
 * so their characters are aligned greedily with the source text (exact for everything but
 * escape sequences, which map to their last character).
 */
export function scalarOffsets(docText: string, span: Span, value: string): (index: number) => number {
  const source = docText.slice(span.offset, span.offset + span.length);
  if (source === value) return (i) => span.offset + i;
  const inner = source.slice(1, -1);
  if (inner === value) return (i) => span.offset + 1 + i;
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
