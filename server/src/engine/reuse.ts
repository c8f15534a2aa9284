import type { TableResult } from '../data/table';
import type { Definition, KpiDef, SourceDef } from '../language/model';
import type { RelationalTables } from './relations/tables';
import type { KpiResult } from './results';

/** A KPI's result and what it was computed from. */
export interface KeptResult {
  result: KpiResult;
  /** The KPI, the KPIs and metrics its formula reads (transitively), and their sources. */
  defs: readonly Definition[];
  /** Each source's table as read. */
  tables: readonly (readonly [SourceDef, TableResult | undefined])[];
}

/**
 * KPI results kept from one evaluation of a spec to the next, for the editor, where each edit
 * evaluates the spec again. A KPI's result is reused when nothing it is computed from changed:
 * the same definition objects (the incremental re-parse keeps every entry an edit did not touch,
 * and makes a new one for the entry it did), each still the one its id names and without
 * errors, the same tables (a changed data file is read into a new one) and the same evaluation
 * (`key`: options, grain, defaults, timeline). So a target or title edit recomputes that KPI
 * alone, and a formula edit that KPI and those that use it. The tables of rollups, lookups and
 * derived columns are kept the same way.
 *
 * Results are shared with the evaluations that reuse them: callers must not change them.
 */
export class KpiReuse {
  private key?: string;
  private kept = new WeakMap<KpiDef, KeptResult>();
  /** Results reused so far (for tests and benchmarks). */
  hits = 0;

  /** Starts an evaluation; one under another key forgets every result. */
  begin(key: string): void {
    if (key === this.key) return;
    this.key = key;
    this.kept = new WeakMap();
  }

  /** The result kept for a KPI, for the caller to check against what it is computed from now. */
  get(kpi: KpiDef): KeptResult | undefined {
    return this.kept.get(kpi);
  }

  set(kpi: KpiDef, kept: KeptResult): void {
    this.kept.set(kpi, kept);
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
