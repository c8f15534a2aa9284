import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Range } from 'vscode-languageserver';
import { LineIndex } from '../language/lineIndex';
import type { Problem } from '../language/problem';
import { changedRange } from '../language/reparse';
import type { Span } from '../language/span';

export function uriToPath(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return URI.file(file).toString();
}

/** Line indexes by text, so a file's offsets convert without re-scanning it. */
export class Lines {
  private readonly cache = new Map<string, { text: string; index: LineIndex }>();
  private readonly disk = new DiskTexts();

  constructor(private readonly textOf: (file: string) => string | undefined) {}

  index(file: string): LineIndex {
    const text = this.textOf(file) ?? this.disk.read(file);
    const cached = this.cache.get(file);
    if (cached && cached.text === text) return cached.index;
    // A large file after an edit: only the lines around the change are read again.
    const index = cached && text.length > 100_000 ? edited(cached.index, text) : new LineIndex(text);
    this.cache.set(file, { text, index });
    return index;
  }

  range(file: string, span: Span): Range {
    const idx = this.index(file);
    return { start: idx.positionAt(span.offset), end: idx.positionAt(span.offset + span.length) };
  }

  offset(file: string, position: { line: number; character: number }): number {
    return this.index(file).offsetAt(position);
  }
}

function edited(index: LineIndex, text: string): LineIndex {
  const { at, oldEnd, newEnd } = changedRange(index.text, text);
  return index.edited(text, at, oldEnd, newEnd);
}

/** Positions in a data file (its header, mostly) are found in its first 16 MB; later ones clamp there. */
const READ_LIMIT = 16 * 1024 * 1024;

/** Files neither open nor specs (data files), read once per size and modification time. */
class DiskTexts {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; text: string }>();

  read(file: string): string {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return '';
    }
    // Only regular files: opening a FIFO would wait for a writer.
    if (!stat.isFile()) return '';
    const cached = this.cache.get(file);
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.text;
    const text = readStart(file, Math.min(stat.size, READ_LIMIT));
    this.cache.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, text });
    return text;
  }
}

function readStart(file: string, bytes: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      return buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, bytes, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

export function toDiagnostic(p: Problem, lines: Lines): Diagnostic {
  const d: Diagnostic = {
    range: lines.range(p.file, p.span),
    severity: SEVERITY[p.severity],
    code: p.rule,
    source: 'kpispec',
    message: p.message,
  };
  if (p.rule === 'unused-metric' || p.rule === 'unused-suppression') d.tags = [DiagnosticTag.Unnecessary];
  if (p.related?.length) d.relatedInformation = p.related.map((r) => ({ location: { uri: pathToUri(r.file), range: lines.range(r.file, r.span) }, message: r.message }));
  if (p.data) d.data = p.data;
  return d;
}
