import type { EvalProblem, EvalResult } from '../../engine/results';

/**
 * Every problem of a run, each once: the spec's, then the KPIs', then the sources'. The results
 * model repeats a problem where it applies (a KPI's own list holds its copy of a spec problem,
 * and a source that lacks a `--by` dimension is noted under each KPI that reads it), so a flat
 * list must drop the repeats.
 */
export function problemsOnce(result: EvalResult): EvalProblem[] {
  const seen = new Set<string>();
  return [...result.problems, ...result.kpis.flatMap((k) => k.problems), ...result.sources.flatMap((s) => s.problems)].filter((p) => {
    const key = `${p.severity}\n${p.file}\n${p.line}\n${p.column}\n${p.message}`;
    return !seen.has(key) && !!seen.add(key);
  });
}
