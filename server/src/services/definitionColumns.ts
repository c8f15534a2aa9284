import * as path from 'node:path';
import { matchColumn } from '../data/columnNames';
import { formatOf } from '../data/shape';
import type { SourceDef } from '../language/model';
import type { Span } from '../language/span';
import type { Workspace } from '../language/workspace';
import { get } from '../language/yaml/tree';
import type { Location } from './types';

/** A column of a source's data and where it is written: a CSV header cell, a JSON file, an inline row key. */
export interface ColumnPlace {
  name: string;
  location: Location;
}

/**
 * Every column of a source's data with its place, read through the workspace host (only the
 * start of a data file). Empty when the data cannot be read.
 */
export function sourceColumns(ws: Workspace, src: SourceDef): ColumnPlace[] {
  if (src.rows) {
    const out: ColumnPlace[] = [];
    const seen = new Set<string>();
    const rows = get(src.node, 'rows');
    if (rows?.kind !== 'seq') return out;
    for (const row of rows.items) {
      if (row.kind !== 'map') continue;
      for (const p of row.pairs) {
        const name = String(p.key.value);
        if (seen.has(name)) continue;
        seen.add(name);
        out.push({ name, location: { file: src.file, span: p.key.span } });
      }
    }
    return out;
  }
  if (!src.path) return [];
  const abs = path.resolve(path.dirname(src.file), src.path.value);
  if (ws.host.realpath(abs) === undefined) return [];
  const format = formatOf(abs, src.format?.value);
  if (!format) return [];
  const delimiter = src.delimiter?.value;
  const result = ws.host.dataShape(abs, { format, delimiter, decimal: src.decimal?.value });
  if (!result.ok) return [];
  const { columns, headerText } = result.shape;
  if (format === 'csv' && headerText !== undefined) {
    const cells = headerCells(headerText, delimiter ?? ',');
    return columns.map((name, i) => ({ name, location: { file: abs, span: cells[i] ?? { offset: 0, length: 0 } } }));
  }
  return columns.map((name) => ({ name, location: { file: abs, span: { offset: 0, length: 0 } } }));
}

/** Where a column named in the spec (exactly, or ignoring case and spaces) is in each source's data. */
export function columnLocations(ws: Workspace, sources: readonly SourceDef[], name: string): Location[] {
  const out: Location[] = [];
  for (const src of sources) {
    const cols = sourceColumns(ws, src);
    const found = matchColumn(name, cols.map((c) => c.name));
    const place = found === undefined ? undefined : cols.find((c) => c.name === found);
    if (place && !out.some((l) => l.file === place.location.file && l.span.offset === place.location.span.offset)) out.push(place.location);
  }
  return out;
}

/** The span of each cell's name in a CSV header line: surrounding spaces and quotes excluded. */
export function headerCells(header: string, delimiter: string): Span[] {
  const cells: Span[] = [];
  let i = 0;
  for (;;) {
    let start = i;
    while (start < header.length && (header[start] === ' ' || header[start] === '\t') && header[start] !== delimiter) start++;
    if (header[start] === '"') {
      let j = start + 1;
      while (j < header.length && !(header[j] === '"' && header[j + 1] !== '"')) j += header[j] === '"' ? 2 : 1;
      const inner = header.slice(start + 1, j);
      const lead = inner.length - inner.trimStart().length;
      cells.push({ offset: start + 1 + lead, length: inner.trim().length });
      const next = header.indexOf(delimiter, j + 1);
      if (next < 0) break;
      i = next + delimiter.length;
    } else {
      const next = header.indexOf(delimiter, start);
      const end = next < 0 ? header.length : next;
      const raw = header.slice(start, end);
      cells.push({ offset: start, length: raw.trimEnd().length });
      if (next < 0) break;
      i = next + delimiter.length;
    }
  }
  return cells;
}

/**
 * The header name of a column of the source's data matching `name` (as the checker matches)
 * whose type is a number (pinned in `columns:`, else guessed from the first rows), if any.
 */
export function numericColumn(ws: Workspace, src: SourceDef, name: string): string | undefined {
  let columns: string[];
  let typeOf: (col: string) => string | undefined;
  if (src.rows) {
    columns = sourceColumns(ws, src).map((c) => c.name);
    typeOf = (col) => {
      const values = src.rows!.value.map((r) => r[col]).filter((v) => v !== null && v !== undefined && v !== '');
      return values.length && values.every((v) => typeof v === 'number') ? 'number' : 'other';
    };
  } else {
    if (!src.path) return undefined;
    const abs = path.resolve(path.dirname(src.file), src.path.value);
    const format = formatOf(abs, src.format?.value);
    if (!format || ws.host.realpath(abs) === undefined) return undefined;
    const result = ws.host.dataShape(abs, { format, delimiter: src.delimiter?.value, decimal: src.decimal?.value });
    if (!result.ok) return undefined;
    columns = result.shape.columns;
    const types = result.shape.types;
    typeOf = (col) => types.get(col);
  }
  const found = matchColumn(name, columns);
  if (found === undefined) return undefined;
  return (src.columns.get(found)?.value ?? typeOf(found)) === 'number' ? found : undefined;
}
