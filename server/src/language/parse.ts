import { buildSpec } from './build';
import type { SpecFile } from './model';
import type { Problem } from './problem';
import { checkSchema } from './schema';
import { timed } from './timing';
import { loadYaml } from './yaml/load';

/** A spec file after parsing, before cross-file analysis. */
export interface ParsedSpec {
  spec: SpecFile;
  /** YAML, schema and formula syntax problems. */
  problems: Problem[];
}

/** Text in, model and problems out. Pure; never throws on input. */
export function parseSpec(file: string, text: string): ParsedSpec {
  const loaded = timed('parse', () => loadYaml(text, file));
  const problems = [...loaded.problems];
  // Shape errors on top of broken YAML are mostly echoes of the syntax error: report the cause.
  if (!loaded.problems.some((p) => p.rule === 'yaml-syntax')) problems.push(...timed('schema', () => checkSchema(loaded.root, file)));
  const spec = timed('model', () => buildSpec(file, text, loaded.root));
  // Formulas cut short by a YAML error would only echo it.
  if (loaded.problems.some((p) => p.rule === 'yaml-syntax')) return { spec, problems };
  for (const def of spec.definitions) {
    const formulas = def.kind === 'kpi' ? [def.formula] : def.kind === 'metric' ? [def.where] : [];
    for (const f of formulas) {
      if (!f) continue;
      // A comma right after an unbalanced formula: YAML's flow mapping cut it there.
      const cutByComma = text[f.span.offset + f.span.length] === ',' && f.text.split('(').length > f.text.split(')').length;
      for (const e of f.errors) {
        const hint = cutByComma && e.kind === 'syntax' ? "; inside `{ … }` a comma ends the value, so quote the formula: `formula: 'max(a, b)'`" : '';
        problems.push({ rule: e.kind === 'limit' ? 'formula-too-complex' : 'formula-syntax', severity: 'error', message: e.message + hint, file, span: e.span });
      }
    }
  }
  return { spec, problems };
}
