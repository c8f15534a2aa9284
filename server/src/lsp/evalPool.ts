import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EvaluateResult, ExplainResult } from '../protocol';
import type { EvalAnswer, EvalJob, ExplainJob, Prepare, WorkerData } from './evalWorker';
import { DEFAULT_MAX_FILE_SIZE } from '../data/nodeHost';
import { applyDelta } from '../engine/delta';

type Job =
  | { kind: 'eval'; job: EvalJob; key: string; resolve: (r: EvaluateResult) => void; reject: (e: Error) => void }
  | { kind: 'explain'; job: ExplainJob; key: string; resolve: (r: ExplainResult) => void; reject: (e: Error) => void };

/** The error of a job dropped because a newer one for the same spec and options came. */
export class Superseded extends Error {
  constructor() {
    super('superseded by a newer evaluation');
  }
}

/** The error of a job dropped because its caller gave up on it, or too many were waiting. */
export class Dropped extends Error {}

/** Jobs waiting beyond this many: the oldest is dropped, so a burst never queues unbounded work. */
const MAX_WAITING = 8;
/**
 * How long a dropped job may take to notice that it must stop (the worker looks between
 * aggregates; on the sample the longest stretch is about 0.9 s) before the worker is stopped
 * instead. A stopped worker loses its tables: the next job reads its data again (the sample's
 * month view then takes 1.1 s instead of 0.2 s).
 */
const GRACE_MS = 1_000;
/** Results held for deltas: one per spec and options in use (the preview's and the hovers'), the last few. */
const HELD = 8;

/**
 * Runs evaluations in a worker thread (dist/evalWorker.js beside the server bundle), one at a
 * time. Without the worker file (tests running the sources) it reports unavailable, and the
 * caller evaluates in-process.
 */
export class EvalPool {
  private worker?: Worker;
  private nextId = 1;
  /** The job the worker has; `dropped` once nobody wants its result and it was asked to stop. */
  private current?: { entry: Job; dropped: boolean; grace?: NodeJS.Timeout };
  private readonly queue: Job[] = [];
  /** The id of the job the worker must stop, shared: a busy worker reads no messages. */
  private readonly stop = new Int32Array(new SharedArrayBuffer(4));
  private readonly script = path.join(__dirname, 'evalWorker.js');
  /** The spec size limit the worker reads with, as the server's (taken when the worker starts). */
  maxSpecBytes = DEFAULT_MAX_FILE_SIZE;

  get available(): boolean {
    return fs.existsSync(this.script);
  }

