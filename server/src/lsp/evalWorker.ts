import { parentPort } from 'node:worker_threads';
import { NodeHost } from '../data/nodeHost';
import { TableCache } from '../data/tableCache';
import { evaluateSpec, type EvalOptions } from '../engine/run';
import type { Problem } from '../language/problem';
import { Workspace } from '../language/workspace';
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
 * computing values. Keeps its workspace and tables between jobs: a formula edit re-parses one
 * file and reuses the cached tables and aggregates.
 */
const host = new OverlayHost(new NodeHost());
const tables = new TableCache();
let ws: Workspace | undefined;
const known = new Map<string, string>();

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
    const result = evaluateSpec(ws, job.file, job.options, tables, job.problems);
    parentPort!.postMessage({ id: job.id, result });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) });
  }
});
