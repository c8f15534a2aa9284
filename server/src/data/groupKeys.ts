import type { ByteDict } from './dictionary';
import type { ColumnType } from './table';
import { Tally } from './tally';
import type { DayParser } from './timeValues';
import { chooseType, classifyText, emptyCounts, parseBooleanText, parseNumberText, type NumberFormat } from './values';

/** How often each interned value of a key column occurs, and the first lines it is on. */
export class KeySightings {
  /** Rows per entry. */
  freq = new Float64Array(64);
  /** The first three lines per entry (0 = none). */
  lines = new Int32Array(192);

  see(code: number, line: number): void {
    if (code >= this.freq.length) this.grow(code);
    const seen = this.freq[code]!++;
    if (seen < 3) this.lines[code * 3 + seen] = line;
  }

  private grow(code: number): void {
    const n = Math.max(code + 1, this.freq.length * 2);
    const freq = new Float64Array(n);
    freq.set(this.freq);
    const lines = new Int32Array(n * 3);
    lines.set(this.lines);
    this.freq = freq;
    this.lines = lines;
  }
}

/** A key column's entries typed: text (null for blanks), or numbers, days or 1/0 (NaN = null). */
export type TypedEntries =
  | { type: 'string'; texts: (string | null)[]; bad: Tally }
  | { type: 'number' | 'date' | 'boolean'; values: Float64Array; bad: Tally };

/**
 * The entries of a key column typed as the row-by-row reader types a column (csvColumns.ts
 * fromDictionary): its pin, else the 90% rule over its rows; each entry read once; unreadable
 * values counted by rows, with the first three lines they are on.
 */
export function typeEntries(dict: ByteDict, seen: KeySightings | undefined, kind: ColumnType | 'infer', nf: NumberFormat, parseDay: DayParser): TypedEntries {
  const texts = dict.strings();
  const freq = (k: number) => seen?.freq[k] ?? 0;
  let type: ColumnType = kind === 'infer' ? 'string' : kind;
  if (kind === 'infer') {
    const counts = emptyCounts();
    texts.forEach((t, k) => {
      const c = classifyText(t, nf);
      if (c !== 'empty') counts[c] += freq(k);
    });
    type = chooseType(counts);
  }
  if (type === 'string') return { type, texts: texts.map((t) => (t.trim() === '' ? null : t)), bad: new Tally() };
  const values = new Float64Array(texts.length);
  const unreadable: { line: number; text: string }[] = [];
  let count = 0;
  texts.forEach((t, k) => {
    const b = dict.bytes(k);
    const v = type === 'number' ? parseNumberText(t, nf) : type === 'boolean' ? booleanValue(t) : parseDay(b, 0, b.length);
    values[k] = v;
    const text = t.trim();
    if (v === v || text === '') return;
    count += freq(k);
    for (let i = 0; i < 3 && i < freq(k); i++) unreadable.push({ line: seen!.lines[k * 3 + i]!, text });
  });
  unreadable.sort((a, b) => a.line - b.line);
  const bad = new Tally();
  for (const u of unreadable.slice(0, 3)) bad.add(u.line, () => u.text);
  bad.count = count;
  return { type, values, bad };
}

function booleanValue(text: string): number {
  const b = parseBooleanText(text);
  return b < 0 ? NaN : b;
}
