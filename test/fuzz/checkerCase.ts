import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { evaluateSpec } from '../../server/src/engine/run';
import type { EvalResult } from '../../server/src/engine/results';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { OverlayHost } from '../../server/src/lsp/overlayHost';
import type { Base } from './corpus';
import { problemFaults, type TextOf } from './invariants';
import { mutate } from './mutate';
import { probeOffsets, probeServices } from './probeServices';
import { Rng } from './prng';

/** One case: a mutated base spec, checked (fresh, or after the base in a warm workspace), probed and maybe evaluated. */
export interface CheckerCase {
  base: string;
  seed: number;
  ops: string[];
  text: string;
  /** Checked in a workspace that had checked the base text first (the incremental path). */
  warm: boolean;
  faults: string[];
  ms: number;
}

/** What cases share: the data tables, and per base a workspace kept across cases. */
export class CheckerRig {
  readonly tables = new TableCache();
  private readonly warm = new Map<string, { host: OverlayHost; ws: Workspace }>();

  workspace(base: Base, text: string, warm: boolean): Workspace {
    if (!warm) {
      const host = new OverlayHost(new NodeHost());
      host.setOpen(base.file, text);
      return new Workspace(host, base.root);
    }
    let w = this.warm.get(base.file);
    if (!w) {
      const host = new OverlayHost(new NodeHost());
      w = { host, ws: new Workspace(host, base.root) };
      this.warm.set(base.file, w);
    }
    w.host.setOpen(base.file, base.text);
    w.ws.forget(base.file);
    checkFiles(w.ws, [base.file]);
    w.host.setOpen(base.file, text);
    w.ws.forget(base.file);
    return w.ws;
  }
}

/** Runs case `seed` on a base; the text may be given (to replay or shrink a failure). */
export function runCheckerCase(rig: CheckerRig, base: Base, seed: number, given?: string): CheckerCase {
  const rng = new Rng(seed);
  const mutation = given === undefined ? mutate(base.text, rng) : { text: given, ops: ['(given text)'] };
  const warm = rng.chance(0.3);
  const c: CheckerCase = { base: base.name, seed, ops: mutation.ops, text: mutation.text, warm, faults: [], ms: 0 };
  const start = performance.now();
  try {
    const ws = rig.workspace(base, mutation.text, warm);
    const textOf: TextOf = (file) => (file === base.file ? mutation.text : /\.kpi\.ya?ml$/.test(file) ? ws.load(file).parsed?.spec.text : undefined);
    const [result] = checkFiles(ws, [base.file]);
    if (!result) throw new Error('checkFiles returned nothing');
    if (result.text !== mutation.text) c.faults.push('the check read another text than the one given');
    c.faults.push(...problemFaults(result.problems, textOf));
    let results: EvalResult | undefined;
    if (rng.chance(0.3)) results = evaluateSpec(ws, base.file, rng.chance(0.5) ? {} : { grain: rng.pick(['day', 'week', 'quarter', 'year'] as const) }, rig.tables, result.problems);
    c.faults.push(...probeServices(ws, base.file, result.problems, probeOffsets(mutation.text, rng, 6), rng, textOf, results));
  } catch (e) {
    c.faults.push(`threw ${e instanceof Error ? e.stack : String(e)}`);
  }
  c.ms = performance.now() - start;
  return c;
}

/** The first line of a fault, numbers blurred: two runs fail "the same way" when these match. */
export function faultKind(fault: string): string {
  return fault.split('\n')[0]!.replace(/\d+/g, 'N');
}

/**
 * Deletes chunks of lines, then characters, from a failing text while it still fails the same
 * way: the smallest reproduction the greedy search finds (bounded by `budget` runs).
 */
export function shrink(rig: CheckerRig, base: Base, failing: CheckerCase, budget = 400): string {
  const kind = faultKind(failing.faults[0]!);
  const fails = (text: string) => budget-- > 0 && runCheckerCase(rig, base, failing.seed, text).faults.some((f) => faultKind(f) === kind);
  let text = failing.text;
  for (const sep of ['\n', '']) {
    let parts = text.split(sep);
    for (let chunk = Math.max(1, parts.length >> 1); chunk >= 1; chunk >>= 1) {
      for (let i = 0; i < parts.length && budget > 0;) {
        const candidate = [...parts.slice(0, i), ...parts.slice(i + chunk)];
        if (fails(candidate.join(sep))) parts = candidate;
        else i += chunk;
      }
    }
    text = parts.join(sep);
    if (text.length > 400) break; // character by character only for short texts
  }
  return text;
}
