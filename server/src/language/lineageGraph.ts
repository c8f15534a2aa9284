import { lineageOf, type LineageEdge } from './lineage';
import type { DefKind } from './model';
import type { Workspace } from './workspace';

/** A definition in a spec's lineage, placed for an editor: where its id is written. */
export interface LineageGraphNode {
  /** `kind:id` (a source and a metric may share an id); edges name nodes by it. */
  key: string;
  kind: DefKind;
  id: string;
  title?: string;
  /** The spec file that defines it (the spec or a file it imports), as a path. */
  file: string;
  /** Where the id is written in `file`: UTF-16 offset, 1-based line and column (as `kpispec lineage --format json`). */
  offset: number;
  line: number;
  column: number;
}

/** `from` feeds `to` (see LineageEdge): the same edges, in the same order, as `kpispec lineage --format json`. */
export interface LineageGraphEdge {
  from: string;
  to: string;
  how: LineageEdge['how'];
}

/** Sources → metrics → KPIs → goals over a spec and its imports, upstream first. */
export interface LineageGraph {
  nodes: LineageGraphNode[];
  edges: LineageGraphEdge[];
}

/** The lineage a spec file sees (its definitions and its imports'), as `kpispec lineage` prints it. */
export function lineageGraph(ws: Workspace, file: string): LineageGraph {
  const lineage = lineageOf(ws.scope(file));
  return {
    nodes: lineage.nodes.map((n): LineageGraphNode => {
      const at = ws.lineIndex(n.file).positionAt(n.span.offset);
      return { key: n.key, kind: n.kind, id: n.id, ...(n.title ? { title: n.title } : {}), file: n.file, offset: n.span.offset, line: at.line + 1, column: at.character + 1 };
    }),
    edges: lineage.edges.map(({ from, to, how }) => ({ from, to, how })),
  };
}
