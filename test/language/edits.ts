import fc from 'fast-check';

/**
 * Random edits of a spec's text, as a user makes them: inside formulas, targets, titles and ids,
 * anywhere, or whole lines removed, copied or indented (the incremental parse tests).
 */
export type Where = 'formula' | 'target' | 'title' | 'id' | 'anywhere' | 'line';
export interface EditSpec {
  where: Where;
  pick: number;
  at: number;
  remove: number;
  insert: string;
}

export const INSERTS = [
  'x', '_', ' ', '1', '0.5', '%', '(', ')', '+', '-', '*', '/', ' + 1', ':', ': ', '#', ' #', '"', "'", '{', '}', '[', ']', ',', '\n',
  '\n    ', '\n  ', '  ', '\t', '\\', 'é', '转化', 'sessions', 'revenue', 'm_a_1', 'kpi_a_2', 'prev(', 'growth(x)', 'max(a, b)', 'null', '~',
  '40%', '2026-13', 'min: 1', 'up', 'down', 'percent', '- ', '&a', '*a', '|', '>', '---',
];

export const edit: fc.Arbitrary<EditSpec> = fc.record({
  where: fc.constantFrom<Where>('formula', 'formula', 'target', 'title', 'title', 'id', 'anywhere', 'line'),
  pick: fc.nat(),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 4 })),
  insert: fc.oneof(fc.constantFrom(...INSERTS), fc.constant('')),
});

/** The stretches of text an edit of that kind goes into: a value after `key:`, an id, a line. */
function targets(text: string, where: Where): [number, number][] {
  const out: [number, number][] = [];
  const each = (re: RegExp, group = 1) => {
    for (const m of text.matchAll(re)) {
      const start = m.index! + m[0].indexOf(m[group]!);
      out.push([start, start + m[group]!.length]);
    }
  };
  if (where === 'formula') each(/(?:formula|where): ([^\n]*)/g);
  else if (where === 'target') each(/(?:min|max|value|target|warn): ([^\n,}]*)/g);
  else if (where === 'title') each(/(?:title|description): ([^\n]*)/g);
  else if (where === 'id') each(/^  ([a-z][a-z0-9_]*):/gm);
  else if (where === 'line') each(/^([^\n]*)\n/gm);
  return out;
}

/** The edit applied to a text; `line` edits remove, copy or indent a whole line. */
export function apply(text: string, e: EditSpec): string {
  const spots = e.where === 'anywhere' ? [[0, text.length] as [number, number]] : targets(text, e.where);
  if (!spots.length) return text;
  const [from, to] = spots[e.pick % spots.length]!;
  if (e.where === 'line') {
    const line = text.slice(from, to + 1);
    const kind = e.pick % 3;
    if (kind === 0) return text.slice(0, from) + text.slice(to + 1);
    if (kind === 1) return text.slice(0, to + 1) + line + text.slice(to + 1);
    return text.slice(0, from) + '  ' + text.slice(from);
  }
  const at = from + Math.floor(e.at * (to - from + 1));
  const end = Math.min(text.length, at + e.remove);
  return text.slice(0, at) + e.insert + text.slice(end);
}

