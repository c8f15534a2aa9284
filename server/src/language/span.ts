/** A stretch of text: an offset into the document and a length, both in UTF-16 code units. */
export interface Span {
  offset: number;
  length: number;
}

export function span(offset: number, length: number): Span {
  return { offset, length };
}

export function spanEnd(s: Span): number {
  return s.offset + s.length;
}

/** The smallest span covering both. */
export function cover(a: Span, b: Span): Span {
  const start = Math.min(a.offset, b.offset);
  return { offset: start, length: Math.max(spanEnd(a), spanEnd(b)) - start };
}

export function containsOffset(s: Span, offset: number): boolean {
  return offset >= s.offset && offset <= spanEnd(s);
}
