import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EvalResult } from '../engine/results';
import type { EvalJob } from './evalWorker';

type Pending = { resolve: (r: EvalResult) => void; reject: (e: Error) => void };

/**
 * Runs evaluations in a worker thread (dist/evalWorker.js beside the server bundle). Without
 * the worker file (tests running the sources) it reports unavailable, and the caller evaluates
 * in-process.
 */
export class EvalPool {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly script = path.join(__dirname, 'evalWorker.js');

  get available(): boolean {
    return fs.existsSync(this.script);
  }

  run(job: Omit<EvalJob, 'id'>): Promise<EvalResult> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A bounded heap keeps the worker's garbage from doubling the server's memory; a job that
    // truly needs more fails alone (its hover shows no value) and the worker starts again.
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 320 } });
    worker.on('message', (m: { id: number; result?: EvalResult; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.result) p.resolve(m.result);
      else p.reject(new Error(m.error ?? 'evaluation failed'));
    });
    // A crashed worker fails what it had and is started again on the next job.
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the evaluation worker stopped (exit ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    void this.worker?.terminate();
  }
}
