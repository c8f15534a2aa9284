import type { EvalProblem, EvalResult } from '../../engine/results';

/**
 * Every problem of a run, each once: the spec's, then the KPIs', then the sources'. The results
 * model repeats a problem where it applies (a KPI's own list holds its copy of a spec problem,
 * and a source that lacks a `--by` dimension is noted under each KPI that reads it), so a flat
 * list must drop the repeats. A source's unreadable file is dropped too when the checker said
 * it already, at the source, as "… is not evaluated: cannot read data file `x`: <why>".
 */
export function problemsOnce(result: EvalResult): EvalProblem[] {
  const seen = new Set<string>();
  const said = result.problems.map((p) => p.message);
  const fromSources = result.sources.flatMap((s) => s.problems).filter((p) => !(p.severity === 'error' && said.some((m) => m.endsWith(`: ${p.message}`))));
  return [...result.problems, ...result.kpis.flatMap((k) => k.problems), ...fromSources].filter((p) => {
    const key = `${p.severity}\n${p.file}\n${p.line}\n${p.column}\n${p.message}`;
    return !seen.has(key) && !!seen.add(key);
  });
}
