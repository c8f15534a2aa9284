import * as path from 'node:path';
import { formatOf, rowsShape, type DataShape } from '../data/shape';
import { forEachNode } from '../language/analysis/references';
import type { Inferred, KpiInference } from '../language/analysis/infer';
import type { ColumnType } from '../data/table';
import type { KpiDef, SourceDef } from '../language/model';
import type { Scope, Workspace } from '../language/workspace';

/**
 * What editor features know of a source's data: its columns and their types, read from the
 * file's start through the host (cached there) or from inline rows. Shared by completion and hover.
 */

export interface ColumnInfo {
  name: string;
  /** Pinned with `columns:`, else guessed from the first rows; undefined when unknown or all empty. */
  type?: ColumnType;
  pinned: boolean;
}

function outside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && (rel.startsWith('..') || path.isAbsolute(rel));
}

/** The absolute path of a source's data file, if it has one. */
export function dataFileOf(src: SourceDef): string | undefined {
  return src.path ? path.resolve(path.dirname(src.file), src.path.value) : undefined;
}

/**
 * The shape of a source's data, or undefined when it cannot be known: no file, a file outside
 * the workspace (never read, as the checker refuses it), missing or unreadable.
 */
export function sourceShape(ws: Workspace, src: SourceDef): DataShape | undefined {
  if (src.rows) return rowsShape(src.rows.value);
  const abs = dataFileOf(src);
  if (!abs || outside(ws.root, abs)) return undefined;
  const real = ws.host.realpath(abs);
  if (real === undefined || outside(ws.host.realpath(ws.root) ?? ws.root, real)) return undefined;
  const format = formatOf(abs, src.format?.value);
  if (!format) return undefined;
  const result = ws.host.dataShape(abs, { format, delimiter: src.delimiter?.value, decimal: src.decimal?.value });
  return result.ok ? result.shape : undefined;
}


/** The columns of a source's data with their types (pinned types win); undefined when the data cannot be read. */
export function columnsOf(ws: Workspace, src: SourceDef): ColumnInfo[] | undefined {
  const shape = sourceShape(ws, src);
  if (!shape) return undefined;
  return shape.columns.map((name) => {
    const pinned = src.columns.get(name)?.value;
    const guessed = shape.types.get(name);
    const type = pinned ?? (guessed === 'empty' ? undefined : guessed);
    return type ? { name, type, pinned: !!pinned } : { name, pinned: false };
  });
}

/** The column a spec name refers to: exact, else the one equal ignoring case and surrounding spaces (as the checker matches). */
export function findColumn(columns: readonly ColumnInfo[], name: string): ColumnInfo | undefined {
  const exact = columns.find((c) => c.name === name);
  if (exact) return exact;
  const norm = (s: string) => s.trim().toLowerCase();
  const matches = columns.filter((c) => norm(c.name) === norm(name));
  return matches.length === 1 ? matches[0] : undefined;
}

/** The sources a KPI reads, through its metrics and the KPIs it uses (each once, cycle-safe). */
export function kpiSources(scope: Scope, kpi: KpiDef): SourceDef[] {
  const out = new Set<SourceDef>();
  const seen = new Set<KpiDef>();
  const stack = [kpi];
  while (stack.length) {
    const k = stack.pop()!;
    if (seen.has(k) || !k.formula) continue;
    seen.add(k);
    forEachNode(k.formula.expr, (e) => {
      if (e.kind !== 'name') return;
      const def = scope.names.get(e.name);
      if (def?.kind === 'kpi') stack.push(def);
      else if (def?.kind === 'metric' && def.source) {
        const src = scope.sources.get(def.source.value);
        if (src) out.add(src);
      }
    });
  }
  return [...out];
}

export const TYPE_NAMES: Record<ColumnType, string> = { string: 'text', number: 'number', date: 'date', boolean: 'true/false' };

/**
 * Unit inference of KPIs that never recurses deeply: before a KPI, the KPIs it uses are inferred
 * deepest first (an iterative walk), so the memoized inference only ever goes one level down,
 * even along a chain of 10,000 KPIs each using the one before.
 */
export class OrderedInference {
  private readonly seen = new Set<KpiDef>();

  constructor(
    readonly inference: KpiInference,
    private readonly scope: Scope,
  ) {}

  kpi(def: KpiDef): Inferred {
    const stack: [KpiDef, boolean][] = [[def, false]];
    while (stack.length) {
      const [k, ready] = stack.pop()!;
      if (ready) {
        this.inference.kpi(k);
        continue;
      }
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      stack.push([k, true]);
      if (!k.formula) continue;
      forEachNode(k.formula.expr, (e) => {
        if (e.kind !== 'name') return;
        const d = this.scope.get(e.name);
        if (d?.kind === 'kpi' && !this.seen.has(d)) stack.push([d, false]);
      });
    }
    return this.inference.kpi(def);
  }
}
