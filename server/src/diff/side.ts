import * as path from 'node:path';
import type { Definition, DefKind } from '../language/model';
import { LineIndex } from '../language/lineIndex';
import type { Workspace } from '../language/workspace';
import type { SideProblem, SideSummary } from './result';

/** One version of a set of spec files: a workspace, its root and its spec files (absolute paths). */
export interface DiffSide {
  ws: Workspace;
  root: string;
  files: string[];
  /** How the side is named in reports (`before`, a folder, a git ref). */
  label?: string;
  /** Names to match files by, where not their path relative to root (comparing two single files). */
  names?: Record<string, string>;
}

/** Parse problems that mean the file's model cannot be trusted: it does not parse. */
const FATAL = new Set(['yaml-syntax', 'yaml-alias-limit', 'duplicate-key', 'unsupported-version', 'formula-syntax', 'formula-too-complex', 'file-too-large', 'invalid-encoding', 'import-not-found']);

/** The definitions of one side by kind and id (first definition of an id wins), with their files. */
export class SideIndex {
  readonly defs: Record<DefKind, Map<string, Definition>> = { source: new Map(), metric: new Map(), kpi: new Map(), goal: new Map() };
  readonly texts = new Map<string, string>();
  readonly summary: SideSummary;

  constructor(readonly side: DiffSide, fallbackLabel: string) {
    const problems: SideProblem[] = [];
    const files = [...side.files].sort((a, b) => rel(side, a).localeCompare(rel(side, b)));
    for (const file of files) {
      const loaded = side.ws.load(file);
      if (!loaded.parsed) {
        problems.push({ file: rel(side, file), line: 1, column: 1, rule: loaded.readProblem.rule, message: loaded.readProblem.message });
        continue;
      }
      const { spec, problems: parsed } = loaded.parsed;
      this.texts.set(rel(side, file), spec.text);
      const lines = new LineIndex(spec.text);
      for (const p of parsed) {
        if (p.severity !== 'error' || !FATAL.has(p.rule)) continue;
        const pos = lines.positionAt(p.span.offset);
        problems.push({ file: rel(side, file), line: pos.line + 1, column: pos.character + 1, rule: p.rule, message: p.message });
      }
      for (const def of spec.definitions) if (!this.defs[def.kind].has(def.id)) this.defs[def.kind].set(def.id, def);
    }
    this.summary = { label: side.label ?? fallbackLabel, files: files.map((f) => rel(side, f)), broken: problems.length > 0, problems };
  }

  rel(file: string): string {
    return rel(this.side, file);
  }

  /** A metric, KPI or goal by id (they share a namespace). */
  name(id: string): Definition | undefined {
    return this.defs.metric.get(id) ?? this.defs.kpi.get(id) ?? this.defs.goal.get(id);
  }
}

function rel(side: DiffSide, file: string): string {
  const named = side.names?.[file];
  if (named !== undefined) return named;
  return path.relative(side.root, file).split(path.sep).join('/') || path.basename(file);
}
