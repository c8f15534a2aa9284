/**
 * Byte-level helpers for UTF-8 cells, so hot loops never build a string per cell.
 * "Whitespace" is exactly what String.prototype.trim removes.
 */

/** Length of the whitespace character starting at `s` (0 if none). */
export function wsAt(buf: Uint8Array, s: number, e: number): number {
  const b = buf[s]!;
  if (b === 32 || (b >= 9 && b <= 13)) return 1;
  if (b < 0xc2 || s + 1 >= e) return 0;
  const b1 = buf[s + 1]!;
  if (b === 0xc2) return b1 === 0xa0 ? 2 : 0;
  if (s + 2 >= e) return 0;
  return isWs3(b, b1, buf[s + 2]!) ? 3 : 0;
}

/** Length of the whitespace character ending just before `e` (0 if none). */
export function wsBefore(buf: Uint8Array, s: number, e: number): number {
  const b = buf[e - 1]!;
  if (b === 32 || (b >= 9 && b <= 13)) return 1;
  if (b < 0x80 || e - 2 < s) return 0;
  if (b === 0xa0 && buf[e - 2] === 0xc2) return 2;
  return e - 3 >= s && isWs3(buf[e - 3]!, buf[e - 2]!, b) ? 3 : 0;
}

// U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF
function isWs3(b0: number, b1: number, b2: number): boolean {
  if (b0 === 0xe2) return b1 === 0x80 ? (b2 >= 0x80 && b2 <= 0x8a) || b2 === 0xa8 || b2 === 0xa9 || b2 === 0xaf : b1 === 0x81 && b2 === 0x9f;
  if (b0 === 0xe1) return b1 === 0x9a && b2 === 0x80;
  if (b0 === 0xe3) return b1 === 0x80 && b2 === 0x80;
  return b0 === 0xef && b1 === 0xbb && b2 === 0xbf;
}

export function trimStart(buf: Uint8Array, s: number, e: number): number {
  let n: number;
  while (s < e && (n = wsAt(buf, s, e)) > 0) s += n;
  return s;
}

export function trimEnd(buf: Uint8Array, s: number, e: number): number {
  let n: number;
  while (e > s && (n = wsBefore(buf, s, e)) > 0) e -= n;
  return e;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `[+-]digits[.digits]` with at most 15 digits, straight from bytes (already trimmed), or NaN
 * meaning "ask the exact slow path". With ≤ 15 digits the mantissa and 10^k are exact doubles,
 * so one division is correctly rounded: the result is bit-identical to Number(text).
 */
export function fastNumber(buf: Uint8Array, s: number, e: number, decimalByte: number): number {
  let i = s;
  let c = buf[i]!;
  const neg = c === 45;
  if (neg || c === 43) i++;
  let m = 0;
  let digits = 0;
  while (i < e && (c = buf[i]! - 48) >= 0 && c <= 9) {
    m = m * 10 + c;
    digits++;
    i++;
  }
  let frac = 0;
  if (i < e && buf[i] === decimalByte) {
    i++;
    while (i < e && (c = buf[i]! - 48) >= 0 && c <= 9) {
      m = m * 10 + c;
      frac++;
      i++;
    }
  }
  digits += frac;
  if (i !== e || digits === 0 || digits > 15) return NaN;
  const v = frac ? m / POW10[frac]! : m;
  return neg ? -v : v;
}
