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

  /**
   * Files larger than this are not read (the editor's `kpispec.data.maxFileSizeMB`); 0 reads any
   * size. The command line sets no limit.
   */
  maxBytes = 0;

  constructor(private readonly onRead?: (path: string, bytes: number) => void) {}

  file(path: string, options: ReadOptions): TableResult {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path);
    } catch {
      return readTableFile(path, options); // reports the missing file
    }
    if (this.maxBytes > 0 && stat.size > this.maxBytes) {
      const mb = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
      const message = `the file is ${mb(stat.size)}, over the editor's ${mb(this.maxBytes)} limit for data files (setting kpispec.data.maxFileSizeMB; \`kpispec eval\` reads any size)`;
      return { problems: [{ kind: 'unreadable-file', message, count: 1, examples: [] }] };
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
