import type { Span } from '../../../server/src/language/span';
import type { Expr } from '../../../server/src/language/formula/ast';
import { children } from '../../../server/src/language/formula/walk';

/**
 * Spans marked under a fixture line: each run of one marker character is a span, so `^^^~~`
 * is two spans; `|` marks an empty span at its column. Offsets come from the marker's column,
 * never from hand counting.
 *
 *   marks('a + * b',
 *         '    ^')   // [{ offset: 4, length: 1 }]
 */
export function marks(marker: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < marker.length) {
    const ch = marker[i];
    if (ch === ' ') {
      i++;
    } else if (ch === '|') {
      spans.push({ offset: i, length: 0 });
      i++;
    } else {
      const start = i;
      while (marker[i] === ch) i++;
      spans.push({ offset: start, length: i - start });
    }
  }
  return spans;
}

/** The one span marked under a fixture line. */
export function mark(marker: string): Span {
  const spans = marks(marker);
  if (spans.length !== 1) throw new Error(`expected one marked span in ${JSON.stringify(marker)}`);
  return spans[0];
}

/** Every node of a tree, in source order (iterative). */
export function nodes(e: Expr): Expr[] {
  const out: Expr[] = [];
  const stack = [e];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out;
}

/** Number of levels of a tree (a leaf has depth 1), computed without recursion. */
export function depth(e: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[e, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    max = Math.max(max, d);
    for (const k of children(n)) stack.push([k, d + 1]);
  }
  return max;
}
