import type { Definition, SourceDef } from '../model';
import { detach, parseStateOf, type EditLog, type ParsedSpec } from '../parse';
import type { Problem } from '../problem';
import { shiftAll } from '../reparse';
import { timed } from '../timing';
import { isSpecImport, type Workspace } from '../workspace';
import { Context } from './context';
import { checkCycles } from './cycles';
import { checkData, sourceAccess, type Access } from './data';
import { isRelational } from './relations';
import { checkGoals } from './goals';
import { Graph } from './graph';
import { checkFormats } from './formats';
import { checkDuplicateIds } from './ids';
import { checkImports } from './imports';
import { importedProblems } from './importedProblems';
import { KpiInference } from './infer';
import { checkReferences, forEachNode } from './references';
import { applySuppressions } from './suppressions';
import { checkTargets } from './targets';
import { checkTimeOf, checkTimezone } from './time';
import { checkLocale } from './locale';
import { checkUnusedMetrics, isUnused, usedDefinitions } from './unused';

export interface FileCheck {
  file: string;
  text: string;
  problems: Problem[];
}

/**
 * The checks in the order they report. Those about one definition keep each definition's
 * problems apart, so that after an edit inside a definition only it and the definitions that
 * depend on it are checked again; the others are about the whole file and run every time,
 * except `ids`, which only ids decide (and an edit inside a definition keeps its id).
 */
const PASSES = ['imports', 'ids', 'references', 'cycles', 'inference', 'formats', 'timezone', 'time', 'targets', 'goals', 'data', 'unused'] as const;
type Pass = (typeof PASSES)[number];
const PER_DEFINITION: ReadonlySet<Pass> = new Set(['references', 'cycles', 'inference', 'formats', 'time', 'targets', 'goals', 'data', 'unused']);

/** What the last check of a file found, kept to check only what an edit changed. */
interface FileAnalysis {
  /** The edits of the file's parse chain, and how many of them the problems below include. */
  log: EditLog;
  seen: number;
  /** The definitions as checked, and each one's index in them. */
  defs: Definition[];
  index: Map<Definition, number>;
  /** Every other file the check read, with what it read (see readFiles). */
  others: Map<string, number>;
  /** Problems of the `ids` check. */
  ids: Problem[];
  /** Per check about definitions: each definition's problems, by index (undefined: none). */
  perDef: Map<Pass, (Problem[] | undefined)[]>;
  /** What each data source looked like (columns and types, or why not). */
  access: Map<SourceDef, string>;
  /** Id → the definitions in scope that name it (formulas, a metric's source, a goal's KPIs); made on the first edit. */
  users?: Map<string, Definition[]>;
}


/** How many checks ran whole and how many only re-checked what edits changed: for tests and benchmarks. */
export const checkCounts = { full: 0, incremental: 0 };

/**
 * Every problem of one file: parse, shape, and the checks across its imports. When the file
 * was only edited inside definitions since its last check, and nothing else it reads changed,
 * re-checks only the definitions the edits can reach; the result is the same as checking it all
 * (a differential test holds it to that).
 */
export function checkFile(ws: Workspace, file: string, used: Set<Definition>): FileCheck {
  return check(ws, file, used, true);
}

