/**
 * `npm run fuzz`: the full fuzz run. KPISPEC_FUZZ_SEED picks the seed (default: the time),
 * KPISPEC_FUZZ_CASES the number of spec mutations (20,000; the LSP requests are 3,000 or a
 * sixth as many), KPISPEC_FUZZ_ONLY=checker[:case] or lsp runs one part (or one case).
 */
import { runCheckerFuzz } from './checkerFuzz';
import { lspReport, runLspFuzz } from './lspFuzz';
import { fuzzSettings } from './prng';

async function main(): Promise<number> {
  const { seed, cases } = fuzzSettings({ seed: Date.now() % 1e9, cases: 20_000 });
  const [part, only] = (process.env.KPISPEC_FUZZ_ONLY ?? '').split(':');
  const requests = Math.max(1, Math.round(cases / 20_000 * 3000));
  console.log(`kpispec fuzz: seed ${seed} (replay with KPISPEC_FUZZ_SEED=${seed})`);
  let failed = false;
  if (part !== 'lsp') {
    const run = runCheckerFuzz(seed, cases, { only: only === undefined ? undefined : Number(only) });
    const s = run.slowest;
    console.log(`checker: ${run.cases} mutated specs in ${(run.ms / 1000).toFixed(1)} s, ${run.failures.length} failing; slowest case ${Math.round(s?.ms ?? 0)} ms (${s?.base}: ${s?.ops.join('; ')})`);
    if (run.reports.length) console.log(run.reports.join('\n\n'));
    failed ||= run.failures.length > 0;
  }
  if (part !== 'checker') {
    const run = await runLspFuzz(seed, requests);
    console.log(`lsp: ${run.requests} requests and ${run.changes} changes in ${(run.ms / 1000).toFixed(1)} s; slowest request ${Math.round(run.slowest.ms)} ms (${run.slowest.method}, step ${run.slowest.step})`);
    if (run.faults.length) console.log(lspReport(run));
    failed ||= run.faults.length > 0;
  }
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
