import { isUtf8 } from 'node:buffer';

/** The text encodings a source may declare (`encoding:`); the readers work on UTF-8. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'gbk' | 'big5' | 'shift_jis' | 'euc-kr' | 'windows-1252' | 'latin1';
export const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'gbk', 'big5', 'shift_jis', 'euc-kr', 'windows-1252', 'latin1'];

/**
 * A data file's bytes as UTF-8: decoded from its declared encoding, or from UTF-16 when it
 * starts with a byte-order mark. Undeclared bytes that are not UTF-8 are refused with the line
 * of the first bad byte and the encoding that reads them, never read as U+FFFD. `complete`:
 * false when `bytes` is the start of a longer file (a character may be cut at its end).
 * The result has one spare byte after `len`, where the CSV scanner puts its sentinel.
 */
export function toUtf8(bytes: Buffer, len: number, declared: Encoding | undefined, complete = true): { bytes: Buffer; len: number } | { problem: string; suggestion?: Encoding } {
  const bom = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  const encoding = bom ?? (declared === 'utf-8' ? undefined : declared);
  if (encoding) {
    const text = new TextDecoder(encoding).decode(bytes.subarray(0, complete ? len : cutAt(bytes, len, encoding)));
    const out = Buffer.allocUnsafe(Buffer.byteLength(text, 'utf8') + 1);
    const n = out.write(text, 0, 'utf8');
    return { bytes: out, len: n };
  }
  const end = complete ? len : utf8CutAt(bytes, len);
  if (isUtf8(bytes.subarray(0, end))) return { bytes, len };
  const at = firstInvalidUtf8(bytes, end);
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < at; i = bytes.indexOf(10, i + 1)) line++;
  const suggestion = readsAsChinese(bytes.subarray(0, end)) ? 'gb18030' : 'windows-1252';
  const why = suggestion === 'gb18030' ? 'it reads as Chinese text in GB18030 (GBK), as Excel saves CSV on Chinese Windows' : 'it may be Windows-1252 (Latin-1), as older Western exports are';
  return { problem: `it is not UTF-8 text (first bad byte on line ${line}); ${why}: set \`encoding: ${suggestion}\` on the source, or save the file as UTF-8`, suggestion };
}

/** GB18030 decodes the bytes without error and they hold Chinese characters. */
function readsAsChinese(bytes: Buffer): boolean {
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    return /[\u4e00-\u9fff]/.test(text);
  } catch {
    return false;
  }
}

/** Where the last whole UTF-8 character of a cut sample ends. */
function utf8CutAt(bytes: Buffer, len: number): number {
  let i = len;
  // Back over continuation bytes to the start of the last character; keep it only if whole.
  while (i > 0 && len - i < 4 && (bytes[i - 1]! & 0xc0) === 0x80) i--;
  if (i === 0) return len;
  const lead = bytes[i - 1]!;
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return len - (i - 1) >= size ? len : i - 1;
}

/** A cut sample in another encoding: drop a last line that may hold half a character. */
function cutAt(bytes: Buffer, len: number, encoding: string): number {
  if (encoding.startsWith('utf-16')) return len - (len % 2);
  const nl = bytes.lastIndexOf(10, len - 1);
  return nl > 0 ? nl + 1 : len;
}

function firstInvalidUtf8(bytes: Buffer, len: number): number {
  let i = 0;
  while (i < len) {
    const b = bytes[i]!;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0 || i + size > len) return i;
    for (let k = 1; k < size; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    if (size > 1 && !isUtf8(bytes.subarray(i, i + size))) return i; // overlong forms and surrogates
    i += size;
  }
  return len;
}
