/**
 * Interns byte ranges: an open-addressing hash table over UTF-8 bytes, so a text column of a
 * million rows with a dozen distinct values makes a dozen strings, not a million. A value's
 * bytes are copied into an arena once, when first seen; every other sighting is a hash and a
 * compare.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export class ByteDict {
  size = 0;
  private slots = new Int32Array(1024); // code + 1; 0 = free
  private hashes = new Int32Array(256);
  private offsets = new Int32Array(256);
  private lengths = new Int32Array(256);
  private arena = Buffer.allocUnsafe(4096);
  private used = 0;

  intern(buf: Uint8Array, s: number, e: number): number {
    let h = FNV_OFFSET;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
    return this.internHashed(buf, s, e, h);
  }

  /** `fnv` is the FNV-1a hash of the bytes, computed by a caller that scanned them anyway. */
  internHashed(buf: Uint8Array, s: number, e: number, fnv: number): number {
    const h = fnv ^ (fnv >>> 15);
    const mask = this.slots.length - 1;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const k = this.slots[p]! - 1;
      if (k < 0) return this.add(buf, s, e, h, p);
      if (this.hashes[k] === h && this.lengths[k] === e - s && this.same(k, buf, s, e)) return k;
    }
  }

  /** The entries as strings, by code. */
  strings(): string[] {
    const out = new Array<string>(this.size);
    for (let k = 0; k < this.size; k++) out[k] = this.arena.toString('utf8', this.offsets[k]!, this.offsets[k]! + this.lengths[k]!);
    return out;
  }

  /** An entry's bytes (a view into the arena). */
  bytes(k: number): Buffer {
    return this.arena.subarray(this.offsets[k]!, this.offsets[k]! + this.lengths[k]!);
  }

  private same(k: number, buf: Uint8Array, s: number, e: number): boolean {
    const a = this.arena;
    for (let i = s, j = this.offsets[k]!; i < e; i++, j++) if (a[j] !== buf[i]) return false;
    return true;
  }

  private add(buf: Uint8Array, s: number, e: number, h: number, p: number): number {
    const k = this.size++;
    if (k === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.offsets = grow(this.offsets);
      this.lengths = grow(this.lengths);
    }
    const n = e - s;
    if (this.used + n > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + n));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
    }
    this.arena.set(buf.subarray(s, e), this.used);
    this.hashes[k] = h;
    this.offsets[k] = this.used;
    this.lengths[k] = n;
    this.used += n;
    this.slots[p] = k + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return k;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.size; k++) {
      let p = this.hashes[k]! & mask;
      while (slots[p] !== 0) p = (p + 1) & mask;
      slots[p] = k + 1;
    }
    this.slots = slots;
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
