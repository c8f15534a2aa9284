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

  constructor(private readonly textOf: (file: string) => string | undefined) {}

  index(file: string): LineIndex {
    const text = this.textOf(file) ?? readQuietly(file);
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

function readQuietly(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
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
