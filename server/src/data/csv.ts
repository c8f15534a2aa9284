import * as bytesModule from './bytes';
import * as cellModule from './csvCell';
import { ByteDict } from './dictionary';
import { Tally } from './tally';
import { parseNumberText, type NumberFormat } from './values';

// Bound once: imported bindings are property loads per use once compiled to CommonJS (tests).
const { fastNumber, trimEnd, trimStart } = bytesModule;
const { cell, decodeQuoted, scanCell } = cellModule;

/**
 * CSV in one pass over the bytes, with no string per row or per cell: each wanted column has a
 * reader that consumes its cell as the scanner reaches it — numbers are parsed straight into a
 * Float64Array, text is hashed while scanned and interned, other cells keep their byte range.
 *
 * RFC 4180 quotes (delimiters, `""` and line breaks inside quotes); CRLF, LF and lone CR line
 * ends; blank and whitespace-only lines skipped; spaces before an opening quote and after a
 * closing one ignored; text after a closing quote is kept (`"ab"c` reads `abc`, like Excel);
 * an unclosed quote runs to the end of the file. The buffer is only read, never changed.
 *
 * The buffer must hold a line feed at `len` (a sentinel), so unquoted scans need no bounds check.
 */

export const SKIP = 0;
/**
 * Keep [start, end] per row. A quoted cell stores ~start (not trimmed later); a complex quoted
 * cell stores [~openingQuote, ~end], for decodeQuoted.
 */
export const RANGES = 1;
export const NUMBER = 2;
export const DICT = 3;

// FNV-1a, as ByteDict hashes; literals here because imported bindings are property loads in CommonJS.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface CsvHead {
  /** Trimmed header names, as written. */
  header: string[];
  bodyStart: number;
  /** Line number where the body starts. */
  line: number;
}

export interface CsvRows {
  rowCount: number;
  /** 1-based line where each row starts. */
  lines: Int32Array;
  ragged: Tally;
  /** Per header position, filled for the columns of the matching reader kind. */
  ranges: Int32Array[];
  numbers: Float64Array[];
  numberBad: Tally[];
  /** Non-empty cells per NUMBER column, for the 90% rule. */
  nonEmpty: Int32Array;
  codes: Int32Array[];
  dicts: ByteDict[];
  /** A quote never closed: the line of its row, and how many line breaks its cell swallowed to the end of the file. */
  unclosed?: { line: number; swallowed: number };
}

/** Skips a BOM and blank lines, then reads the header record. */
export function readHead(bytes: Buffer, len: number, delimiter: number): CsvHead | { error: string } {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  while (i < len && (bytes[i] === LF || bytes[i] === CR || bytes[i] === 32 || bytes[i] === 9)) {
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) line++;
    i++;
  }
  if (i >= len) return { error: 'it has no header row' };
  const header: string[] = [];
  for (;;) {
    i = scanCell(bytes, len, delimiter, i);
    line += cell.breaks;
    header.push((cell.complex ? decodeQuoted(bytes, cell.s, cell.e).toString('utf8') : bytes.toString('utf8', cell.s, cell.e)).trim());
    if (i < len && bytes[i] === delimiter) i++;
    else break;
  }
  if (i < len) {
    i += bytes[i] === CR && i + 1 < len && bytes[i + 1] === LF ? 2 : 1;
    line++;
  }
  return { header, bodyStart: i, line };
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const NO_FLOATS = new Float64Array(0);
const NO_INTS = new Int32Array(0);
const NO_DICT = new ByteDict();

/** Where a read stands between chunks, and what it has filled so far. */
interface Scan extends CsvRows {
  bytes: Buffer;
  len: number;
  delimiter: number;
  kinds: Uint8Array;
  nf: NumberFormat;
  i: number;
  line: number;
  cap: number;
  maxRows: number;
}

/**
 * Rows per call of readChunk. One long call would be optimized on the fly (OSR), and each
 * path first taken late (a new dictionary value, a hash collision) would drop it back to the
 * interpreter until it is compiled again; between calls V8 re-optimizes with full feedback.
 */
const CHUNK = 16384;
const MAX_ROWS = 0x7fffffff; // a small integer, unlike Infinity, so comparisons stay integer ops

/**
 * Reads the body. `kinds` gives each header position's reader; positions past it are skipped.
 * Stops after `maxRows` rows (for sampling).
 */
