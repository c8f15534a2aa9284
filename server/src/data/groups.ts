import type { Measure } from './table';

const BLOCK_BITS = 11;
const BLOCK = 1 << BLOCK_BITS;
/** Integers up to 2^53 are exact doubles: room for every key's bits side by side. */
const MAX_BITS = 53;

/**
 * Rows merged by a tuple of key codes (interned cells, -1 for empty). The tuple is packed into
 * one number (each key's code in bits of its own, widened as its dictionary grows), so finding
 * a row's group is one hash and one compare. Per group: its number of rows and, per measure
 * column, the sum, count, minimum and maximum of its readable values (NaN = not readable or
 * empty), side by side in blocks of groups that are added, never copied.
 */
export class Groups {
  count = 0;
  /** Set when the keys need more than MAX_BITS: rows are then not merged. */
  tooWide = false;
  /** Key codes, `width` per group. */
  private keys: Int32Array;
  /** Each group's packed key. */
  private packed: Float64Array;
  private slots = new Int32Array(8192); // group + 1; 0 = free
  private cap = 4096;
  /** Per key: its bits, and the multiplier that puts its code + 1 in place. */
  private readonly bits: Int32Array;
  private readonly place: Float64Array;
  /** Per group: rows, then sum, count, min and max per measure; BLOCK groups per block. */
  private readonly blocks: Float64Array[] = [];
  private readonly stride: number;
  /** The group of each row of the batch being added. */
  private groupOf = new Int32Array(0);

  /** Per measure, whether its minimum and maximum are kept (else only its sum and count). */
  constructor(readonly width: number, private readonly measures: number, private readonly extremes: boolean[]) {
    this.stride = 1 + 4 * measures;
    this.keys = new Int32Array(this.cap * Math.max(width, 1));
    this.packed = new Float64Array(this.cap);
    this.bits = new Int32Array(width).fill(1);
    this.place = new Float64Array(width);
    this.layout();
  }

  /**
   * Adds `n` rows to their groups: row r's key is keys[j][r] for each key column j, a code below
   * sizes[j]; its measure values are values[m][r]. Does nothing once tooWide.
   */
  add(n: number, keys: Int32Array[], values: Float64Array[], sizes: number[]): void {
    if (!this.fit(sizes)) return;
    if (this.groupOf.length < n) this.groupOf = new Int32Array(n);
    const groupOf = this.groupOf;
    const w = this.width;
    const place = this.place;
    for (let r = 0; r < n; r++) {
      let k = 0;
      for (let j = 0; j < w; j++) k += (keys[j]![r]! + 1) * place[j]!;
      groupOf[r] = this.find(k, keys, r);
    }
    // Column by column: each loop reads one array of values.
    const blocks = this.blocks;
    const stride = this.stride;
    for (let r = 0; r < n; r++) {
      const g = groupOf[r]!;
      blocks[g >>> BLOCK_BITS]![(g & (BLOCK - 1)) * stride]++;
    }
    for (let m = 0; m < this.measures; m++) {
      const o = 1 + 4 * m;
      const vs = values[m]!;
      const extremes = this.extremes[m];
      for (let r = 0; r < n; r++) {
        const v = vs[r]!;
        if (v !== v) continue;
        const g = groupOf[r]!;
        const stats = blocks[g >>> BLOCK_BITS]!;
        const at = (g & (BLOCK - 1)) * stride + o;
        const seen = stats[at + 1]!;
        stats[at] += v;
        stats[at + 1] = seen + 1;
        if (!extremes) continue;
        if (seen === 0 || v < stats[at + 2]!) stats[at + 2] = v;
        if (seen === 0 || v > stats[at + 3]!) stats[at + 3] = v;
      }
    }
  }

  /** The key code of column j for group g. */
  key(g: number, j: number): number {
    return this.keys[g * this.width + j]!;
  }

  /** Rows per group. */
  weights(): Float64Array {
    return this.figure(0);
  }

