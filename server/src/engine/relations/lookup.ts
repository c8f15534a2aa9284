import type { TextCodes } from './columns';

export interface LookupIndex {
  /** Per row of the looking-up source, the matched row of the target; -1 when none. */
  matches: Int32Array;
  matched: number;
}

/** Two rows of the target holding one key: the lookup would fan out. */
export interface DuplicateKey {
  values: string[];
  rows: [number, number];
}

/**
 * The target's rows by key, verified unique over all its rows: a duplicate is returned, never
 * a first-wins guess. Rows with an empty key column match nothing.
 */
export function keyIndex(keys: TextCodes[], n: number): Map<string, number> | DuplicateKey {
  const index = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const key = keyText(keys, r);
    if (key === undefined) continue;
    const before = index.get(key);
    if (before !== undefined) return { values: keys.map((k) => k.dict[k.codes[r]!]!), rows: [before, r] };
    index.set(key, r);
  }
  return index;
}

/** Each row's match in the target, by the text of its join columns. */
export function lookUp(on: TextCodes[], n: number, index: Map<string, number>): LookupIndex {
  const matches = new Int32Array(n);
  let matched = 0;
  if (on.length === 1) {
    // One column: resolve each distinct value once.
    const { codes, dict } = on[0]!;
    const rowOfCode = Int32Array.from(dict, (v) => index.get(v) ?? -1);
    for (let r = 0; r < n; r++) {
      const m = codes[r]! < 0 ? -1 : rowOfCode[codes[r]!]!;
      matches[r] = m;
      if (m >= 0) matched++;
    }
    return { matches, matched };
  }
  for (let r = 0; r < n; r++) {
    const key = keyText(on, r);
    const m = key === undefined ? -1 : index.get(key) ?? -1;
    matches[r] = m;
    if (m >= 0) matched++;
  }
  return { matches, matched };
}

function keyText(keys: TextCodes[], r: number): string | undefined {
  if (keys.length === 1) {
    const c = keys[0]!.codes[r]!;
    return c < 0 ? undefined : keys[0]!.dict[c];
  }
  let key = '';
  for (const k of keys) {
    const c = k.codes[r]!;
    if (c < 0) return undefined;
    key += `${k.dict[c]}\u0000`;
  }
  return key;
}
