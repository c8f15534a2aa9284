import { trimStart } from './bytes';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * The cell found by scanCell: [s, e) is its text, except for a `complex` quoted cell (with `""`
 * escapes or text after the closing quote), where s is the opening quote and e the cell's end,
 * to be decoded by decodeQuoted. The buffer is never changed, so it can be scanned again.
 */
export const cell = { s: 0, e: 0, quoted: false, complex: false, breaks: 0, unclosed: false };

/** Any cell from `i` into `cell`; returns where it ends (delimiter, line end or len). */
export function scanCell(bytes: Buffer, len: number, delimiter: number, i: number): number {
  cell.breaks = 0;
  cell.quoted = false;
  cell.complex = false;
  cell.unclosed = false;
  const tab = delimiter === 9 ? -1 : 9; // a tab is padding unless it separates cells
  let c = bytes[i]!;
  if (c === 32 || c === tab) {
    let j = i + 1;
    while (j < len && (bytes[j] === 32 || bytes[j] === tab)) j++;
    if (j < len && bytes[j] === QUOTE) c = bytes[(i = j)]!;
  }
  if (c !== QUOTE || i >= len) {
    cell.s = i;
    while (i < len && (c = bytes[i]!) !== delimiter && c !== LF && c !== CR) i++;
    cell.e = i;
    return i;
  }
  cell.quoted = true;
  const open = i++;
  cell.s = i;
  for (; i < len; i++) {
    c = bytes[i]!;
    if (c === QUOTE) {
      if (i + 1 >= len || bytes[i + 1] !== QUOTE) break;
      cell.complex = true;
      i++;
    } else if (c === LF || (c === CR && (i + 1 >= len || bytes[i + 1] !== LF))) cell.breaks++;
  }
  cell.e = i;
  // No closing quote: the cell ran to the end of the file.
  if (i < len) i++; // the closing quote
  else cell.unclosed = true;
  let j = i;
  while (j < len && (c = bytes[j]!) !== delimiter && c !== LF && c !== CR) j++;
  if (trimStart(bytes, i, j) < j) cell.complex = true;
  if (cell.complex) {
    cell.s = open;
    cell.e = j;
  }
  return j;
}

/** The text of a complex quoted cell from its opening quote to its end: `""` undone, trailing text kept. */
export function decodeQuoted(bytes: Buffer, open: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - open);
  let w = 0;
  let i = open + 1;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      if (i + 1 < end && bytes[i + 1] === QUOTE) i++;
      else { i++; break; }
    }
    out[w++] = c;
  }
  if (trimStart(bytes, i, end) < end) w += bytes.copy(out, w, i, end);
  return out.subarray(0, w);
}
