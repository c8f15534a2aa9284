import type { Column } from '../data/table';

/** 1 for a row with a value, NaN for a null: what `count` of a column counts, whatever its type. */
export function presence(col: Column): (r: number) => number {
  switch (col.type) {
    case 'string': { const c = col.codes; return (r) => (c[r]! < 0 ? NaN : 1); }
    case 'number': { const v = col.values; return (r) => (Number.isNaN(v[r]!) ? NaN : 1); }
    case 'date': { const v = col.days; return (r) => (Number.isNaN(v[r]!) ? NaN : 1); }
    case 'boolean': { const v = col.values; return (r) => (v[r] === -1 ? NaN : 1); }
  }
}
