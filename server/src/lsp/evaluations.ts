import type { CancellationToken } from 'vscode-languageserver';
import type { EvalOptions } from '../engine/run';
import type { EvaluateResult } from '../protocol';
import { cancelled, waitShared } from './sharedWait';

type Compute = (file: string, options: EvalOptions, signal: AbortSignal) => Promise<EvaluateResult>;
type Entry = { result: Promise<EvaluateResult>; controller: AbortController; waiters: number; kept: boolean; settled: boolean };

/** Results kept for reuse: a spec's preview and its hovers ask with different options. */
const KEPT = 8;

export { cancelled } from './sharedWait';

/**
 * Results by spec, document version and options, computed once however many requests ask. Each
 * request waits with its own cancellation token; once every request waiting for an evaluation
 * has been cancelled, the evaluation is stopped, unless one of them asked to keep it.
 */
export class Evaluations {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly compute: Compute) {}

  /**
   * The results; rejects with RequestCancelled as soon as `token` is cancelled. With `keep`, the
   * evaluation goes on after that for later requests: hovers and code lenses come and go with
   * the mouse and the scrolling, and would otherwise never see a slow evaluation end.
   */
  get(file: string, version: number, options: EvalOptions, token: CancellationToken, keep = false): Promise<EvaluateResult> {
    if (token.isCancellationRequested) return Promise.reject(cancelled());
    const key = `${file}\0${version}\0${JSON.stringify(options)}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.start(key, file, options);
      this.entries.set(key, entry);
      if (this.entries.size > KEPT) this.entries.delete(this.entries.keys().next().value!);
    }
    entry.kept ||= keep;
    return this.wait(key, entry, token);
  }

  /** Whether results for this version and options are computed or being computed. */
  has(file: string, version: number, options: EvalOptions): boolean {
    return this.entries.has(`${file}\0${version}\0${JSON.stringify(options)}`);
  }

  /** Forgets every result (what they were computed from changed); running ones go on for their requests. */
  clear(): void {
    this.entries.clear();
  }

  private start(key: string, file: string, options: EvalOptions): Entry {
    const controller = new AbortController();
    let result: Promise<EvaluateResult>;
    try {
      result = this.compute(file, options, controller.signal);
    } catch (e) {
      result = Promise.reject(e);
    }
    const entry: Entry = { result, controller, waiters: 0, kept: false, settled: false };
    // A failure is not kept: the next request tries again.
    result.then(() => (entry.settled = true), () => {
      entry.settled = true;
      this.forget(key, entry);
    });
    return entry;
  }

  private wait(key: string, entry: Entry, token: CancellationToken): Promise<EvaluateResult> {
    return waitShared(entry, token, () => {
      if (entry.kept || entry.settled) return;
      entry.controller.abort();
      this.forget(key, entry);
    });
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
