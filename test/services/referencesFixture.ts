import * as path from 'node:path';
import { LineIndex } from '../../server/src/language/lineIndex';
import type { Span } from '../../server/src/language/span';
import { Workspace } from '../../server/src/language/workspace';
import { snapshotOf, type Snapshot } from '../../server/src/services/snapshot';
import type { Edit, Location } from '../../server/src/services/types';
import { MemoryHost, ROOT } from '../helpers/memoryHost';

/** The caret marker in fixture text: stripped before use, its offsets remembered. */
export const CARET = '^';

/** Removes every caret from the text and returns the offsets where they stood. */
export function strip(marked: string): { text: string; carets: number[] } {
  const parts = marked.split(CARET);
  const carets: number[] = [];
  let text = parts[0]!;
  for (const part of parts.slice(1)) {
    carets.push(text.length);
    text += part;
  }
  return { text, carets };
}

export interface Fixture {
  ws: Workspace;
  host: MemoryHost;
  /** Absolute path of a fixture file. */
  abs(name: string): string;
  /** Every spec file, absolute. */
  files: string[];
  snap(name: string): Snapshot;
  /** The caret offsets in a file. */
  carets(name: string): number[];
  /** The one caret of a file. */
  caret(name: string): number;
  text(name: string): string;
}

/** An in-memory workspace from fixture files whose spec texts may hold carets (data files never). */
export function fixture(files: Record<string, string>): Fixture {
  const clean: Record<string, string> = {};
  const carets = new Map<string, number[]>();
  for (const [name, content] of Object.entries(files)) {
    if (/\.kpi\.ya?ml$/.test(name)) {
      const s = strip(content);
      clean[name] = s.text;
      carets.set(name, s.carets);
    } else clean[name] = content;
  }
  const host = new MemoryHost(clean);
  const ws = new Workspace(host, ROOT);
  const abs = (name: string) => path.resolve(ROOT, name);
  return {
    ws, host, abs,
    files: Object.keys(clean).filter((n) => /\.kpi\.ya?ml$/.test(n)).map(abs),
    snap(name) {
      const s = snapshotOf(ws, abs(name));
      if (!s) throw new Error(`no snapshot of ${name}`);
      return s;
    },
    carets: (name) => carets.get(name) ?? [],
    caret(name) {
      const c = carets.get(name) ?? [];
      if (c.length !== 1) throw new Error(`${name} has ${c.length} carets, expected 1`);
      return c[0]!;
    },
    text: (name) => clean[name]!,
  };
}

/** `file:line:text` (1-based line, the spanned text) for each location: readable to assert on. */
export function describeLocations(fx: Fixture, locations: { file: string; span: Span }[]): string[] {
  return locations.map((l) => describeSpan(fx, l.file, l.span));
}

export function describeSpan(fx: Fixture, file: string, span: Span): string {
  const name = path.relative(ROOT, file);
  const text = fx.host.files.get(file);
  if (typeof text !== 'string') return `${name}:?`;
  const line = new LineIndex(text).positionAt(span.offset).line + 1;
  return `${name}:${line}:${text.slice(span.offset, span.offset + span.length)}`;
}

/** Applies edits to texts (per file, last edit first); returns the new texts by absolute path. */
export function applyEdits(texts: Map<string, string>, edits: Edit[]): Map<string, string> {
  const out = new Map(texts);
  const sorted = [...edits].sort((a, b) => b.span.offset - a.span.offset);
  for (const e of sorted) {
    const t = out.get(e.file);
    if (t === undefined) throw new Error(`edit to an unknown file ${e.file}`);
    out.set(e.file, t.slice(0, e.span.offset) + e.newText + t.slice(e.span.offset + e.span.length));
  }
  return out;
}

/** Applies edits to one text. */
export function applyTo(text: string, file: string, edits: Edit[]): string {
  return applyEdits(new Map([[file, text]]), edits.filter((e) => e.file === file)).get(file)!;
}

export type { Location };