  /**
   * Evaluates in the worker. A job for the same spec and options, waiting or running, is
   * dropped (its promise rejects with Superseded): typing never queues stale work. Aborting
   * `signal` drops the job. A dropped job's promise rejects at once; a running one stops.
   */
  run(job: Omit<EvalJob, 'id'>, signal?: AbortSignal): Promise<EvaluateResult> {
    const key = `${job.file}\0${JSON.stringify(job.options)}`;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Dropped('evaluation cancelled'));
      const entry: Job = { kind: 'eval', job: { ...job, id: this.nextId++ }, key, resolve, reject };
      signal?.addEventListener('abort', () => this.drop(entry, new Dropped('evaluation cancelled')), { once: true });
      const waiting = this.queue.find((q) => q.key === key);
      if (waiting) this.drop(waiting, new Superseded());
      if (this.current?.entry.key === key) this.drop(this.current.entry, new Superseded());
      // Explanations of other texts of this spec are of no more use: their results are outdated.
      for (const q of [...this.queue, ...(this.current ? [this.current.entry] : [])]) {
        if (q.kind === 'explain' && q.job.explain.file === job.file && !sameTexts(q.job.explain.texts!, job.texts)) this.drop(q, new Superseded());
      }
      this.queue.push(entry);
      if (this.queue.length > MAX_WAITING) this.drop(this.queue[0]!, new Dropped(`more than ${MAX_WAITING} evaluations were waiting`));
      this.pump();
    });
  }

  /**
   * Explains a KPI's change in the worker (explainWork.ts), from results evaluated before. It
   * waits behind every evaluation waiting, so an explanation never holds one up; otherwise it is
   * dropped as `run`'s jobs are, and when an evaluation of other texts of the spec comes.
   */
  explain(job: Omit<ExplainJob, 'id'>, signal?: AbortSignal): Promise<ExplainResult> {
    const x = job.explain;
    const key = `explain\0${x.file}\0${JSON.stringify(x.options)}\0${JSON.stringify(x.ask)}`;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Dropped('explanation cancelled'));
      const entry: Job = { kind: 'explain', job: { ...job, id: this.nextId++ }, key, resolve, reject };
      signal?.addEventListener('abort', () => this.drop(entry, new Dropped('explanation cancelled')), { once: true });
      const waiting = this.queue.find((q) => q.key === key);
      if (waiting) this.drop(waiting, new Superseded());
      if (this.current?.entry.key === key) this.drop(this.current.entry, new Superseded());
      this.queue.push(entry);
      if (this.queue.length > MAX_WAITING) this.drop(this.queue[0]!, new Dropped(`more than ${MAX_WAITING} evaluations were waiting`));
      this.pump();
    });
  }

  /** Fails a job. A running one is asked to stop, and stopped with its worker if it does not. */
  private drop(entry: Job, error: Error): void {
    const i = this.queue.indexOf(entry);
    if (i >= 0) this.queue.splice(i, 1);
    else if (this.current?.entry === entry && !this.current.dropped) {
      const current = this.current;
      current.dropped = true;
      Atomics.store(this.stop, 0, entry.job.id);
      current.grace = setTimeout(() => {
        if (this.current !== current) return;
        this.terminate();
        this.finish();
      }, GRACE_MS);
    } else return; // settled already
    entry.reject(error);
  }

  private pump(): void {
    if (this.current || !this.queue.length) return;
    // Evaluations first: explanations wait for the worker to have nothing else to do.
    const next = this.queue.findIndex((q) => q.kind === 'eval');
    const entry = this.queue.splice(Math.max(0, next), 1)[0]!;
    this.current = { entry, dropped: false };
    // The worker may answer with what changed since the results held for the same spec and options.
    if (entry.kind === 'eval') entry.job.have = this.held.get(entry.key)?.epoch;
    const worker = this.start();
    if (entry.kind === 'eval') {
      this.sentTexts = entry.job.texts;
      worker.postMessage(entry.job);
    } else if (this.sentTexts && sameTexts(entry.job.explain.texts!, this.sentTexts)) {
      // The worker holds these texts (a spec can be megabytes): the explanation reads them there.
      worker.postMessage({ ...entry.job, explain: { ...entry.job.explain, texts: undefined } } satisfies ExplainJob);
    } else {
      this.sentTexts = entry.job.explain.texts;
      worker.postMessage(entry.job);
    }
  }

  /** Texts sent ahead and not yet read by the worker: one at a time, so edits never queue up there. */
  private preparing = false;
  /** The open documents' texts last sent to the worker, which it holds (undefined: unknown). */
  private sentTexts?: [string, string][];

  /**
   * Sends the open documents' texts to an idle worker, to be read while the server checks the
   * edit: the evaluation asked for next finds them read. With `start`, a worker not running yet
   * is started for it (an opened spec's first hover then finds the worker up and the spec read).
   */
  prepare(root: string, texts: [string, string][], start = false): void {
    if (this.current || this.preparing || !this.available || (!this.worker && !start)) return;
    const worker = this.start();
    this.preparing = true;
    this.sentTexts = texts;
    worker.postMessage({ prepare: { root, texts } } satisfies Prepare);
  }

  /** Per spec and options, the last results received whole or by delta (what deltas apply to). */
  private readonly held = new Map<string, { epoch: number; result: EvaluateResult }>();

  /** The results of an answer, held for the next delta; undefined when it failed. */
  private received(job: Job, m: EvalAnswer): EvaluateResult | undefined {
    const held = this.held.get(job.key);
    let result = m.result;
    if (m.delta) {
      if (held?.epoch !== m.delta.base) throw new Error('internal: the evaluation worker sent a delta on results the server does not hold');
      result = applyDelta(held.result, m.delta);
    }
    if (!result || m.epoch === undefined) return result;
    this.held.delete(job.key);
    this.held.set(job.key, { epoch: m.epoch, result });
    if (this.held.size > HELD) this.held.delete(this.held.keys().next().value!);
    return result;
  }

  /** The worker is done with its job (answered, stopped or crashed): the next one starts. */
  private finish(settle?: (job: Job) => void): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.grace);
    if (!current.dropped) settle?.(current.entry);
    this.pump();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A bounded heap keeps the worker's garbage from doubling the server's memory (and a small
    // young generation: what a job makes lives until its result is sent, or for good); a job
    // that truly needs more fails alone (its hover shows no value) and the worker starts again.
    // A new worker knows no results sent before: nothing held applies to its answers.
    this.held.clear();
    this.preparing = false;
    this.sentTexts = undefined;
    const worker = new Worker(this.script, { workerData: { stop: this.stop, maxSpecBytes: this.maxSpecBytes } satisfies WorkerData, resourceLimits: { maxOldGenerationSizeMb: 320, maxYoungGenerationSizeMb: 8 } });
    worker.on('message', (m: EvalAnswer | { prepared: true }) => {
      if ('prepared' in m) {
        if (this.worker === worker) this.preparing = false;
        return;
      }
      if (this.worker !== worker || this.current?.entry.job.id !== m.id) return;
      this.finish((job) => {
        if (job.kind === 'explain') return m.explained ? job.resolve(m.explained) : job.reject(new Error(m.error ?? 'explanation failed'));
        let result: EvaluateResult | undefined;
        try {
          result = this.received(job, m);
        } catch (e) {
          return job.reject(e as Error);
        }
        if (result) job.resolve(result);
        else job.reject(new Error(m.error ?? 'evaluation failed'));
      });
    });
    // A crashed worker fails its job and is started again for the next; a terminated one is gone already.
    const crashed = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.finish((job) => job.reject(e));
    };
    worker.on('error', crashed);
    worker.on('exit', (code) => crashed(new Error(`the evaluation worker stopped (exit ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private terminate(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  dispose(): void {
    this.terminate();
  }
}

/** Whether two lists of open documents' texts are the same. */
function sameTexts(a: [string, string][], b: [string, string][]): boolean {
  return a.length === b.length && a.every(([file, text], i) => b[i]![0] === file && b[i]![1] === text);
}
