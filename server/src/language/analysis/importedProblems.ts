import { LineIndex } from '../lineIndex';
import type { SpecFile } from '../model';
import type { Problem } from '../problem';
import { rule } from '../rules';
import { isSpecImport, type Workspace } from '../workspace';

/** Related locations a summary links to: the first errors, not all of a broken file's. */
const LINKS = 5;
/** Named with their chain by the import check of the importing file itself. */
const LEFT_TO_IMPORT_CHECKS = new Set(['import-not-found', 'import-cycle']);

/**
 * imported-problems: the errors of the files an `imports:` entry brings in, however deep,
 * summed up at that entry (how many, the first, links to the first few). What is defined
 * there with an error is not evaluated, and neither is what depends on it here: checking this
 * file alone must say so. A file is summed up at the first entry that reaches it; import-not-found and
 * import-cycle are left to the import checks, which name the chain.
 */
export function importedProblems(ws: Workspace, spec: SpecFile, problemsOf: (file: string) => Problem[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>([spec.file]);
  for (const imp of spec.imports) {
    if (!isSpecImport(imp.value)) continue;
    const target = ws.resolveImport(spec.file, imp.value);
    if (seen.has(target)) continue;
    const errors: Problem[] = [];
    const files: string[] = [];
    const queue = [target];
    seen.add(target);
    while (queue.length) {
      const f = queue.shift()!;
      const parsed = ws.load(f).parsed;
      if (!parsed) continue;
      files.push(f);
      errors.push(...problemsOf(f).filter((p) => p.severity === 'error' && !LEFT_TO_IMPORT_CHECKS.has(p.rule)));
      for (const next of parsed.spec.imports) {
        if (!isSpecImport(next.value)) continue;
        const n = ws.resolveImport(f, next.value);
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    if (!errors.length) continue;
    const first = errors[0]!;
    const deeper = new Set(errors.map((e) => e.file)).size > 1 || first.file !== target;
    const where = deeper ? `\`${imp.value}\` and the files it imports` : `\`${imp.value}\``;
    out.push({
      rule: 'imported-problems', severity: rule('imported-problems').severity, file: spec.file, span: imp.span,
      message: `${where} ${errors.length === 1 ? 'has an error' : `have ${errors.length} errors`}, the first at ${place(ws, first)}: ${first.message}; what is defined there with an error is not evaluated, nor what uses it here`,
      related: errors.slice(0, LINKS).map((e) => ({ file: e.file, span: e.span, message: e.message })),
    });
  }
  return out;
}

function place(ws: Workspace, p: Problem): string {
  const text = ws.load(p.file).parsed?.spec.text ?? '';
  const { line, character } = new LineIndex(text).positionAt(p.span.offset);
  return `${p.file.slice(p.file.lastIndexOf('/') + 1)}:${line + 1}:${character + 1}`;
}
