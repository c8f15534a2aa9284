/**
 * A unit as powers of base units: `{ 'CNY': 1, count: -1 }` is CNY per count. The empty unit
 * is a ratio (dimensionless). `null` stands for a plain number literal, which takes any unit.
 */
export type Unit = Readonly<Record<string, number>>;

export const RATIO: Unit = Object.freeze({});

export function baseUnit(name: string): Unit {
  return Object.freeze({ [name]: 1 });
}

function combine(a: Unit, b: Unit, sign: 1 | -1): Unit {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const n = (out[k] ?? 0) + sign * v;
    if (n === 0) delete out[k];
    else out[k] = n;
  }
  return Object.freeze(out);
}

export const multiply = (a: Unit, b: Unit): Unit => combine(a, b, 1);
export const divide = (a: Unit, b: Unit): Unit => combine(a, b, -1);

export function sameUnit(a: Unit, b: Unit): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

export function isRatio(u: Unit): boolean {
  return Object.keys(u).length === 0;
}

/** `CNY`, `CNY per count`, `seconds per count`, `ratio`, `count²`. */
export function describeUnit(u: Unit | null): string {
  if (u === null) return 'number';
  const up = Object.entries(u).filter(([, v]) => v > 0).sort(([a], [b]) => a.localeCompare(b));
  const down = Object.entries(u).filter(([, v]) => v < 0).sort(([a], [b]) => a.localeCompare(b));
  if (!up.length && !down.length) return 'ratio';
  const part = (list: [string, number][]) => list.map(([k, v]) => (Math.abs(v) === 1 ? k : `${k}^${Math.abs(v)}`)).join('·');
  if (!down.length) return part(up);
  return `${up.length ? part(up) : '1'} per ${part(down)}`;
}
