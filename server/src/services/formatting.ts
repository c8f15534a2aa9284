import { textEdits } from '../language/format/edits';
import { formatSpec } from '../language/format/format';
import { editsInRange } from '../language/format/range';
import type { Span } from '../language/span';
import type { Edit } from './types';

/**
 * Document and range formatting: the edits that give the document (or the top-level
 * definitions a range touches) the canonical layout, as small as a line diff makes them, so
 * that the cursor stays on its text. None for a document with YAML syntax errors.
 */
export function formattingEdits(file: string, text: string, range?: Span): Edit[] {
  const result = formatSpec(text, file);
  if (result.kind !== 'formatted' || result.text === text) return [];
  let edits = textEdits(text, result.text);
  if (range) edits = editsInRange(text, edits, range);
  return edits.map((e) => ({ file, span: e.span, newText: e.newText }));
}
