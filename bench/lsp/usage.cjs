// Preloaded into a benchmarked command (node -r bench/lsp/usage.cjs …): when the process exits it
// writes its CPU time (user + system, all threads) and peak memory (maxRSS) to $KPISPEC_BENCH_USAGE.
const fs = require('node:fs');

process.on('exit', () => {
  const r = process.resourceUsage();
  fs.writeFileSync(process.env.KPISPEC_BENCH_USAGE, JSON.stringify({ cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000, peakMB: r.maxRSS / 1024 }));
});
