/**
 * Line arithmetic on raw text, for code that walks a document line by line. Lines end at "\n"
 * (a "\r" before it belongs to the line's content). Each step is strictly monotonic, so a loop
 * over `prevLineStart` or `nextLineStart` always ends: `String.lastIndexOf` with a negative start
 * searches from 0, which once made a walk up from the second line of a text starting with a
 * blank line return that same line forever.
 */

/** The start of the line holding `offset` (0 on the first line and for offsets at or before 0). */
export function lineStartAt(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', Math.min(offset, text.length) - 1) + 1;
}

/** The start of the line before the one starting at `lineStart`, or -1 on the first line. Always below `lineStart`. */
export function prevLineStart(text: string, lineStart: number): number {
  if (lineStart <= 0) return -1;
  return lineStartAt(text, Math.min(lineStart, text.length + 1) - 1);
}

/** The start of the line after the one holding `offset`, or -1 on the last line. Always above `offset`. */
export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', Math.max(0, offset));
  return nl < 0 ? -1 : nl + 1;
}

/** The end of the content of the line holding `offset`: before its "\n" or "\r\n", or the end of the text. */
export function lineEndAt(text: string, offset: number): number {
  let end = text.indexOf('\n', Math.max(0, offset));
  if (end < 0) end = text.length;
  return end > 0 && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}
