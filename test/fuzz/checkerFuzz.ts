import { runCheckerCase, shrink, CheckerRig, type CheckerCase } from './checkerCase';
import { corpus } from './corpus';
import { caseSeed } from './prng';

export interface CheckerRun {
  seed: number;
  cases: number;
  failures: CheckerCase[];
  /** A report per failure: seed, case, operations, faults and the shrunk text, ready to replay. */
  reports: string[];
  slowest: CheckerCase | undefined;
  ms: number;
}

/**
 * `cases` mutations of the corpus through the checker, the engine and the editor features.
 * `only`: run just this case index (replay). Stops collecting after `maxFailures`.
 */
export function runCheckerFuzz(seed: number, cases: number, options: { only?: number; maxFailures?: number; shrink?: boolean } = {}): CheckerRun {
  const bases = corpus();
  const rig = new CheckerRig();
  const run: CheckerRun = { seed, cases: 0, failures: [], reports: [], slowest: undefined, ms: 0 };
  const start = performance.now();
  for (let i = options.only ?? 0; i < (options.only !== undefined ? options.only + 1 : cases); i++) {
    const base = bases[i % bases.length]!;
    const c = runCheckerCase(rig, base, caseSeed(seed, i));
    run.cases++;
    if (!run.slowest || c.ms > run.slowest.ms) run.slowest = c;
    if (!c.faults.length) continue;
    run.failures.push(c);
    const minimal = options.shrink === false ? c.text : shrink(rig, base, c);
    run.reports.push(report(seed, i, c, minimal));
    if (run.failures.length >= (options.maxFailures ?? 3)) break;
  }
  run.ms = performance.now() - start;
  return run;
}

function report(seed: number, i: number, c: CheckerCase, minimal: string): string {
  return [
    `checker case ${i} of seed ${seed} (case seed ${c.seed}) on ${c.base}${c.warm ? ', after checking the base text in the same workspace' : ''}`,
    `  mutations: ${c.ops.join('; ')}`,
    ...c.faults.slice(0, 5).map((f) => `  fault: ${f.split('\n').slice(0, 6).join('\n    ')}`),
    `  minimal text (JSON): ${JSON.stringify(minimal)}`,
    `  replay: KPISPEC_FUZZ_SEED=${seed} KPISPEC_FUZZ_ONLY=checker:${i} npm run fuzz`,
  ].join('\n');
}
