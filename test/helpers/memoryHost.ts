import * as path from 'node:path';
import { shapeFromText } from '../../server/src/data/shape';
import { decodeSpec } from '../../server/src/data/nodeHost';
import { checkFiles, type FileCheck } from '../../server/src/language/analysis/analyze';
import type { Host, ReadResult } from '../../server/src/data/host';
import { LineIndex } from '../../server/src/language/lineIndex';
import { Workspace } from '../../server/src/language/workspace';

export const ROOT = '/ws';

/** A host over an in-memory file tree rooted at /ws: tests never touch the disk. */
export class MemoryHost implements Host {
  readonly files = new Map<string, string | Uint8Array>();

  constructor(files: Record<string, string | Uint8Array>) {
    for (const [name, content] of Object.entries(files)) this.files.set(path.resolve(ROOT, name), content);
  }

  readSpec(file: string): ReadResult {
    const content = this.files.get(file);
    if (content === undefined) return { ok: false, reason: 'missing', message: 'the file does not exist' };
    return typeof content === 'string' ? { ok: true, text: content } : decodeSpec(content);
  }

  listDir(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    return [...this.files.keys()].filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/')).map((f) => f.slice(prefix.length));
  }

  realpath(file: string): string | undefined {
    return this.files.has(file) ? file : undefined;
  }

  dataShape(file: string, options: Parameters<Host['dataShape']>[1]) {
    const content = this.files.get(file);
    if (content === undefined) return { ok: false as const, message: 'it does not exist' };
    return shapeFromText(String(content), true, options);
  }
}

/** Checks the named files of an in-memory workspace. */
export function check(files: Record<string, string | Uint8Array>, entries = [Object.keys(files).find((f) => /\.kpi\.ya?ml$/.test(f))!]): FileCheck[] {
  const ws = new Workspace(new MemoryHost(files), ROOT);
  return checkFiles(ws, entries.map((e) => path.resolve(ROOT, e)));
}

/** `rule@line:col` (1-based) for each problem of the first checked file: compact to assert on. */
export function brief(files: Record<string, string | Uint8Array>, entries?: string[]): string[] {
  const [result] = check(files, entries);
  const lines = new LineIndex(result!.text);
  return result!.problems.map((p) => {
    const pos = lines.positionAt(p.span.offset);
    return `${p.rule}@${pos.line + 1}:${pos.character + 1}`;
  });
}

/** The problems of the first checked file. */
export function problemsOf(files: Record<string, string | Uint8Array>, entries?: string[]) {
  return check(files, entries)[0]!.problems;
}

/** A small valid spec with web data; pass extra YAML to append under the given sections. */
export function spec(parts: { metrics?: string; kpis?: string; goals?: string; head?: string } = {}): string {
  return [
    'kpispec: 1',
    'name: Test',
    parts.head ?? 'defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }',
    'sources:',
    '  web: { file: web.csv, time: date, dimensions: [channel] }',
    'metrics:',
    '  sessions: { source: web, agg: sum, column: sessions }',
    '  bounces: { source: web, agg: sum, column: bounces }',
    '  revenue: { source: web, agg: sum, column: revenue, unit: currency }',
    '  spend: { source: web, agg: sum, column: spend, currency: USD }',
    '  seconds: { source: web, agg: sum, column: seconds, unit: seconds }',
    parts.metrics ?? '',
    'kpis:',
    '  k_traffic: { formula: sessions + bounces }',
    '  k_money: { formula: revenue / sessions, format: currency }',
    '  k_usd: { formula: spend / sessions, format: currency }',
    '  k_time: { formula: seconds / sessions, format: duration }',
    parts.kpis ?? '',
    parts.goals ? `goals:\n${parts.goals}` : '',
  ].filter((l) => l !== '').join('\n') + '\n';
}

export const WEB_CSV = 'date,channel,sessions,bounces,revenue,spend,seconds\n2026-01-01,email,10,3,100.5,20,300\n2026-01-02,organic,20,5,80,10,500\n';
