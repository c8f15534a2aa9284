import { parentPort, workerData } from 'node:worker_threads';
import { NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import { TableMemo } from '../data/tableMemo';
import type { Table } from '../data/table';
import { evaluateSpec, type DataAccess, type EvalOptions } from '../engine/run';
import type { Problem } from '../language/problem';
import { Workspace } from '../language/workspace';
import { KpiReuse } from '../engine/reuse';
import type { EvaluateResult, ExplainResult } from '../protocol';
import { withinBudget } from './budget';
import type { ResultDelta } from '../engine/delta';
import { answerFor, type Sent } from './resultDelta';
import { OverlayHost } from './overlayHost';
import { explainAnswer, type ExplainAsk } from './explainWork';

/** A request to the evaluation worker: the spec, the editor's unsaved texts, what the checker found. */
export interface EvalJob {
  id: number;
  root: string;
  file: string;
  options: EvalOptions;
  /** Open documents' texts (path, text); every other file is read from disk. */
  texts: [string, string][];
  /** The file's problems from the checker: the worker parses models only and cannot check. */
  problems: Problem[];
  /** Data files larger than this are not read; 0 reads any size. */
  maxDataBytes?: number;
  /** The epoch of the results the server holds for this spec and options: the answer may be a delta on them. */
  have?: number;
}

/** Open documents' texts sent ahead of a job, when an edit comes: read while the server checks it. */
export interface Prepare {
  prepare: { root: string; texts: [string, string][] };
}

/**
 * A KPI's change to explain (explainWork.ts), from results the server holds: the KPI's alone
 * (resultsFor), evaluated with `options` from the same texts.
 */
export interface ExplainJob {
  id: number;
  /** `texts` absent: the worker holds them already (the last ones it was sent). */
  explain: { root: string; file: string; options: EvalOptions; texts?: [string, string][]; maxDataBytes?: number; results: EvaluateResult; ask: ExplainAsk };
}

/** What the worker is started with: the flag that stops a job, and the spec size limit. */
export interface WorkerData {
  /** Over a SharedArrayBuffer; used as received (a copy would never see the server's stores). */
  stop: Int32Array;
  maxSpecBytes: number;
}

/** The worker's answer: whole results, a delta on results the server holds, or why it failed. */
export interface EvalAnswer {
  id: number;
  result?: EvaluateResult;
  delta?: ResultDelta<EvaluateResult>;
  /** The epoch of the results answered (whole or by delta). */
  epoch?: number;
  /** The answer to an ExplainJob; undefined with `error` when it failed. */
  explained?: ExplainResult;
  error?: string;
}

/**
 * Evaluates specs off the server's main thread, so typing is never blocked by reading data or
 * computing values, and answers within the budget of budget.ts. Keeps its workspace, tables and
 * KPI results between jobs: an edit inside one definition re-reads that definition, recomputes
 * the KPIs it changes (engine/reuse.ts) and answers with what changed (resultDelta.ts).
 */
const started = workerData as WorkerData;
const host = new OverlayHost(new NodeHost(started.maxSpecBytes), started.maxSpecBytes);
const tables = new TableCache();
let ws: Workspace | undefined;
const known = new Map<string, string>();
/** Per spec and options (the last few): the KPI results kept between jobs and the results last sent. */
const kept = new Map<string, { reuse: KpiReuse; sent?: Sent }>();
const KEPT = 8;

function keptFor(file: string, options: EvalOptions): { reuse: KpiReuse; sent?: Sent } {
  const key = `${file}\u0000${JSON.stringify(options)}`;
  let k = kept.get(key);
  if (k) kept.delete(key);
  else k = { reuse: new KpiReuse() };
  kept.set(key, k); // the most recent last
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return k;
}
/** The id of the job the server wants stopped (see EvalPool): read between aggregates. */
const stop = started.stop;

class Stopped extends Error {}

/** The tables, through a door that closes when the server drops the job. */
function stoppable(id: number, reuse?: KpiReuse): DataAccess {
  const check = () => {
    if (Atomics.load(stop, 0) === id) throw new Stopped('stopped');
  };
  const memo = new (class extends TableMemo {
    override get<T>(table: Table, key: string, make: () => T): T {
      check();
      return tables.memo.get(table, key, make);
    }
  })();
  return { file: (file, options) => (check(), tables.file(file, options)), memo, ...(reuse ? { reuse } : { keysAsKept: true }) };
}

/** The open documents' texts now: each changed one is read again (only the definitions an edit touched). */
function applyTexts(root: string, list: [string, string][]): Workspace {
  if (!ws || ws.root !== root) {
    // The model only: no YAML tree (most of a parse's memory), which evaluation never reads.
    ws = new Workspace(host, root, { modelOnly: true });
    known.clear();
    kept.clear();
  }
  const w = ws;
  const texts = new Map(list);
  for (const [file, text] of texts) {
    if (known.get(file) === text) continue;
    host.setOpen(file, text);
    known.set(file, text);
    w.forget(file);
  }
  for (const file of [...known.keys()]) {
    if (texts.has(file)) continue;
    host.setOpen(file, undefined);
    known.delete(file);
    w.forget(file);
  }
  return w;
}

parentPort?.on('message', (m: EvalJob | Prepare | ExplainJob) => {
  if ('prepare' in m) {
    // Read an edit while the server checks it, before the evaluation it will ask for.
    try {
      const w = applyTexts(m.prepare.root, m.prepare.texts);
      for (const [file] of m.prepare.texts) w.load(file);
    } catch {
      // The job that follows reads the texts again, and says what fails.
    }
    parentPort!.postMessage({ prepared: true });
    return;
  }
  if ('explain' in m) return explain(m);
  const job = m;
  try {
    const w = applyTexts(job.root, job.texts);
    const open = new Set(job.texts.map(([file]) => file));
    // Files on disk may have changed since the last job: read them again.
    for (const f of w.closure(job.file)) if (!open.has(f.spec.file)) w.forget(f.spec.file);
    tables.maxBytes = job.maxDataBytes ?? 0;
    const k = keptFor(job.file, job.options);
    const result = evaluateSpec(w, job.file, job.options, stoppable(job.id, k.reuse), job.problems);
    const made = result.kpis;
    // Cut here, not after: a result over budget is not worth copying to the server.
    const answer = answerFor(withinBudget(result), made, k.sent, job.have);
    k.sent = answer.sent;
    const message: EvalAnswer = { id: job.id, epoch: answer.sent.epoch, ...(answer.delta ? { delta: answer.delta } : { result: answer.result }) };
    parentPort!.postMessage(message);
  } catch (e) {
    // What the server holds may differ from what was last sent: the next answer is whole.
    for (const k of kept.values()) k.sent = undefined;
    parentPort!.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) } satisfies EvalAnswer);
  }
});

/** Explains a KPI's change from the results sent (no evaluation of its own): only the per-group sums are computed. */
function explain(job: ExplainJob): void {
  const x = job.explain;
  try {
    const w = x.texts || !ws ? applyTexts(x.root, x.texts ?? []) : ws;
    const open = new Set([...known.keys()]);
    for (const f of w.closure(x.file)) if (!open.has(f.spec.file)) w.forget(f.spec.file);
    tables.maxBytes = x.maxDataBytes ?? 0;
    const explained = explainAnswer(w, x.file, x.results, x.options, stoppable(job.id), x.ask);
    parentPort!.postMessage((explained ? { id: job.id, explained } : { id: job.id, error: `\`${x.ask.kpi}\` is not among the results` }) satisfies EvalAnswer);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) } satisfies EvalAnswer);
  }
}
