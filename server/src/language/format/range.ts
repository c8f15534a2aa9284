/**
 * Formatting a range: the top-level definitions it touches are formatted, the rest of the
 * document is left alone. The document is cut into parts (each top-level key, each definition
 * of a section, each with the comments above it); only edits inside the touched parts are kept.
 */
import type { Span } from '../span';
import { loadYaml } from '../yaml/load';
import type { TextEdit } from './edits';
import { SECTIONS } from './order';

/** The parts of a document, in order, covering it from start to end. */
export function topLevelParts(text: string): Span[] {
  const root = loadYaml(text, '').root;
  if (root?.kind !== 'map') return [{ offset: 0, length: text.length }];
  const units: { start: number; end: number }[] = [];
  const add = (start: number, end: number) => {
    const last = units[units.length - 1];
    // A unit that starts on the line where the one before ends is part of it (a flow mapping).
    if (last && text.lastIndexOf('\n', start - 1) + 1 < last.end) last.end = Math.max(last.end, end);
    else units.push({ start, end });
  };
  for (const pair of root.pairs) {
    const value = pair.value;
    if (typeof pair.key.value === 'string' && SECTIONS.has(pair.key.value) && value?.kind === 'map') {
      add(pair.key.span.offset, pair.key.span.offset + pair.key.span.length);
      for (const def of value.pairs) add(def.span.offset, def.span.offset + def.span.length);
    } else add(pair.span.offset, pair.span.offset + pair.span.length);
  }
  if (!units.length) return [{ offset: 0, length: text.length }];
  const lineStart = (o: number) => text.lastIndexOf('\n', o - 1) + 1;
  const nextLine = (o: number) => {
    if (o > 0 && text[o - 1] === '\n') return o;
    const nl = text.indexOf('\n', o);
    return nl < 0 ? text.length : nl + 1;
  };
  // Each part runs from the line after the one before ends: the comments above a definition are its own.
  const starts = units.map((u, i) => (i === 0 ? 0 : Math.min(nextLine(units[i - 1]!.end), lineStart(u.start))));
  return starts.map((s, i) => ({ offset: s, length: (i + 1 < starts.length ? starts[i + 1]! : text.length) - s }));
}

/** The edits inside the parts that `range` touches (a range that only touches a part's end does not count). */
export function editsInRange(text: string, edits: TextEdit[], range: Span): TextEdit[] {
  const parts = topLevelParts(text);
  const end = range.offset + range.length;
  const touched = parts.filter((p) => {
    const pEnd = p.offset + p.length;
    return range.length === 0 ? range.offset >= p.offset && (range.offset < pEnd || pEnd === text.length) : range.offset < pEnd && end > p.offset;
  });
  if (!touched.length) return [];
  const from = touched[0]!.offset;
  const to = touched[touched.length - 1]!.offset + touched[touched.length - 1]!.length;
  return edits.filter((e) => e.span.offset >= from && e.span.offset + e.span.length <= to);
}