/** With `summed` false, without the summary of the imported files' errors (see importedProblems). */
function check(ws: Workspace, file: string, used: Set<Definition>, summed: boolean): FileCheck {
  if (ws.modelOnly) throw new Error('internal: a model-only workspace (evaluation) cannot be checked; pass the checked problems');
  const loaded = ws.load(file);
  if (!loaded.parsed) return { file, text: '', problems: [loaded.readProblem] };
  const { spec, problems: parseProblems } = loaded.parsed;
  const ctx = new Context(ws, spec, ws.scope(file));
  const before = ws.memo.get(file) as FileAnalysis | undefined;
  ws.memo.delete(file); // an update changes it in place: never keep one half done
  const incremental = before && timed('analysis-incremental', () => update(ctx, loaded.parsed!, before, used));
  const analysis = incremental ?? full(ctx, loaded.parsed, used);
  checkCounts[incremental ? 'incremental' : 'full']++;
  if (analysis.kept) ws.memo.set(file, analysis.kept);
  const imported = summed && spec.imports.length ? importedProblems(ws, spec, (f) => check(ws, f, used, false).problems) : [];
  const all = applySuppressions(file, spec.text, [...parseProblems, ...analysis.problems, ...imported]);
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

/** Runs every check on the whole file, keeping each definition's problems apart. */
function full(ctx: Context, parsed: ParsedSpec, used: Set<Definition>): { problems: Problem[]; kept?: FileAnalysis } {
  const defs = ctx.own.slice();
  const index = new Map<Definition, number>();
  defs.forEach((d, i) => index.set(d, i));
  const perDef = new Map<Pass, (Problem[] | undefined)[]>();
  const fileLevel = new Map<Pass, Problem[]>();
  const discard: Problem[] = [];
  const run = (pass: Pass, fn: () => void) => {
    // A check about definitions reports after `ctx.at(def)`; what it reports before that is
    // about no definition: kept with the file's problems, and then nothing is kept for an update.
    const list: Problem[] = [];
    fileLevel.set(pass, list);
    ctx.into(list);
    if (PER_DEFINITION.has(pass)) {
      const lists: (Problem[] | undefined)[] = new Array(defs.length);
      perDef.set(pass, lists);
      ctx.route = (def) => {
        const i = index.get(def);
        return i === undefined ? discard : (lists[i] ??= []);
      };
    } else ctx.route = undefined;
    fn();
  };
  const graph = new Graph(ctx);
  const inference = new KpiInference(ctx);
  let shapes = new Map<SourceDef, Access>();
  run('imports', () => checkImports(ctx));
  run('ids', () => checkDuplicateIds(ctx));
  run('references', () => checkReferences(ctx));
  run('cycles', () => checkCycles(ctx, graph));
  run('inference', () => {
    for (const def of ctx.own) if (def.kind === 'kpi' && ctx.scope.owns(def)) inference.kpi(def);
  });
  run('formats', () => checkFormats(ctx, inference));
  run('timezone', () => { checkTimezone(ctx); checkLocale(ctx); });
  run('time', () => checkTimeOf(ctx, graph, ctx.own));
  run('targets', () => checkTargets(ctx));
  run('goals', () => checkGoals(ctx));
  run('data', () => (shapes = checkData(ctx)));
  run('unused', () => checkUnusedMetrics(ctx, used));
  ctx.route = undefined;
  ctx.into(ctx.problems);

  // With spans of their own: the tree's spans move when an edit is spliced in (see reparse.ts),
  // and problems already handed out or kept for the next check must not move with them.
  for (const lists of perDef.values()) lists.forEach((list, i) => { if (list) lists[i] = list.map(detach); });
  for (const [pass, list] of fileLevel) fileLevel.set(pass, list.map(detach));
  const problems = assemble(perDef, fileLevel, defs.length);
  const state = parseStateOf(parsed);
  const unrouted = [...PER_DEFINITION].some((pass) => fileLevel.get(pass)!.length);
  if (!state || unrouted) return { problems };
  const access = new Map<SourceDef, string>();
  for (const [src, a] of shapes) access.set(src, signature(a));
  const kept: FileAnalysis = {
    log: state.state.log, seen: state.logLength, defs, index, others: readFiles(ctx.ws, ctx.file),
    ids: fileLevel.get('ids')!, perDef, access,
  };
  return { problems, kept };
}

/**
 * The check after edits inside definitions: the problems kept from before, moved past the
 * edits, with the definitions the edits can reach checked again. Undefined when that is not
 * known to give what `full` gives: the file was parsed whole, something it reads changed, or
 * the definitions to re-check depend on a circular definition (where the order of checking
 * decides what is inferred).
 */
function update(ctx: Context, parsed: ParsedSpec, a: FileAnalysis, used: Set<Definition>): { problems: Problem[]; kept: FileAnalysis } | undefined {
  const state = parseStateOf(parsed);
  if (!state || state.state.log !== a.log || state.logLength < a.seen) return undefined;
  const defs = ctx.own;
  if (defs.length !== a.defs.length) return undefined;
  const others = readFiles(ctx.ws, ctx.file);
  if (others.size !== a.others.size) return undefined;
  for (const [f, what] of others) if (a.others.get(f) !== what) return undefined;

  // Move what was found before past each edit, and note the definitions rebuilt.
  const dirty = new Set<number>();
  let ids = a.ids;
  const perDef = new Map<Pass, (Problem[] | undefined)[]>();
  for (const [pass, lists] of a.perDef) perDef.set(pass, lists.slice());
  for (const edit of a.log.edits.slice(a.seen, state.logLength)) {
    const change = { at: edit.at, oldEnd: edit.oldEnd, delta: edit.newEnd - edit.oldEnd };
    if (edit.def >= 0) dirty.add(edit.def);
    const movedIds = shiftAll(ids, change);
    if (!movedIds) return undefined;
    ids = movedIds;
    for (const lists of perDef.values()) {
      for (let i = 0; i < lists.length; i++) {
        const list = lists[i];
        if (!list || dirty.has(i)) continue;
        const moved = shiftAll(list, change);
        if (!moved) return undefined;
        lists[i] = moved;
      }
    }
  }
  // Relations tie sources' columns to each other (a rollup reads its source's, a lookup its
  // target's): an edited source of a spec with relations is checked whole.
  if ([...dirty].some((i) => defs[i]?.kind === 'source') && [...ctx.scope.sources.values()].some(isRelational)) return undefined;
  const index = a.index;
  const known = a.defs.slice();
  for (const i of dirty) {
    index.delete(known[i]!);
    known[i] = defs[i]!;
    index.set(defs[i]!, i);
  }
  for (let i = 0; i < defs.length; i++) if (known[i] !== defs[i]) return undefined; // not as the edits say

  // The data files must look as they did.
  for (const [src, sig] of a.access) {
    if (src.file === ctx.file && index.get(src) === undefined) continue; // rebuilt: re-checked below
    if (signature(sourceAccess(ctx, src)) !== sig) return undefined;
  }

  const users = a.users ?? namers(ctx);
  if (a.users) for (const i of dirty) { unname(users, a.defs[i]!); name(users, defs[i]!); }
  const again = dependents(users, [...dirty].map((i) => defs[i]!));
  const graph = new Graph(ctx);
  if (dependsOnCycle(graph, again)) return undefined;

  // Re-check those definitions, each check into fresh lists.
  const todo = [...again].filter((d) => index.has(d)).sort((x, y) => index.get(x)! - index.get(y)!);
  const discard: Problem[] = [];
  const unrouted: Problem[] = [];
  const fresh = new Map<Pass, Map<number, Problem[]>>();
  const route = (pass: Pass) => {
    const lists = new Map<number, Problem[]>();
    fresh.set(pass, lists);
    ctx.into(unrouted);
    ctx.route = (def) => {
      const i = again.has(def) ? index.get(def) : undefined;
      if (i === undefined) return discard;
      let list = lists.get(i);
      if (!list) lists.set(i, (list = []));
      return list;
    };
  };
  const inference = new KpiInference(ctx);
  route('references');
  checkReferences(ctx, todo);
  route('cycles'); // nothing: none of them depends on a cycle
  route('inference');
  for (const def of todo) if (def.kind === 'kpi' && ctx.scope.owns(def)) inference.kpi(def);
  route('formats');
  checkFormats(ctx, inference, todo);
  route('time');
  checkTimeOf(ctx, graph, todo);
  route('targets');
  checkTargets(ctx, todo);
  route('goals');
  checkGoals(ctx, todo);
  route('data');
  const shapes = checkData(ctx, todo);
  // unused-metric: those definitions, and every metric whose use changed (`used` is the workspace's).
  const unused = perDef.get('unused')!;
  for (let i = 0; i < defs.length; i++) if (!again.has(defs[i]!) && isUnused(ctx, defs[i]!, used) !== !!unused[i]) again.add(defs[i]!);
  const recheck = [...again].filter((d) => index.has(d));
  route('unused');
  checkUnusedMetrics(ctx, used, recheck);
  ctx.route = undefined;
  if (unrouted.length) return undefined;

  for (const [pass, lists] of perDef) {
    const found = fresh.get(pass)!;
    for (const def of pass === 'unused' ? recheck : todo) {
      const i = index.get(def)!;
      const list = found.get(i);
      lists[i] = list?.length ? list.map(detach) : undefined;
    }
  }
  const access = new Map<SourceDef, string>();
  for (const [src, sig] of a.access) if (index.get(src) !== undefined || src.file !== ctx.file) access.set(src, sig);
  for (const [src, acc] of shapes) access.set(src, signature(acc));

  // The checks about the whole file, but `ids`, run as always.
  const fileLevel = new Map<Pass, Problem[]>();
  const whole = (pass: Pass, fn: () => void) => {
    const list: Problem[] = [];
    ctx.into(list);
    fn();
    fileLevel.set(pass, list.map(detach));
  };
  whole('imports', () => checkImports(ctx));
  fileLevel.set('ids', ids);
  whole('timezone', () => { checkTimezone(ctx); checkLocale(ctx); });
  ctx.into(ctx.problems);

  const kept: FileAnalysis = { log: a.log, seen: state.logLength, defs: known, index, others, ids, perDef, access, users };
  return { problems: assemble(perDef, fileLevel, defs.length), kept };
}

/** The problems in check order; within a check about definitions, in the definitions' order. */
function assemble(perDef: Map<Pass, (Problem[] | undefined)[]>, fileLevel: Map<Pass, Problem[]>, count: number): Problem[] {
  const out: Problem[] = [];
  for (const pass of PASSES) {
    for (const p of fileLevel.get(pass) ?? []) out.push(p);
    const lists = perDef.get(pass);
    if (lists) {
      for (let i = 0; i < count; i++) {
        const list = lists[i];
        if (list) for (const p of list) out.push(p);
      }
    }
  }
  return out;
}

/** Id → the definitions in scope (and of the file) that name it: formulas, a metric's source, a goal's KPIs. */
function namers(ctx: Context): Map<string, Definition[]> {
  const users = new Map<string, Definition[]>();
  const all = new Set<Definition>(ctx.own);
  for (const def of ctx.scope.values()) all.add(def);
  for (const def of all) name(users, def);
  return users;
}

function namesOf(def: Definition, visit: (id: string) => void): void {
  if (def.kind === 'kpi' && def.formula) forEachNode(def.formula.expr, (e) => { if (e.kind === 'name') visit(e.name); });
  else if (def.kind === 'metric' && def.source) visit(def.source.value);
  else if (def.kind === 'goal') for (const m of def.members) visit(m.kpi);
}

function name(users: Map<string, Definition[]>, def: Definition): void {
  namesOf(def, (id) => {
    const list = users.get(id);
    if (!list) users.set(id, [def]);
    else if (list[list.length - 1] !== def) list.push(def);
  });
}

function unname(users: Map<string, Definition[]>, def: Definition): void {
  namesOf(def, (id) => {
    const list = users.get(id);
    if (list) users.set(id, list.filter((d) => d !== def));
  });
}

/**
 * The definitions whose checks can see a change of `changed`: they themselves and every
 * definition that names one of them, directly or through others. Ids are matched in both
 * namespaces (sources and the rest), which may take in a few more than needed.
 */
function dependents(users: Map<string, Definition[]>, changed: Definition[]): Set<Definition> {
  const out = new Set<Definition>(changed);
  const queue = [...changed];
  while (queue.length) {
    const def = queue.pop()!;
    for (const user of users.get(def.id) ?? []) {
      if (out.has(user)) continue;
      out.add(user);
      queue.push(user);
    }
  }
  return out;
}

/** Whether a KPI among `defs` or among what they use, transitively, lies on a cycle of KPIs. */
function dependsOnCycle(graph: Graph, defs: Iterable<Definition>): boolean {
  const state = new Map<Definition, 'open' | 'done'>();
  for (const start of defs) {
    if (start.kind !== 'kpi' || state.has(start)) continue;
    const stack = [{ kpi: start, deps: graph.deps(start), i: 0 }];
    state.set(start, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.deps.length) {
        const d = top.deps[top.i++]!.def;
        if (d.kind !== 'kpi') continue;
        const s = state.get(d);
        if (s === 'open') return true;
        if (!s) {
          state.set(d, 'open');
          stack.push({ kpi: d, deps: graph.deps(d), i: 0 });
        }
        continue;
      }
      state.set(top.kpi, 'done');
      stack.pop();
    }
  }
  return false;
}

/**
 * Every other file the check of `file` reads (its imports, transitively, read or not), with a
 * number for what was read (a parse or a read problem: a new one is a new number), so that
 * the kept check does not hold old parses.
 */
function readFiles(ws: Workspace, file: string): Map<string, number> {
  const out = new Map<string, number>();
  const queue = [file];
  const seen = new Set(queue);
  while (queue.length) {
    const f = queue.shift()!;
    const loaded = ws.load(f);
    if (f !== file) out.set(f, stamp(loaded.parsed ?? loaded.readProblem));
    for (const imp of loaded.parsed?.spec.imports ?? []) {
      if (f === file && !isSpecImport(imp.value)) continue; // as checkImports: the file's own imports that are specs
      const next = ws.resolveImport(f, imp.value);
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return out;
}

const stamps = new WeakMap<object, number>();
let stamped = 0;

function stamp(o: object): number {
  let n = stamps.get(o);
  if (n === undefined) stamps.set(o, (n = ++stamped));
  return n;
}

/** What the data checks saw of a source's data, as text to compare. */
function signature(a: Access): string {
  if ('shape' in a) return JSON.stringify(['shape', a.shape.columns, [...a.shape.types]]);
  return JSON.stringify(a);
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
