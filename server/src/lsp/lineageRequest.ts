import type { Connection } from 'vscode-languageserver';
import { lineageGraph, type LineageGraph } from '../language/lineageGraph';
import type { ParsedSpec } from '../language/parse';
import type { Workspace } from '../language/workspace';
import { LineageRequest } from '../protocol';
import { uriToPath } from './convert';
import { guardRequest } from './guard';
import { object, string } from './params';
import type { RequestContext } from './requests';

const SPEC = /\.kpi\.ya?ml$/;
/** Specs whose lineage is kept (the previews open at once, and a few more). */
const KEPT = 8;

/**
 * A spec's lineage per version of the files it sees: kept while the spec and every file it
 * imports are the parses they were (an edit anywhere in them parses that file again), so a
 * preview asking again after each evaluation costs a look at the import closure.
 */
export class LineageCache {
  private readonly kept = new Map<string, { ws: Workspace; specs: ParsedSpec[]; graph: LineageGraph }>();

  get(ws: Workspace, file: string): LineageGraph {
    const specs = ws.closure(file);
    const hit = this.kept.get(file);
    if (hit && hit.ws === ws && hit.specs.length === specs.length && hit.specs.every((s, i) => s === specs[i])) return hit.graph;
    const graph = lineageGraph(ws, file);
    this.kept.delete(file);
    this.kept.set(file, { ws, specs, graph });
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return graph;
  }
}

/** `kpispec/lineage` (protocol.ts): the lineage of a spec and its imports, for the preview's Lineage view. */
export function registerLineageRequest(c: Connection, ctx: RequestContext, cache = new LineageCache()): void {
  c.onRequest(LineageRequest, guardRequest(ctx.log, LineageRequest.method, (p: unknown) => {
    const uri = string(object(p, 'params').uri, 'uri');
    const file = uriToPath(uri);
    if (!file || !SPEC.test(file) || !ctx.specText(file)) return null;
    return cache.get(ctx.workspace(), file);
  }));
}
