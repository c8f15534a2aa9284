/** Where binary content shows at once: a NUL byte this early makes the file look binary. */
const EARLY = 65536;

/**
 * Why the first `len` bytes cannot be text, or undefined: text files never hold a NUL byte. One
 * rule for the whole file; a NUL far into it (a damaged export) is named by its line.
 */
export function nulByteProblem(bytes: Uint8Array, len: number): string | undefined {
  const at = bytes.subarray(0, len).indexOf(0);
  if (at < 0) return undefined;
  // UTF-16 without a byte-order mark: every other byte of ASCII text is 0.
  if (len >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return 'it looks like UTF-16 text without a byte-order mark: set `encoding: utf-16le` on the source, or save it as UTF-8';
  if (len >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return 'it looks like UTF-16 text without a byte-order mark: set `encoding: utf-16be` on the source, or save it as UTF-8';
  if (at < EARLY) return 'it looks like a binary file, not text';
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < at; i = bytes.indexOf(10, i + 1)) line++;
  return `it holds a NUL byte on line ${line}, which no text file has: the export is damaged or not text`;
}
