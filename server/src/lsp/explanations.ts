import type { CancellationToken } from 'vscode-languageserver';
import type { EvaluateResult, ExplainResult } from '../protocol';
import { cancelled } from './evaluations';
import { waitShared } from './sharedWait';

type Entry = { result: Promise<ExplainResult>; controller: AbortController; waiters: number; kept: boolean; value?: ExplainResult };

/** Explanations kept per results (the preview's one KPI at a time, and the hovers'). */
const KEPT = 16;

/**
 * Explanations per results and request, computed once however many requests ask, and kept as
 * long as the results they explain: the results of a version are computed once (Evaluations),
 * and results of a newer version, or after a data file changed, are new objects, which ask anew.
 * Each request waits with its own cancellation token; once every request waiting for an
 * explanation has been cancelled it is stopped, unless one of them asked to keep it (a hover).
 */
export class Explanations {
  private readonly byResults = new WeakMap<EvaluateResult, Map<string, Entry>>();

  get(results: EvaluateResult, key: string, compute: (signal: AbortSignal) => Promise<ExplainResult>, token: CancellationToken, keep = false): Promise<ExplainResult> {
    if (token.isCancellationRequested) return Promise.reject(cancelled());
    let entries = this.byResults.get(results);
    if (!entries) this.byResults.set(results, (entries = new Map()));
    let entry = entries.get(key);
    if (!entry) {
      const controller = new AbortController();
      let result: Promise<ExplainResult>;
      try {
        result = compute(controller.signal);
      } catch (e) {
        result = Promise.reject(e);
      }
      const made: Entry = (entry = { result, controller, waiters: 0, kept: false });
      const list = entries;
      // A failure is not kept: the next request tries again.
      result.then((v) => (made.value = v), () => list.get(key) === made && list.delete(key));
      entries.set(key, entry);
      if (entries.size > KEPT) entries.delete(entries.keys().next().value!);
    }
    entry.kept ||= keep;
    return this.wait(entries, key, entry, token);
  }

  /** The explanation when it is computed already. */
  ready(results: EvaluateResult, key: string): ExplainResult | undefined {
    return this.byResults.get(results)?.get(key)?.value;
  }

  private wait(entries: Map<string, Entry>, key: string, entry: Entry, token: CancellationToken): Promise<ExplainResult> {
    return waitShared(entry, token, () => {
      if (entry.kept || entry.value !== undefined) return;
      entry.controller.abort();
      if (entries.get(key) === entry) entries.delete(key);
    });
  }
}
