import type { Column } from '../../data/table';
import type { RollupFn } from '../../language/model';
import { gather, type TextCodes } from './columns';

/** The rows of a source grouped by a key: one group per distinct key, in the order of each key's first row. */
export interface Grouping {
  /** Group per row of the rolled-up source; -1 when a key column is empty (in no entity). */
  groupOf: Int32Array;
  count: number;
  /** The first row of each group, for its key values. */
  firstRow: Int32Array;
  /** Rows with an empty key column. */
  unkeyed: number;
}

/** Groups rows by their key's text codes; composite keys fold the codes into one number while they fit. */
export function groupRows(keys: TextCodes[], n: number): Grouping {
  const groupOf = new Int32Array(n);
  const first: number[] = [];
  let unkeyed = 0;
  if (keys.length === 1) {
    // One column: its dictionary codes are the groups, renumbered by first appearance.
    const { codes, dict } = keys[0]!;
    const groupOfCode = new Int32Array(dict.length).fill(-1);
    for (let r = 0; r < n; r++) {
      const c = codes[r]!;
      if (c < 0) { groupOf[r] = -1; unkeyed++; continue; }
      let g = groupOfCode[c]!;
      if (g < 0) { g = groupOfCode[c] = first.length; first.push(r); }
      groupOf[r] = g;
    }
    return { groupOf, count: first.length, firstRow: Int32Array.from(first), unkeyed };
  }
  const sizes = keys.map((k) => k.dict.length + 1);
  const fits = sizes.reduce((a, b) => a * b, 1) < Number.MAX_SAFE_INTEGER;
  const groups = new Map<number | string, number>();
  for (let r = 0; r < n; r++) {
    let key: number | string = fits ? 0 : '';
    let empty = false;
    for (let k = 0; k < keys.length; k++) {
      const c = keys[k]!.codes[r]!;
      if (c < 0) { empty = true; break; }
      key = fits ? (key as number) * sizes[k]! + c : `${key as string}${c},`;
    }
    if (empty) { groupOf[r] = -1; unkeyed++; continue; }
    let g = groups.get(key);
    if (g === undefined) { g = first.length; groups.set(key, g); first.push(r); }
    groupOf[r] = g;
  }
  return { groupOf, count: first.length, firstRow: Int32Array.from(first), unkeyed };
}

/**
 * One rollup column: `fn` over each group's rows of `input`, empty values skipped. `order`
 * lists the rows by the rolled-up source's time (by day, then file order) for first and last.
 */
export function rollupColumn(name: string, fn: RollupFn, input: Column | undefined, g: Grouping, order: Int32Array, text?: TextCodes): Column {
  const n = g.groupOf.length;
  const { groupOf } = g;
  if (fn === 'count') {
    const values = new Float64Array(g.count);
    for (let r = 0; r < n; r++) if (groupOf[r]! >= 0) values[groupOf[r]!]!++;
    return { name, type: 'number', values };
  }
  if (!input) throw new Error(`internal: rollup column ${name} needs an input column (tables.ts checks it)`);
  if (fn === 'count_distinct') {
    const codes = text!;
    const values = new Float64Array(g.count);
    const seen = new Set<number>();
    const width = codes.dict.length;
    for (let r = 0; r < n; r++) {
      const grp = groupOf[r]!;
      const c = codes.codes[r]!;
      if (grp < 0 || c < 0) continue;
      const k = grp * width + c;
      if (!seen.has(k)) { seen.add(k); values[grp]!++; }
    }
    return { name, type: 'number', values };
  }
  if (fn === 'first' || fn === 'last') return firstOrLast(name, fn, input, g, order);
  const values = input.type === 'number' ? input.values : input.type === 'date' ? input.days : undefined;
  if (!values) throw new Error(`internal: rollup ${fn} of a ${input.type} column (tables.ts checks it)`);
  const acc = new Float64Array(g.count).fill(NaN);
  const counts = fn === 'avg' ? new Float64Array(g.count) : undefined;
  for (let r = 0; r < n; r++) {
    const grp = groupOf[r]!;
    const v = values[r]!;
    if (grp < 0 || Number.isNaN(v)) continue;
    const a = acc[grp]!;
    if (fn === 'sum' || fn === 'avg') acc[grp] = Number.isNaN(a) ? v : a + v;
    else if (fn === 'min') acc[grp] = Number.isNaN(a) || v < a ? v : a;
    else acc[grp] = Number.isNaN(a) || v > a ? v : a;
    if (counts) counts[grp]!++;
  }
  if (counts) for (let i = 0; i < g.count; i++) if (counts[i]! > 0) acc[i] = acc[i]! / counts[i]!;
  return input.type === 'date' && (fn === 'min' || fn === 'max') ? { name, type: 'date', days: acc } : { name, type: 'number', values: acc };
}

/** The first (or last) non-empty value of each group, in time order. */
function firstOrLast(name: string, fn: 'first' | 'last', input: Column, g: Grouping, order: Int32Array): Column {
  const pick = new Int32Array(g.count).fill(-1);
  const empty = (r: number) => input.type === 'string' ? input.codes[r]! < 0 : input.type === 'boolean' ? input.values[r]! < 0 : Number.isNaN(input.type === 'date' ? input.days[r]! : input.values[r]!);
  for (let i = 0; i < order.length; i++) {
    const r = order[fn === 'first' ? i : order.length - 1 - i]!;
    const grp = g.groupOf[r]!;
    if (grp < 0 || pick[grp]! >= 0 || empty(r)) continue;
    pick[grp] = r;
  }
  return gather(input, pick, name);
}

/** Row indexes by day (empty times last), then file order. */
export function timeOrder(time: Float64Array | undefined, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!time) return order;
  const key = (r: number) => (Number.isNaN(time[r]!) ? Infinity : time[r]!);
  return order.sort((a, b) => key(a) - key(b) || a - b);
}