export function readRows(bytes: Buffer, len: number, delimiter: number, head: CsvHead, kinds: Uint8Array, nf: NumberFormat, maxRows = MAX_ROWS): CsvRows {
  const cap = Math.min(maxRows, estimateRows(bytes, len, head.bodyStart));
  const st = newScan(bytes, len, delimiter, head, kinds, nf, cap, maxRows);
  while (st.i < len && st.rowCount < maxRows) readChunk(st, Math.min(maxRows, st.rowCount + CHUNK));
  return rowsOf(st);
}

function newScan(bytes: Buffer, len: number, delimiter: number, head: CsvHead, kinds: Uint8Array, nf: NumberFormat, cap: number, maxRows: number): Scan {
  const ncols = head.header.length;
  const st: Scan = {
    bytes, len, delimiter, kinds, nf, i: head.bodyStart, line: head.line, cap, maxRows,
    rowCount: 0, lines: new Int32Array(cap), ragged: new Tally(), ranges: [], numbers: [], numberBad: [], nonEmpty: new Int32Array(ncols), codes: [], dicts: [],
  };
  for (let c = 0; c < ncols; c++) {
    st.ranges.push(kinds[c] === RANGES ? new Int32Array(cap * 2) : NO_INTS);
    st.numbers.push(kinds[c] === NUMBER ? new Float64Array(cap) : NO_FLOATS);
    st.codes.push(kinds[c] === DICT ? new Int32Array(cap) : NO_INTS);
    st.dicts.push(kinds[c] === DICT ? new ByteDict() : NO_DICT);
    st.numberBad.push(new Tally());
  }
  return st;
}

function rowsOf(st: Scan): CsvRows {
  const { rowCount, ragged, ranges, numbers, numberBad, nonEmpty, codes, dicts, unclosed } = st;
  return { rowCount, lines: st.lines.subarray(0, rowCount), ragged, ranges, numbers, numberBad, nonEmpty, codes, dicts, ...(unclosed ? { unclosed } : {}) };
}

/**
 * A read of the body fed window by window (csvStream.ts), its rows handed over in batches whose
 * arrays are then reused: memory for one batch, whatever the file's size. Numbers and interned
 * text only, whose values outlive a window (byte ranges would not). Each window must end where a
 * row ends, but for the last; `rows` of a batch are valid until the callback returns.
 */
export class RowStream {
  private readonly st: Scan;

  constructor(head: CsvHead, kinds: Uint8Array, nf: NumberFormat, delimiter: number, private readonly batch: (rows: CsvRows) => void) {
    if (kinds.some((k) => k === RANGES)) throw new Error('RowStream reads numbers and interned text only');
    this.st = newScan(Buffer.alloc(1), 0, delimiter, head, kinds, nf, CHUNK, CHUNK);
  }

  /** Reads the rows of bytes[start, len); bytes[len] is overwritten (the scanner's sentinel) and restored. */
  window(bytes: Buffer, start: number, len: number): void {
    const st = this.st;
    const kept = bytes[len]!;
    bytes[len] = LF;
    st.bytes = bytes;
    st.len = len;
    st.i = start;
    try {
      while (st.i < len) {
        readChunk(st, CHUNK);
        if (st.rowCount === CHUNK) this.flush();
      }
    } finally {
      bytes[len] = kept;
    }
  }

  /** The rows not yet handed over, then what the whole read counted. */
  end(): Omit<CsvRows, 'rowCount' | 'lines' | 'ranges' | 'numbers' | 'codes'> {
    this.flush();
    const { ragged, numberBad, nonEmpty, dicts, unclosed } = this.st;
    return { ragged, numberBad, nonEmpty, dicts, ...(unclosed ? { unclosed } : {}) };
  }

  private flush(): void {
    if (!this.st.rowCount) return;
    this.batch(rowsOf(this.st));
    this.st.rowCount = 0;
  }
}

/** Room for more rows in every array being filled. */
function growRows(st: Scan): void {
  st.cap = Math.min(st.maxRows, Math.ceil(st.cap * 1.5) + 16);
  st.lines = grow(st.lines, st.cap);
  for (let k = 0; k < st.kinds.length; k++) {
    if (st.kinds[k] === RANGES) st.ranges[k] = grow(st.ranges[k]!, st.cap * 2);
    else if (st.kinds[k] === NUMBER) st.numbers[k] = grow(st.numbers[k]!, st.cap);
    else if (st.kinds[k] === DICT) st.codes[k] = grow(st.codes[k]!, st.cap);
  }
}

