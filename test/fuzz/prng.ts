/** mulberry32: a tiny seeded PRNG, so every fuzz case can be replayed from its seed. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A whole number in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** The seed of case `i` of a run: cases are independent, so one can be replayed alone. */
export function caseSeed(runSeed: number, i: number): number {
  return (Math.imul(runSeed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77)) >>> 0;
}

/** The run's seed and case count: from the environment (KPISPEC_FUZZ_SEED, KPISPEC_FUZZ_CASES) or the defaults. */
export function fuzzSettings(defaults: { seed: number; cases: number }): { seed: number; cases: number } {
  const seed = process.env.KPISPEC_FUZZ_SEED ? Number(process.env.KPISPEC_FUZZ_SEED) : defaults.seed;
  const cases = process.env.KPISPEC_FUZZ_CASES ? Number(process.env.KPISPEC_FUZZ_CASES) : defaults.cases;
  if (!Number.isInteger(seed) || !Number.isInteger(cases) || cases < 0) throw new Error('KPISPEC_FUZZ_SEED and KPISPEC_FUZZ_CASES must be whole numbers');
  return { seed, cases };
}
