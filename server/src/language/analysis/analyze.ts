import type { Definition } from '../model';
import type { Problem } from '../problem';
import type { Workspace } from '../workspace';
import { timed } from '../timing';
import { Context } from './context';
import { checkCycles } from './cycles';
import { checkData } from './data';
import { checkGoals } from './goals';
import { Graph } from './graph';
import { checkFormats } from './formats';
import { checkDuplicateIds } from './ids';
import { checkImports } from './imports';
import { KpiInference } from './infer';
import { checkReferences } from './references';
import { applySuppressions } from './suppressions';
import { checkTargets } from './targets';
import { checkTimeAndBreakdowns } from './time';
import { checkUnusedMetrics, usedDefinitions } from './unused';

export interface FileCheck {
  file: string;
  text: string;
  problems: Problem[];
}

/** Every problem of one file: parse, shape, and the checks across its imports. */
export function checkFile(ws: Workspace, file: string, used: Set<Definition>): FileCheck {
  const loaded = ws.load(file);
  if (!loaded.parsed) return { file, text: '', problems: [loaded.readProblem] };
  const { spec, problems: parseProblems } = loaded.parsed;
  const ctx = new Context(ws, spec, ws.scope(file));
  const graph = new Graph(ctx);
  checkImports(ctx);
  checkDuplicateIds(ctx);
  checkReferences(ctx);
  checkCycles(ctx, graph);
  const inference = new KpiInference(ctx);
  for (const def of ctx.own) if (def.kind === 'kpi' && ctx.scope.owns(def)) inference.kpi(def);
  checkFormats(ctx, inference);
  checkTimeAndBreakdowns(ctx, graph);
  checkTargets(ctx);
  checkGoals(ctx);
  checkData(ctx);
  checkUnusedMetrics(ctx, used);
  const all = applySuppressions(file, spec.text, [...parseProblems, ...ctx.problems]);
  return { file, text: spec.text, problems: sortProblems(all) };
}

/** Checks several files as one workspace (a metric used from any of them is used). */
export function checkFiles(ws: Workspace, files: string[]): FileCheck[] {
  const used = usedDefinitions(ws, files);
  return files.map((f) => {
    ws.load(f);
    return timed('analysis', () => checkFile(ws, f, used));
  });
}

/** In document order; one problem per rule and span (the schema and a check may both see a bad value). */
export function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.file}:${p.rule}:${p.span.offset}:${p.span.length}`;
      return !seen.has(key) && !!seen.add(key);
    })
    .sort((a, b) => a.span.offset - b.span.offset || compare(a.rule, b.rule) || compare(a.message, b.message));
}

/** Plain code-unit order: stable across machines and much faster than localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