/** Reads rows until `stop` rows are done or the input ends; the scan's state is kept in `st`. */
function readChunk(st: Scan, stop: number): void {
  const { bytes, len, delimiter, kinds, nf, ranges, numbers, numberBad, nonEmpty, codes, dicts, ragged } = st;
  const ncols = kinds.length;
  // A decimal mark equal to the delimiter can only occur in quoted cells, which take the slow path.
  const mark = nf.decimal === ',' ? (delimiter === 44 ? -1 : 44) : 46;
  // Bytes above `top` cannot end a cell: one compare for most bytes instead of three.
  const top = Math.max(delimiter, LF, CR);
  const tab = delimiter === 9 ? -1 : 9;
  let lines = st.lines;
  let i = st.i;
  let line = st.line;
  let r = st.rowCount;
  let c = 0;

  while (i < len && r < stop) {
    c = bytes[i]!;
    if (c === LF || c === CR) {
      i += c === CR && i + 1 < len && bytes[i + 1] === LF ? 2 : 1;
      line++;
      continue;
    }
    if (r === st.cap) {
      growRows(st);
      lines = st.lines;
    }
    lines[r] = line;
    const rowStart = i;
    let col = 0;
    for (;;) {
      const kind = col < ncols ? kinds[col]! : SKIP;
      c = bytes[i]!;
      if (c === QUOTE || ((c === 32 || c === tab) && kind !== NUMBER)) {
        // Quoted (or space-led) cells: a plain quoted cell is found inline, anything else by
        // the general scanner; then the column's slow path.
        const from = i;
        let q = -1;
        if (c === QUOTE) {
          q = i + 1;
          while (q < len && (c = bytes[q]!) !== QUOTE && c !== LF && c !== CR) q++;
          if (q >= len || c !== QUOTE || ((c = bytes[q + 1]!) !== delimiter && c !== LF && c !== CR)) q = -1;
        }
        if (q >= 0) {
          cell.s = i + 1;
          cell.e = q;
          cell.quoted = true;
          cell.complex = false;
          i = q + 1;
        } else {
          i = scanCell(bytes, len, delimiter, i);
          c = bytes[i]!;
          line += cell.breaks;
          // The file's last line break ends its last line; it starts none.
          if (cell.unclosed) st.unclosed = { line: lines[r]!, swallowed: cell.breaks - (bytes[len - 1] === LF || bytes[len - 1] === CR ? 1 : 0) };
        }
        if (kind !== SKIP) slowCell(kind, bytes, col, r, lines[r]!, from, nf, ranges, numbers, numberBad, nonEmpty, codes, dicts);
      } else if (kind === NUMBER) {
        const s = i;
        while (c === 32) c = bytes[++i]!;
        const neg = c === 45;
        if (neg || c === 43) c = bytes[++i]!;
        let m = 0;
        let digits = 0;
        let frac = 0;
        let d = c - 48;
        while (d >= 0 && d <= 9) {
          m = m * 10 + d;
          digits++;
          d = (c = bytes[++i]!) - 48;
        }
        if (c === mark) {
          d = (c = bytes[++i]!) - 48;
          while (d >= 0 && d <= 9) {
            m = m * 10 + d;
            frac++;
            d = (c = bytes[++i]!) - 48;
          }
        }
        while (c === 32) c = bytes[++i]!;
        digits += frac;
        if ((c === delimiter || c === LF || c === CR) && digits > 0 && digits <= 15) {
          // ≤ 15 digits: mantissa and 10^k are exact, so this is bit-identical to Number(text).
          const v = frac ? m / POW10[frac]! : m;
          numbers[col]![r] = neg ? -v : v;
          nonEmpty[col]!++;
        } else {
          i = scanCell(bytes, len, delimiter, s);
          c = bytes[i]!;
          line += cell.breaks;
          slowCell(kind, bytes, col, r, lines[r]!, s, nf, ranges, numbers, numberBad, nonEmpty, codes, dicts);
        }
      } else if (kind === DICT) {
        const s = i;
        let h = FNV_OFFSET;
        while (c > top || (c !== delimiter && c !== LF && c !== CR)) {
          h = Math.imul(h ^ c, FNV_PRIME);
          c = bytes[++i]!;
        }
        if (i === s) codes[col]![r] = -1;
        else {
          // Non-ASCII or control bytes at either end may be whitespace (NBSP, ideographic space…).
          const first = bytes[s]!;
          const last = bytes[i - 1]!;
          let ts = s;
          let te = i;
          if (first <= 32 || first >= 0x80 || last <= 32 || last >= 0x80) ts = trimStart(bytes, s, (te = trimEnd(bytes, s, i)));
          codes[col]![r] = ts === te ? -1 : ts === s && te === i ? dicts[col]!.internHashed(bytes, s, i, h) : dicts[col]!.intern(bytes, ts, te);
        }
      } else {
        const s = i;
        while (c > top || (c !== delimiter && c !== LF && c !== CR)) c = bytes[++i]!;
        if (kind === RANGES) {
          ranges[col]![2 * r] = s;
          ranges[col]![2 * r + 1] = i;
        }
      }
      col++;
      if (i < len && c === delimiter) i++;
      else break;
    }
    const rowEnd = i;
    if (i < len) {
      i += bytes[i] === CR && i + 1 < len && bytes[i + 1] === LF ? 2 : 1;
      line++;
    }
    // Missing cells are empty.
    for (let k = col; k < ncols; k++) {
      if (kinds[k] === NUMBER) numbers[k]![r] = NaN;
      else if (kinds[k] === DICT) codes[k]![r] = -1;
      else if (kinds[k] === RANGES) ranges[k]![2 * r] = ranges[k]![2 * r + 1] = 0;
    }
    if (col === 1 && trimStart(bytes, rowStart, rowEnd) === rowEnd) continue; // a blank line, not a row
    if (col !== ncols) ragged.add(lines[r]!, () => firstLine(bytes.toString('utf8', rowStart, Math.min(rowEnd, rowStart + 200))));
    r++;
  }
  st.i = i;
  st.line = line;
  st.rowCount = r;
}

