import { parentPort, workerData } from 'node:worker_threads';
import { NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import { TableMemo } from '../data/tableMemo';
import type { Table } from '../data/table';
import { evaluateSpec, type DataAccess, type EvalOptions } from '../engine/run';
import type { Problem } from '../language/problem';
import { Workspace } from '../language/workspace';
import { withinBudget } from './budget';
import { OverlayHost } from './overlayHost';

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
}

/**
 * Evaluates specs off the server's main thread, so typing is never blocked by reading data or
 * computing values, and answers within the budget of budget.ts. Keeps its workspace and tables
 * between jobs: a formula edit re-parses one file and reuses the cached tables and aggregates.
 */
const host = new OverlayHost(new NodeHost());
const tables = new TableCache();
let ws: Workspace | undefined;
const known = new Map<string, string>();
/** The id of the job the server wants stopped (see EvalPool): read between aggregates. */
const stop = new Int32Array((workerData as { stop: SharedArrayBuffer }).stop);

class Stopped extends Error {}

/** The tables, through a door that closes when the server drops the job. */
function stoppable(id: number): DataAccess {
  const check = () => {
    if (Atomics.load(stop, 0) === id) throw new Stopped('stopped');
  };
  const memo = new (class extends TableMemo {
    override get<T>(table: Table, key: string, make: () => T): T {
      check();
      return tables.memo.get(table, key, make);
    }
  })();
  return { file: (file, options) => (check(), tables.file(file, options)), memo };
}

parentPort?.on('message', (job: EvalJob) => {
  try {
    if (!ws || ws.root !== job.root) {
      // The model only: no YAML tree (most of a parse's memory), which evaluation never reads.
      ws = new Workspace(host, job.root, { modelOnly: true });
      known.clear();
    }
    const texts = new Map(job.texts);
    for (const [file, text] of texts) {
      if (known.get(file) === text) continue;
      host.setOpen(file, text);
      known.set(file, text);
      ws.forget(file);
    }
    for (const file of [...known.keys()]) {
      if (texts.has(file)) continue;
      host.setOpen(file, undefined);
      known.delete(file);
      ws.forget(file);
    }
    // Files on disk may have changed since the last job: read them again.
    for (const f of ws.closure(job.file)) if (!texts.has(f.spec.file)) ws.forget(f.spec.file);
    tables.maxBytes = job.maxDataBytes ?? 0;
    // Cut here, not after: a result over budget is not worth copying to the server.
    const result = withinBudget(evaluateSpec(ws, job.file, job.options, stoppable(job.id), job.problems));
    parentPort!.postMessage({ id: job.id, result });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) });
  }
});
