import * as fs from 'node:fs';

const UNDERSCORE = 0x5f;
const CHUNK = 4 * 1024 * 1024;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/**
 * Whether a UTF-8 file holds a digit, `_` and a digit anywhere (`1_000`): DuckDB's CSV reader
 * reads such a value as a number, where kpispec reads it as text. A byte scan, far quicker than
 * reading the CSV; a name such as `q1_2026` answers yes too, which only costs the faster reading.
 * A file that cannot be read answers yes: the text reading then says what is wrong with it.
 */
export function hasDigitSeparator(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    // buf[0] and buf[1] hold the previous chunk's last two bytes, so a `_` at a chunk's edge
    // is looked at with both its neighbours (a chunk's last byte waits for the next chunk).
    const buf = Buffer.alloc(CHUNK + 2);
    for (;;) {
      const n = fs.readSync(fd, buf, 2, CHUNK, null);
      if (n === 0) return false;
      const last = 2 + n - 1;
      for (let i = buf.indexOf(UNDERSCORE, 1); i >= 0 && i < last; i = buf.indexOf(UNDERSCORE, i + 1)) {
        if (isDigit(buf[i - 1]!) && isDigit(buf[i + 1]!)) return true;
      }
      buf[0] = buf[last - 1]!;
      buf[1] = buf[last]!;
    }
  } catch {
    return true;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
