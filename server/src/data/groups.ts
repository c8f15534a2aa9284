import type { Measure } from './table';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Rows merged by a tuple of key codes (interned cells, -1 for empty): an open-addressing hash
 * table from tuple to group, with per group its number of rows and, per measure column, the
 * sum, count, minimum and maximum of its readable values (NaN = not readable or empty).
 */
export class Groups {
  count = 0;
  /** Key codes, `width` per group. */
  keys: Int32Array;
  weights: Float64Array;
  readonly measures: Measure[];
  private slots = new Int32Array(1024); // group + 1; 0 = free
  private hashes: Int32Array;
  private cap = 256;

  constructor(readonly width: number, measures: number) {
    this.keys = new Int32Array(this.cap * Math.max(width, 1));
    this.weights = new Float64Array(this.cap);
    this.hashes = new Int32Array(this.cap);
    this.measures = Array.from({ length: measures }, () => ({
      sum: new Float64Array(this.cap), count: new Float64Array(this.cap),
      min: new Float64Array(this.cap).fill(Infinity), max: new Float64Array(this.cap).fill(-Infinity),
    }));
  }

  /**
   * Adds `n` rows to their groups: row r's key is keys[j][r] for each key column j; its measure
   * values are values[m][r].
   */
  add(n: number, keys: Int32Array[], values: Float64Array[]): void {
    const w = this.width;
    const ms = this.measures;
    for (let r = 0; r < n; r++) {
      let h = FNV_OFFSET;
      for (let j = 0; j < w; j++) h = Math.imul(h ^ keys[j]![r]!, FNV_PRIME);
      h ^= h >>> 15;
      const g = this.find(keys, r, h);
      this.weights[g]++;
      for (let m = 0; m < ms.length; m++) {
        const v = values[m]![r]!;
        if (v !== v) continue;
        const a = ms[m]!;
        a.sum[g] += v;
        a.count[g]++;
        if (v < a.min[g]!) a.min[g] = v;
        if (v > a.max[g]!) a.max[g] = v;
      }
    }
  }

  /** The key code of column j for group g. */
  key(g: number, j: number): number {
    return this.keys[g * this.width + j]!;
  }

  private find(keys: Int32Array[], r: number, h: number): number {
    const w = this.width;
    const mask = this.slots.length - 1;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const g = this.slots[p]! - 1;
      if (g < 0) return this.make(keys, r, h, p);
      if (this.hashes[g] !== h) continue;
      let same = true;
      for (let j = 0; j < w; j++) if (this.keys[g * w + j] !== keys[j]![r]) { same = false; break; }
      if (same) return g;
    }
  }

  private make(keys: Int32Array[], r: number, h: number, p: number): number {
    const g = this.count++;
    if (g === this.cap) this.grow();
    const w = this.width;
    for (let j = 0; j < w; j++) this.keys[g * w + j] = keys[j]![r]!;
    this.hashes[g] = h;
    this.slots[p] = g + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return g;
  }

  private grow(): void {
    const cap = this.cap * 2;
    this.keys = copy(this.keys, cap * Math.max(this.width, 1), 0);
    this.weights = copy(this.weights, cap, 0);
    this.hashes = copy(this.hashes, cap, 0);
    for (const a of this.measures) {
      a.sum = copy(a.sum, cap, 0);
      a.count = copy(a.count, cap, 0);
      a.min = copy(a.min, cap, Infinity);
      a.max = copy(a.max, cap, -Infinity);
    }
    this.cap = cap;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let g = 0; g < this.count; g++) {
      let p = this.hashes[g]! & mask;
      while (slots[p] !== 0) p = (p + 1) & mask;
      slots[p] = g + 1;
    }
    this.slots = slots;
  }

  /** The measures cut to the groups made. */
  finish(): Measure[] {
    const n = this.count;
    return this.measures.map((a) => ({ sum: a.sum.subarray(0, n), count: a.count.subarray(0, n), min: a.min.subarray(0, n), max: a.max.subarray(0, n) }));
  }
}

function copy<T extends Int32Array | Float64Array>(a: T, n: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
