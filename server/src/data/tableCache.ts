import * as fs from 'node:fs';
import { TableMemo } from './tableMemo';
import { readTableFile, type ReadOptions, type TableResult } from './readTable';

/**
 * Parsed tables by path, size, mtime and read options: a formula edit never re-reads data,
 * and a changed file is read again.
 */
export class TableCache {
  /** Aggregates derived from the cached tables, dropped with them. */
  readonly memo = new TableMemo();
  private readonly tables = new Map<string, { key: string; result: TableResult }>();

  constructor(private readonly onRead?: (path: string, bytes: number) => void) {}

  file(path: string, options: ReadOptions): TableResult {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path);
    } catch {
      return readTableFile(path, options); // reports the missing file
    }
    const key = `${stat.size}:${stat.mtimeMs}:${JSON.stringify(options)}`;
    const cached = this.tables.get(path);
    if (cached?.key === key) return cached.result;
    this.onRead?.(path, stat.size);
    const result = readTableFile(path, options);
    this.tables.set(path, { key, result });
    return result;
  }
}