  /**
   * Each measure's figures per group, each made when first read (a sum needs no minimum). Without
   * values, min and max are +Infinity and -Infinity; they are kept only for measures with extremes.
   */
  measureStats(): Measure[] {
    const groups = this;
    return Array.from({ length: this.measures }, (_, m) => {
      const o = 1 + 4 * m;
      let sum: Float64Array | undefined;
      let count: Float64Array | undefined;
      let min: Float64Array | undefined;
      let max: Float64Array | undefined;
      return {
        get sum() { return (sum ??= groups.figure(o)); },
        get count() { return (count ??= groups.figure(o + 1)); },
        get min() { return (min ??= groups.extreme(o + 2, this.count, Infinity)); },
        get max() { return (max ??= groups.extreme(o + 3, this.count, -Infinity)); },
      };
    });
  }

  private extreme(offset: number, count: Float64Array, none: number): Float64Array {
    const out = this.figure(offset);
    for (let g = 0; g < out.length; g++) if (count[g] === 0) out[g] = none;
    return out;
  }

  /** One figure of every group, by its offset in a group's stats. */
  private figure(offset: number): Float64Array {
    const out = new Float64Array(this.count);
    const stride = this.stride;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const base = b * BLOCK;
      const n = Math.min(BLOCK, this.count - base);
      for (let i = 0; i < n; i++) out[base + i] = block[i * stride + offset]!;
    }
    return out;
  }

  /** Widens the keys whose codes may not fit their bits, and packs the groups again. */
  private fit(sizes: number[]): boolean {
    if (this.tooWide) return false;
    let wider = false;
    for (let j = 0; j < this.width; j++) {
      // Codes + 1 (0 is empty), with a bit to spare so that a growing dictionary rarely repacks.
      const need = 32 - Math.clz32(sizes[j]!) + 1;
      if (need > this.bits[j]!) { this.bits[j] = need; wider = true; }
    }
    if (!wider) return true;
    if (this.bits.reduce((a, b) => a + b, 0) > MAX_BITS) {
      this.tooWide = true;
      return false;
    }
    this.layout();
    this.slots.fill(0);
    const mask = this.slots.length - 1;
    for (let g = 0; g < this.count; g++) {
      let k = 0;
      for (let j = 0; j < this.width; j++) k += (this.keys[g * this.width + j]! + 1) * this.place[j]!;
      this.packed[g] = k;
      let p = hash(k) & mask;
      while (this.slots[p] !== 0) p = (p + 1) & mask;
      this.slots[p] = g + 1;
    }
    return true;
  }

  private layout(): void {
    let at = 1;
    for (let j = 0; j < this.width; j++) {
      this.place[j] = at;
      at *= 2 ** this.bits[j]!;
    }
  }

  private find(k: number, keys: Int32Array[], r: number): number {
    const mask = this.slots.length - 1;
    for (let p = hash(k) & mask; ; p = (p + 1) & mask) {
      const g = this.slots[p]! - 1;
      if (g < 0) return this.make(k, keys, r, p);
      if (this.packed[g] === k) return g;
    }
  }

  private make(k: number, keys: Int32Array[], r: number, p: number): number {
    const g = this.count++;
    if (g === this.cap) this.grow();
    if ((g & (BLOCK - 1)) === 0) this.blocks.push(new Float64Array(BLOCK * this.stride));
    const w = this.width;
    for (let j = 0; j < w; j++) this.keys[g * w + j] = keys[j]![r]!;
    this.packed[g] = k;
    this.slots[p] = g + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return g;
  }

  private grow(): void {
    this.cap *= 2;
    const keys = new Int32Array(this.cap * Math.max(this.width, 1));
    keys.set(this.keys);
    this.keys = keys;
    const packed = new Float64Array(this.cap);
    packed.set(this.packed);
    this.packed = packed;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let g = 0; g < this.count; g++) {
      let p = hash(this.packed[g]!) & mask;
      while (slots[p] !== 0) p = (p + 1) & mask;
      slots[p] = g + 1;
    }
    this.slots = slots;
  }
}

/** A packed key's hash: its low and high 32 bits mixed (murmur3's finalizer). */
function hash(k: number): number {
  let h = (k | 0) ^ Math.imul((k / 4294967296) | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
