import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EvalResult } from '../engine/results';
import type { EvalJob } from './evalWorker';

type Pending = { resolve: (r: EvalResult) => void; reject: (e: Error) => void };
type Queued = Pending & { job: EvalJob; key: string };

/** The error of a job dropped before it started because a newer one for the same spec and options came. */
export class Superseded extends Error {
  constructor() {
    super('superseded by a newer evaluation');
  }
}

/**
 * Runs evaluations in a worker thread (dist/evalWorker.js beside the server bundle). Without
 * the worker file (tests running the sources) it reports unavailable, and the caller evaluates
 * in-process.
 */
export class EvalPool {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Jobs not yet sent: the worker gets one at a time, so a newer edit replaces a waiting job. */
  private readonly queue: Queued[] = [];
  private readonly script = path.join(__dirname, 'evalWorker.js');

  get available(): boolean {
    return fs.existsSync(this.script);
  }

  /**
   * Evaluates in the worker. A job still waiting when another comes for the same spec and
   * options is dropped (its promise rejects with Superseded): typing never queues stale work.
   */
  run(job: Omit<EvalJob, 'id'>): Promise<EvalResult> {
    const key = `${job.file}\0${JSON.stringify(job.options)}`;
    return new Promise((resolve, reject) => {
      const waiting = this.queue.findIndex((q) => q.key === key);
      if (waiting >= 0) this.queue.splice(waiting, 1)[0]!.reject(new Superseded());
      this.queue.push({ job: { ...job, id: this.nextId++ }, key, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.pending.size || !this.queue.length) return;
    const next = this.queue.shift()!;
    this.pending.set(next.job.id, next);
    this.start().postMessage(next.job);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A bounded heap keeps the worker's garbage from doubling the server's memory (and a small
    // young generation: what a job makes lives until its result is sent, or for good); a job
    // that truly needs more fails alone (its hover shows no value) and the worker starts again.
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 320, maxYoungGenerationSizeMb: 8 } });
    worker.on('message', (m: { id: number; result?: EvalResult; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.result) p.resolve(m.result);
      else p.reject(new Error(m.error ?? 'evaluation failed'));
      this.pump();
    });
    // A crashed worker fails what it had and is started again on the next job.
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = undefined;
      this.pump();
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
