/**
 * `kpispec fmt` and the editor's formatting: spec text in, the same spec in the canonical
 * layout out (docs/format.md). Pure. A file with YAML syntax errors is not formatted: its
 * errors are returned, as `kpispec check` reports them. Formatting never changes what a spec
 * means: every result is checked to hold the same data and comments as the text it came from.
 */
import { Parser } from 'yaml';
import type { Problem } from '../problem';
import { loadYaml } from '../yaml/load';
import { emitDocument } from './emit';
import { readDocument } from './read';
import { sameMeaning } from './same';
import { hasAnchors } from './trivia';

const BOM = '\uFEFF';
const UNSAFE = 'formatting would change what the file says, so it was left as it is (a bug in kpispec fmt: please report it with the file)';

export type FormatResult =
  /** The canonical text (equal to the input when it was canonical already). */
  | { kind: 'formatted'; text: string }
  /** YAML syntax errors: nothing is formatted. */
  | { kind: 'syntax-error'; problems: Problem[] }
  /** The layout would change the data or lose a comment: a bug in the formatter; nothing is formatted. */
  | { kind: 'unsafe'; message: string };

export function formatSpec(text: string, file = ''): FormatResult {
  const problems = loadYaml(text, file).problems.filter((p) => p.rule === 'yaml-syntax');
  if (problems.length) return { kind: 'syntax-error', problems };
  // Lines end as the file's first line ends; a byte order mark stays.
  const crlf = /^[^\n]*\r\n/.test(text);
  const bom = text.startsWith(BOM) ? BOM : '';
  const lf = text.slice(bom.length).replace(/\r\n?/g, '\n');
  let out: string;
  try {
    const tokens = [...new Parser().parse(lf)];
    const layout = readDocument(tokens, lf);
    // Not a mapping (an empty file, a list): nothing to lay out.
    if (!layout) return { kind: 'formatted', text };
    out = emitDocument(layout, { reorder: !hasAnchors(tokens) });
    if (!sameMeaning(lf, out)) return { kind: 'unsafe', message: UNSAFE };
  } catch (e) {
    return { kind: 'unsafe', message: `${UNSAFE}: ${(e as Error)?.message ?? e}` };
  }
  return { kind: 'formatted', text: bom + (crlf ? out.replace(/\n/g, '\r\n') : out) };
}
