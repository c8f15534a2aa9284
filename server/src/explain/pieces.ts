import * as path from 'node:path';
import type { Host, ReadResult } from '../data/host';
import type { ShapeOptions, ShapeResult } from '../data/shape';
import type { DataAccess, EvalOptions } from '../engine/run';
import { evaluateSpec } from '../engine/run';
import type { EvalResult } from '../engine/results';
import { Workspace } from '../language/workspace';
import { pieceKey, type Piece } from './kpiShape';

/**
 * The engine computes the pieces an explanation needs — the sums of a ratio's numerator and
 * denominator per period and group, a derived KPI's inputs per period — as KPIs of a spec
 * made for the purpose: it imports the spec explained and defines one KPI per piece (and the
 * metrics an average is split into), broken down by the dimensions asked for. Evaluating it
 * reads the same sources through the same tables, filters and relations, on the same timeline
 * (the pieces come from the same sources as the KPIs they explain). The spec lives in memory
 * only, beside the spec explained.
 */
export interface PieceRequest {
  piece: Piece;
  dimensions: string[];
}

export interface PieceValues {
  /** The period keys of the evaluation. */
  periods: string[];
  /** A piece's value over all rows, per period (null: no data); undefined when it was not computed. */
  total(piece: Piece): (number | null)[] | undefined;
  /** A piece's values per group of a dimension, per period; undefined when that breakdown was not computed. */
  groups(piece: Piece, dimension: string): Map<string | null, (number | null)[]> | undefined;
  /** Problems of the evaluation (data problems are those of the spec explained, reported there). */
  problems: string[];
}

/** The name of the in-memory spec, beside the spec explained (it imports it by its file name). */
export function piecesFile(file: string): string {
  return path.join(path.dirname(file), `.kpispec-explain-${path.basename(file)}`);
}

export function computePieces(ws: Workspace, file: string, requests: PieceRequest[], options: EvalOptions, data: DataAccess): PieceValues {
  const spec = ws.load(file).parsed?.spec;
  const taken = new Set(ws.scope(file).names.keys());
  const fresh = (base: string) => {
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    return id;
  };
  // One KPI per piece, broken down by every dimension asked for it.
  const byKey = new Map<string, { piece: Piece; dimensions: Set<string>; kpi: string }>();
  for (const r of requests) {
    const key = pieceKey(r.piece);
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { piece: r.piece, dimensions: new Set(), kpi: '' }));
    for (const d of r.dimensions) entry.dimensions.add(d);
  }
  const q = (s: string) => JSON.stringify(s);
  const metrics: string[] = [];
  const kpis: string[] = [];
  let n = 0;
  for (const entry of byKey.values()) {
    n++;
    entry.kpi = fresh(`kpispec_explain_${n}`);
    let formula: string;
    if ('formula' in entry.piece) formula = entry.piece.formula;
    else {
      const m = entry.piece.metric;
      formula = fresh(`kpispec_explain_metric_${n}`);
      metrics.push(`  ${formula}: { source: ${q(m.source)}, agg: ${m.agg}, column: ${q(m.column)}${m.where !== undefined ? `, where: ${q(m.where)}` : ''} }`);
    }
    kpis.push(`  ${entry.kpi}: { formula: ${q(formula)}${entry.dimensions.size ? `, by: [${[...entry.dimensions].map(q).join(', ')}]` : ''} }`);
  }
  const periods: string[] = [];
  const found = new Map<string, EvalResult['kpis'][number]>();
  let problems: string[] = [];
  if (byKey.size && spec) {
    const d = spec.defaults;
    const text = [
      'kpispec: 1',
      `imports: [${q(path.basename(file))}]`,
      `defaults: { grain: ${q(d.grain)}, currency: ${q(d.currency)}, timezone: ${q(d.timezone)}${d.locale !== undefined ? `, locale: ${q(d.locale)}` : ''} }`,
      ...(metrics.length ? ['metrics:', ...metrics] : []),
      'kpis:',
      ...kpis,
      '',
    ].join('\n');
    const virtual = piecesFile(file);
    const pieces = new Workspace(new WithFile(ws.host, virtual, text), ws.root, { modelOnly: true });
    // No check: the spec explained was checked; an error of its own stops what it touches there.
    const result = evaluateSpec(pieces, virtual, { ...options, by: undefined, kpis: undefined }, data, []);
    periods.push(...result.periods.map((p) => p.key));
    for (const k of result.kpis) found.set(k.id, k);
    problems = result.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  }
  const entryOf = (piece: Piece) => byKey.get(pieceKey(piece));
  return {
    periods,
    problems,
    total(piece) {
      const k = found.get(entryOf(piece)?.kpi ?? '');
      return k && periods.map((key, i) => (k.series[i]?.period === key ? k.series[i]!.value : null));
    },
    groups(piece, dimension) {
      const b = found.get(entryOf(piece)?.kpi ?? '')?.breakdowns.find((x) => x.dimension === dimension);
      if (!b) return undefined;
      return new Map(b.rows.map((r) => [r.group, periods.map((key, i) => (r.series[i]?.period === key ? r.series[i]!.value : null))]));
    },
  };
}

/** A host that also holds one file in memory. */
class WithFile implements Host {
  constructor(private readonly base: Host, private readonly file: string, private readonly text: string) {}

  readSpec(file: string): ReadResult {
    return file === this.file ? { ok: true, text: this.text } : this.base.readSpec(file);
  }

  realpath(file: string): string | undefined {
    return file === this.file ? file : this.base.realpath(file);
  }

  listDir(dir: string): string[] {
    return this.base.listDir(dir);
  }

  dataShape(file: string, options: ShapeOptions): ShapeResult {
    return this.base.dataShape(file, options);
  }
}
