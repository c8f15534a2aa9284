import type { Severity } from '../../language/problem';
import type { Formatter } from '../report';
import { locateAll, relPath } from './locate';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** Escaping of a workflow command's data (the message), as in @actions/core's escapeData. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a property value: also `:` and `,`, which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `--format github`: one annotation per problem,
 * `::error file=REL,line=L,col=C,endLine=L2,endColumn=C2,title=kpispec RULE::MESSAGE`
 * (`warning` for warnings, `notice` for info and hint). Columns are 1-based UTF-16, endColumn
 * exclusive; col/endColumn are left out of multi-line problems because GitHub rejects columns
 * when line and endLine differ. Related locations become extra lines of the message.
 */
export const github: Formatter = (reports, options) => {
  let out = '';
  for (const f of locateAll(reports, options.cwd)) {
    for (const { problem: p, range: r, related } of f.problems) {
      const props: [string, string | number][] = [['file', f.rel], ['line', r.line]];
      if (r.line === r.endLine) props.push(['col', r.column]);
      props.push(['endLine', r.endLine]);
      if (r.line === r.endLine) props.push(['endColumn', r.endColumn]);
      props.push(['title', `kpispec ${p.rule}`]);
      const message = [p.message, ...related.map((x) => `↳ ${relPath(x.file, options.cwd)}:${x.range.line}:${x.range.column} ${x.message}`)].join('\n');
      out += `::${COMMAND[p.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}\n`;
    }
  }
  return out;
};
