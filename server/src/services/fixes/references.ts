import type { KpiDef } from '../../language/model';
import { spanEnd } from '../../language/span';
import { defAt, freeId, kpiWithFormulaAt } from './common';
import { sectionInsertion } from './sections';
import type { Fix, Fixer } from './types';
import { replace, sameSpan } from './yamlEdits';

/**
 * wrong-reference-kind:
 * - a metric's `source` naming a metric: that metric's source;
 * - a source in a KPI formula: a new metric counting its rows, named in the formula;
 * - a metric in a goal's `kpis`: a KPI in scope whose formula is just that metric (preferred),
 *   or a new KPI `<metric>_kpi` with `formula: <metric>`, named in the goal.
 * A goal in a formula has no fix: a goal has no value to compute with.
 */
export const wrongReferenceKind: Fixer = (env, p) => {
  const { snap } = env;
  const written = snap.text.slice(p.span.offset, spanEnd(p.span));
  const at = defAt(snap, p.span.offset);
  const metric = at?.kind === 'metric' && at.source && sameSpan(at.source.span, p.span) ? at : undefined;
  if (metric) {
    const named = snap.scope.names.get(metric.source!.value);
    const src = named?.kind === 'metric' && named.source ? snap.scope.sources.get(named.source.value) : undefined;
    if (!src) return [];
    return [{ title: `Change to \`${src.id}\` (the source of \`${named!.id}\`)`, edits: [replace(snap.file, p.span, src.id)], batch: true }];
  }
  const kpi = kpiWithFormulaAt(snap, p.span.offset);
  if (kpi) {
    const src = snap.scope.sources.get(written);
    if (!src || snap.scope.names.has(written)) return [];
    const id = freeId(env, `${src.id}_count`, false);
    if (!id) return [];
    return [{
      title: `Count the rows of \`${src.id}\` in a new metric \`${id}\``,
      edits: [sectionInsertion(snap, 'metrics', `${id}: { source: ${src.id}, agg: count }`, ['kpis', 'goals']), replace(snap.file, p.span, id)],
    }];
  }
  const goal = at?.kind === 'goal' ? at : undefined;
  const member = goal?.members.find((m) => sameSpan(m.span, p.span));
  const named = member && snap.scope.names.get(member.kpi);
  if (!goal || !member || named?.kind !== 'metric') return [];
  const out: Fix[] = [];
  const same = [...snap.scope.names.values()].find((d): d is KpiDef => d.kind === 'kpi' && d.formula?.expr.kind === 'name' && d.formula.expr.name === named.id);
  if (same && !goal.members.some((m) => m.kpi === same.id)) {
    out.push({ title: `Change to KPI \`${same.id}\` (\`formula: ${named.id}\`)`, edits: [replace(snap.file, p.span, same.id)], preferred: true, batch: true });
  }
  const id = freeId(env, `${named.id}_kpi`, false);
  if (id) {
    out.push({
      title: `Create KPI \`${id}\` with \`formula: ${named.id}\` and name it here`,
      edits: [sectionInsertion(snap, 'kpis', `${id}: { formula: ${named.id} }`, ['goals']), replace(snap.file, p.span, id)],
    });
  }
  return out;
};

const OPERATORS = new Map([['=', '=='], ['===', '=='], ['!==', '!='], ['<>', '!='], ['&&', 'and'], ['&', 'and'], ['||', 'or'], ['|', 'or'], ['!', 'not']]);

/** formula-syntax: an operator from another language (`=`, `&&`, `||`, `!`, `<>`) written the kpispec way. */
export const formulaSyntax: Fixer = ({ snap }, p) => {
  const written = snap.text.slice(p.span.offset, spanEnd(p.span));
  const op = OPERATORS.get(written);
  if (!op) return [];
  const before = snap.text[p.span.offset - 1] ?? ' ';
  const after = snap.text[spanEnd(p.span)] ?? ' ';
  const word = /^[a-z]/.test(op);
  const newText = `${word && !/[\s(]/.test(before) ? ' ' : ''}${op}${word && !/\s/.test(after) ? ' ' : ''}`;
  return [{ title: `Change \`${written}\` to \`${op}\``, edits: [replace(snap.file, p.span, newText)], preferred: true, batch: true }];
};

