import { Tally } from './tally';
import { trimEnd, trimStart } from './bytes';

/**
 * CSV tokenizer: one pass over the bytes that records where each wanted cell starts and ends,
 * without making a string per row or per cell. Typing happens later, column by column.
 *
 * RFC 4180 quotes (delimiters, `""` and line breaks inside quotes); CRLF, LF and lone CR line
 * ends; blank (or whitespace-only) lines skipped; spaces before an opening quote and after a
 * closing one ignored; text after a closing quote is kept (`"ab"c` reads `abc`, like Excel);
 * an unclosed quote runs to the end of the file. `""` escapes are undone in place in the buffer.
 */
export interface CsvCells {
  /** Trimmed header names, as written. */
  header: string[];
  rowCount: number;
  /** Ints per row: [start, end] for each wanted column, by slot. */
  stride: number;
  /** Row-major cell ranges; a quoted cell stores ~start (negative) and is not trimmed later. */
  cells: Int32Array;
  /** 1-based line where each row starts. */
  lines: Int32Array;
  ragged: Tally;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** `slotsFor` maps header positions to wanted slots (-1 = skip). */
export function scanCsv(bytes: Buffer, delimiter: number, slotsFor: (header: string[]) => Int32Array): CsvCells | { error: string } {
  const len = bytes.length;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  // Header: the first non-blank line.
  while (i < len && (bytes[i] === LF || bytes[i] === CR || bytes[i] === 32 || bytes[i] === 9)) {
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) line++;
    i++;
  }
  if (i >= len) return { error: 'it has no header row' };
  const head = readHeader(bytes, i, delimiter);
  i = head.next;
  line += head.lineBreaks;
  const header = head.names;
  const ncols = header.length;
  const slots = slotsFor(header);
  let width = 0;
  for (const s of slots) if (s >= 0) width = Math.max(width, s + 1);
  const stride = width * 2;

  let cap = estimateRows(bytes, i);
  let cells = new Int32Array(cap * stride);
  let lines = new Int32Array(cap);
  const ragged = new Tally();
  let r = 0;
  let c = 0;

  while (i < len) {
    c = bytes[i]!;
    if (c === LF || c === CR) {
      i += c === CR && bytes[i + 1] === LF ? 2 : 1;
      line++;
      continue;
    }
    if (r === cap) {
      cap = Math.ceil(cap * 1.5) + 16;
      cells = resize(cells, cap * stride);
      lines = resize(lines, cap);
    }
    lines[r] = line;
    const rowStart = i;
    const base = r * stride;
    let col = 0;
    let s = i;
    let e = i;
    let quoted = false;
    for (;;) {
      s = i;
      quoted = false;
      c = i < len ? bytes[i]! : -1;
      if (c === 32 || c === 9) {
        let j = i + 1;
        while (j < len && (bytes[j] === 32 || bytes[j] === 9)) j++;
        if (bytes[j] === QUOTE) c = bytes[(i = j)]!;
      }
      if (c === QUOTE) {
        quoted = true;
        s = ++i;
        let w = i;
        while (i < len) {
          c = bytes[i]!;
          if (c === QUOTE) {
            if (bytes[i + 1] !== QUOTE) { i++; break; }
            i++;
          } else if (c === LF || (c === CR && bytes[i + 1] !== LF)) line++;
          bytes[w++] = c;
          i++;
        }
        e = w;
        // After the closing quote: skip spaces; anything else up to the cell's end is kept.
        let j = i;
        while (j < len && (c = bytes[j]!) !== delimiter && c !== LF && c !== CR) j++;
        if (trimStart(bytes, i, j) < j) {
          bytes.copyWithin(e, i, j);
          e += j - i;
        }
        i = j;
      } else {
        while (i < len && (c = bytes[i]!) !== delimiter && c !== LF && c !== CR) i++;
        e = i;
      }
      if (col < ncols) {
        const slot = slots[col]!;
        if (slot >= 0) {
          cells[base + slot * 2] = quoted ? ~s : s;
          cells[base + slot * 2 + 1] = e;
        }
      }
      col++;
      if (i < len && bytes[i] === delimiter) i++;
      else break;
    }
    if (i < len) {
      i += bytes[i] === CR && bytes[i + 1] === LF ? 2 : 1;
      line++;
    }
    if (col === 1 && !quoted && trimStart(bytes, s, e) === e) {
      cells.fill(0, base, base + stride); // a whitespace-only line is blank, not a row
      continue;
    }
    if (col !== ncols) ragged.add(lines[r]!, () => bytes.toString('utf8', rowStart, Math.min(i, rowStart + 200)).trimEnd());
    r++;
  }
  return { header, rowCount: r, stride, cells, lines: lines.subarray(0, r), ragged };
}

/** The header record as trimmed names. Quotes work as in rows; `""` is not undone in place here. */
function readHeader(bytes: Buffer, i: number, delimiter: number): { names: string[]; next: number; lineBreaks: number } {
  const names: string[] = [];
  const text = (s: number, e: number) => bytes.toString('utf8', s, e);
  let lineBreaks = 0;
  const len = bytes.length;
  for (;;) {
    let j = i;
    while (j < len && (bytes[j] === 32 || bytes[j] === 9)) j++;
    if (bytes[j] === QUOTE) {
      let name = '';
      let k = j + 1;
      for (;;) {
        const q = indexOf(bytes, QUOTE, k);
        name += text(k, q);
        for (let m = k; m < q; m++) if (bytes[m] === LF || (bytes[m] === CR && bytes[m + 1] !== LF)) lineBreaks++;
        if (q < len && bytes[q + 1] === QUOTE) { name += '"'; k = q + 2; } else { k = q + 1; break; }
      }
      i = k;
      let e = i;
      while (e < len && bytes[e] !== delimiter && bytes[e] !== LF && bytes[e] !== CR) e++;
      names.push((name + text(i, e)).trim());
      i = e;
    } else {
      let e = i;
      while (e < len && bytes[e] !== delimiter && bytes[e] !== LF && bytes[e] !== CR) e++;
      names.push(text(trimStart(bytes, i, e), trimEnd(bytes, i, e)));
      i = e;
    }
    if (i < len && bytes[i] === delimiter) i++;
    else break;
  }
  if (i < len) {
    i += bytes[i] === CR && bytes[i + 1] === LF ? 2 : 1;
    lineBreaks++;
  }
  return { names, next: i, lineBreaks };
}

function indexOf(bytes: Uint8Array, byte: number, from: number): number {
  const at = bytes.indexOf(byte, from);
  return at < 0 ? bytes.length : at;
}

/** Rows expected after `from`, from the line length of the next 64 KB, so arrays rarely grow. */
function estimateRows(bytes: Uint8Array, from: number): number {
  const end = Math.min(bytes.length, from + 65536);
  let lineEnds = 0;
  for (let i = from; i < end; i++) if (bytes[i] === LF) lineEnds++;
  const perLine = lineEnds ? (end - from) / lineEnds : 64;
  return Math.ceil(((bytes.length - from) / perLine) * 1.05) + 16;
}

function resize(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a.subarray(0, Math.min(a.length, n)));
  return b;
}

/** Text of a cell range as the reader sees it: quoted cells as written, others trimmed. */
export function cellText(bytes: Buffer, s: number, e: number): string {
  if (s < 0) s = ~s;
  else {
    s = trimStart(bytes, s, e);
    e = trimEnd(bytes, s, e);
  }
  return bytes.toString('utf8', s, e);
}
