import * as fs from 'node:fs';
import { cell, scanCell } from './csvCell';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** A window of a file: bytes[0, len) hold whole rows, or the rest of the file when `final`. */
export interface Window {
  bytes: Buffer;
  len: number;
  final: boolean;
}

/**
 * A CSV file read a few MB at a time, each window cut where a row ends, so that no more than a
 * window is held however large the file. A window too small for one row grows.
 */
export class CsvWindows {
  private buf: Buffer;
  private filled = 0;
  private consumed = 0;
  private offset = 0;

  constructor(private readonly fd: number, private size: number, private readonly delimiter: number, windowBytes: number) {
    // One spare byte for the scanner's sentinel.
    this.buf = Buffer.allocUnsafe(windowBytes + 1);
  }

  next(): Window | undefined {
    if (this.consumed) {
      this.buf.copyWithin(0, this.consumed, this.filled);
      this.filled -= this.consumed;
      this.consumed = 0;
    }
    for (;;) {
      while (this.filled < this.buf.length - 1 && this.offset < this.size) {
        const n = fs.readSync(this.fd, this.buf, this.filled, this.buf.length - 1 - this.filled, this.offset);
        if (n <= 0) { this.size = this.offset; break; }
        this.filled += n;
        this.offset += n;
      }
      if (this.offset >= this.size) {
        if (!this.filled) return undefined;
        this.consumed = this.filled;
        return { bytes: this.buf, len: this.filled, final: true };
      }
      const cut = lastRowEnd(this.buf, this.filled, this.delimiter);
      if (cut > 0) {
        this.consumed = cut;
        return { bytes: this.buf, len: cut, final: false };
      }
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
  }
}

/**
 * Where the last whole row of bytes[0, end) ends: just after a line feed that no quoted cell
 * holds (0 when there is none). Without quotes that is the last line feed; with them, cells are
 * walked by the scanner's own rules. A lone CR is left to the next window, so that a CRLF is
 * never split.
 */
export function lastRowEnd(bytes: Buffer, end: number, delimiter: number): number {
  const lastLf = bytes.lastIndexOf(LF, end - 1);
  if (lastLf < 0) return 0;
  const len = lastLf + 1;
  if (bytes.subarray(0, len).indexOf(QUOTE) < 0) return len;
  let rowEnd = 0;
  let i = 0;
  while (i < len) {
    for (;;) {
      i = scanCell(bytes, len, delimiter, i);
      if (cell.unclosed) return rowEnd;
      if (i < len && bytes[i] === delimiter) i++;
      else break;
    }
    if (i >= len) break;
    i += bytes[i] === CR && i + 1 < len && bytes[i + 1] === LF ? 2 : 1;
    rowEnd = i;
  }
  return rowEnd;
}