/** The column's reader for a cell `scanCell` just read (quoted, space-led, or not a plain number). */
function slowCell(kind: number, bytes: Buffer, col: number, r: number, line: number, from: number, nf: NumberFormat,
  ranges: Int32Array[], numbers: Float64Array[], numberBad: Tally[], nonEmpty: Int32Array, codes: Int32Array[], dicts: ByteDict[]): void {
  if (kind === RANGES) {
    // Quoted: ~start, and a complex one also ~end; unquoted: as scanned, trimmed later.
    ranges[col]![2 * r] = cell.quoted ? ~cell.s : from;
    ranges[col]![2 * r + 1] = cell.complex ? ~cell.e : cell.e;
    return;
  }
  let buf = bytes;
  let s = cell.s;
  let e = cell.e;
  if (cell.complex) {
    buf = decodeQuoted(bytes, s, e);
    s = 0;
    e = buf.length;
  }
  if (kind === NUMBER) {
    // Quoted plain numbers (exporters that quote everything) still parse from bytes.
    let ts = s;
    let te = e;
    while (ts < te && buf[ts] === 32) ts++;
    while (te > ts && buf[te - 1] === 32) te--;
    const fast = ts < te ? fastNumber(buf, ts, te, nf.decimal === ',' ? 44 : 46) : NaN;
    if (fast === fast) {
      numbers[col]![r] = fast;
      nonEmpty[col]!++;
      return;
    }
    const text = buf.toString('utf8', s, e).trim();
    const v = text === '' ? NaN : parseNumberText(text, nf);
    numbers[col]![r] = v;
    if (text !== '') {
      nonEmpty[col]!++;
      if (v !== v) numberBad[col]!.add(line, () => text);
    }
    return;
  }
  if (!cell.quoted) {
    s = trimStart(buf, s, e);
    e = trimEnd(buf, s, e);
  }
  codes[col]![r] = s === e ? -1 : dicts[col]!.intern(buf, s, e);
}

/** Rows expected after `from`, from the line length of the next 64 KB, so arrays rarely grow. */
function estimateRows(bytes: Buffer, len: number, from: number): number {
  const end = Math.min(len, from + 65536);
  let lineEnds = 0;
  for (let i = from; i < end; i++) if (bytes[i] === LF) lineEnds++;
  const perLine = lineEnds ? (end - from) / lineEnds : 64;
  return Math.ceil(((len - from) / perLine) * 1.02) + 16;
}

function grow<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a.subarray(0, Math.min(a.length, n)));
  return b;
}

/** An example row as one line: a row whose quoted cell holds line breaks is cut at the first. */
function firstLine(text: string): string {
  const end = text.search(/[\r\n]/);
  return end < 0 ? text : `${text.slice(0, end)}…`;
}
