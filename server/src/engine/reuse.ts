import type { KpiDef } from '../language/model';
import type { RelationalTables } from './relations/tables';
import type { KpiResult } from './results';

/**
 * KPI results kept from one evaluation of a spec to the next, for the editor, where each edit
 * evaluates the spec again. A KPI's result is reused when nothing it is computed from changed:
 * the same definition objects (the incremental re-parse keeps every entry an edit did not touch,
 * and makes a new one for the entry it did), the same tables (a changed data file is read into a
 * new one) and the same evaluation (`key`: options, grain, defaults, timeline). So a target or
 * title edit recomputes that KPI alone, and a formula edit that KPI and those that use it. The
 * tables of rollups, lookups and derived columns are kept the same way.
 *
 * Results are shared with the evaluations that reuse them: callers must not change them.
 */
export class KpiReuse {
  private key?: string;
  private kept = new WeakMap<KpiDef, { inputs: readonly unknown[]; result: KpiResult }>();
  /** Results reused so far (for tests and benchmarks). */
  hits = 0;

  /** Starts an evaluation; one under another key forgets every result. */
  begin(key: string): void {
    if (key === this.key) return;
    this.key = key;
    this.kept = new WeakMap();
  }

  get(kpi: KpiDef, inputs: readonly unknown[]): KpiResult | undefined {
    const e = this.kept.get(kpi);
    if (!e || !same(e.inputs, inputs)) return undefined;
    this.hits++;
    return e.result;
  }

  set(kpi: KpiDef, inputs: readonly unknown[], result: KpiResult): void {
    this.kept.set(kpi, { inputs, result });
  }

  private relational?: { signature: unknown[]; tables: RelationalTables };

  /** The tables of the relational graph: the kept ones when built from the same (see RelationalTables.signature). */
  relations(fresh: RelationalTables): RelationalTables {
    const signature = fresh.signature();
    if (this.relational && same(this.relational.signature, signature)) return this.relational.tables;
    this.relational = { signature, tables: fresh };
    return fresh;
  }
}

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
