import type { Dialect } from './dialect';

/** One CTE: a name, a comment (ids and formulas only, one line each) and its query. */
export interface Cte {
  name: string;
  comment: string[];
  body: string;
  materialized?: boolean;
}

/** The query's text: the header as comments, the CTEs in order under one WITH, then the output rows, sorted. */
export function queryText(header: string[], ctes: Cte[], outputs: string[], d: Dialect): string {
  const parts: string[] = header.map((h) => `-- ${oneLine(h)}`);
  if (ctes.length) parts.push(withClause(ctes, d));
  parts.push(outputs.join('\nUNION ALL\n'));
  parts.push('ORDER BY 1, 2, 3, 4, 5');
  return parts.join('\n') + '\n';
}

/** One SELECT with the CTEs it needs, e.g. a grouped scan made a table of its own. */
export function queryBody(ctes: Cte[], body: string, d: Dialect): string {
  return ctes.length ? `${withClause(ctes, d)}\n${body}\n` : `${body}\n`;
}

function withClause(ctes: Cte[], d: Dialect): string {
  return 'WITH\n' + ctes.map((c) => {
    const comment = c.comment.map((x) => `-- ${oneLine(x)}\n`).join('');
    const mat = c.materialized && d.materialized ? `${d.materialized}` : '';
    return `${comment}${c.name} AS${mat} (\n${indentSql(c.body, 2, d)}\n)`;
  }).join(',\n');
}

/**
 * Indents the lines of SQL text, but never inside a quoted literal or identifier: a value or a
 * column name may hold a line break, and padding it would change it. Backslash escapes count
 * in the dialects that have them in literals (BigQuery, Snowflake, PostgreSQL E'' strings).
 */
export function indentSql(text: string, n: number, d: Dialect): string {
  const backslashEscapes = d.name !== 'duckdb';
  const pad = ' '.repeat(n);
  let out = text.length && text[0] !== '\n' ? pad : '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += c;
    if (quote) {
      if (c === '\\' && (quote === '`' || (quote === "'" && backslashEscapes))) { out += text[++i] ?? ''; continue; }
      if (c === quote) {
        if (text[i + 1] === quote && quote !== '`') { out += text[++i]; continue; }
        quote = '';
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '-' && text[i + 1] === '-') {
      // A comment runs to the end of its line (comments never hold a line break).
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i + 1, stop);
      i = stop - 1;
    } else if (c === '\n' && i + 1 < text.length && text[i + 1] !== '\n') out += pad;
  }
  return out;
}

/** Text for a `--` comment: never a line break, so nothing a user wrote can end the comment. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ');
}
