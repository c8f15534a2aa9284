import type { CsvRows } from './csv';
import type { DataProblem } from './table';
import { plural, type Tally } from './tally';

/** What went wrong with a CSV file's rows as rows: cells too few or too many, a quote never closed. */
export function rowProblems(headerLength: number, ragged: Tally, unclosed: CsvRows['unclosed']): DataProblem[] {
  const out: DataProblem[] = [];
  const n = ragged.count;
  const problem = ragged.problem('ragged-row', `${plural(n, 'row')} ${n === 1 ? 'has' : 'have'} a different number of cells than the header (${headerLength}); missing cells are empty and extra cells are ignored`);
  if (problem) out.push(problem);
  if (unclosed) {
    const { line, swallowed } = unclosed;
    out.push({
      kind: 'unclosed-quote', count: swallowed, examples: [],
      message: `a quote opened on line ${line} is never closed, so its cell runs to the end of the file: the ${plural(swallowed, 'line')} after it ${swallowed === 1 ? 'is' : 'are'} not read as rows; close the quote, or double a quote inside a value (\`""\`)`,
    });
  }
  return out;
}
