import type { Binary, Call, Expr } from '../../language/formula/ast';
import { metricUnit } from '../../language/analysis/infer';
import { forEachNode } from '../../language/analysis/references';
import type { MetricDef } from '../../language/model';
import { spanEnd } from '../../language/span';
import { describeUnit } from '../../language/units';
import { kpiWithFormulaAt, quote } from './common';
import type { Fix, FixEnv, Fixer } from './types';
import { replace } from './yamlEdits';

/** At most this many "use another metric" rewrites per problem, closest names first. */
const MAX_OPERANDS = 3;

/**
 * unit-mismatch. The checker gives the two units in `data` (`left`, `right`; for a call, `arg`:
 * the argument whose unit differs from the ones before it). Offered, none preferred, since
 * what was meant is the author's call:
 * - a ratio, when a sum or difference combines an amount (money, seconds) with a count:
 *   `revenue - orders` → `revenue / orders` (money per order), the amount on top;
 * - the operand named on the right (else on the left; the differing argument of a call)
 *   replaced by another metric in scope of the other side's unit: `revenue - sessions` →
 *   `revenue - cost`, `max(revenue, orders)` → `max(revenue, refunds)`.
 */
export const unitMismatch: Fixer = (env, p) => {
  const left = p.data?.left;
  const right = p.data?.right;
  if (typeof left !== 'string' || typeof right !== 'string') return [];
  const kpi = kpiWithFormulaAt(env.snap, p.span.offset);
  if (!kpi?.formula) return [];
  let node: Binary | Call | undefined;
  forEachNode(kpi.formula.expr, (e) => {
    if (e.kind === 'binary' && e.opSpan.offset === p.span.offset) node = e;
    else if (e.kind === 'call' && e.calleeSpan.offset === p.span.offset) node = e;
  });
  if (!node) return [];
  const out: Fix[] = [];
  if (node.kind === 'binary') {
    if (node.op === '+' || node.op === '-') {
      const ratio = ratioOf(env, node, left, right);
      if (ratio) out.push(ratio);
    }
    if (node.right.kind === 'name') out.push(...operandFixes(env, node.right, left, [node.left]));
    else if (node.left.kind === 'name') out.push(...operandFixes(env, node.left, right, [node.right]));
  } else {
    const i = Number(p.data?.arg);
    const arg = node.args[i];
    if (arg?.kind === 'name') out.push(...operandFixes(env, arg, left, node.args.filter((a) => a !== arg)));
  }
  return out;
};

const AMOUNT = /^([A-Z]{3}|seconds)$/;

/** `a - b` → `a / b` with the amount over the count, when one side is a count and the other money or seconds. */
function ratioOf(env: FixEnv, e: Binary, left: string, right: string): Fix | undefined {
  const text = env.snap.text;
  const leftText = text.slice(e.span.offset, e.opSpan.offset).trim();
  const rightText = text.slice(spanEnd(e.opSpan), spanEnd(e.span)).trim();
  let top: { e: Expr; text: string; unit: string };
  let bottom: { e: Expr; text: string };
  if (right === 'count' && AMOUNT.test(left)) [top, bottom] = [{ e: e.left, text: leftText, unit: left }, { e: e.right, text: rightText }];
  else if (left === 'count' && AMOUNT.test(right)) [top, bottom] = [{ e: e.right, text: rightText, unit: right }, { e: e.left, text: leftText }];
  else return undefined;
  const t = needsParens(top.e, 'left') && !wrapped(top.text) ? `(${top.text})` : top.text;
  const b = needsParens(bottom.e, 'right') && !wrapped(bottom.text) ? `(${bottom.text})` : bottom.text;
  const newText = `${t} / ${b}`;
  return { title: `Change to \`${quote(newText)}\` (a ratio: ${top.unit} per count)`, edits: [replace(env.snap.file, e.span, newText)] };
}

/** An operand that binds less tightly than `/` on that side needs parentheses. */
function needsParens(e: Expr, side: 'left' | 'right'): boolean {
  if (e.kind === 'binary') return side === 'right' || !(e.op === '*' || e.op === '/');
  return false;
}

/** Text already in one pair of parentheses from end to end. */
function wrapped(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0 && i < text.length - 1) return false;
  }
  return true;
}

/** The name replaced by each metric in scope of `unit` (other than the names it is combined with), closest names first. */
function operandFixes(env: FixEnv, name: Extract<Expr, { kind: 'name' }>, unit: string, others: Expr[]): Fix[] {
  const ctx = env.context();
  const exclude = new Set([name.name, ...others.filter((o) => o.kind === 'name').map((o) => (o as { name: string }).name)]);
  const candidates: { m: MetricDef; order: number }[] = [];
  let order = 0;
  for (const def of env.snap.scope.names.values()) {
    if (def.kind !== 'metric' || exclude.has(def.id)) continue;
    if (describeUnit(metricUnit(ctx, def)) === unit) candidates.push({ m: def, order: order++ });
  }
  const own = (m: MetricDef) => (m.file === env.snap.file ? 0 : 1);
  candidates.sort((a, b) => own(a.m) - own(b.m) || closeness(name.name, b.m.id) - closeness(name.name, a.m.id) || a.order - b.order);
  return candidates.slice(0, MAX_OPERANDS).map(({ m }) => ({
    title: `Change \`${name.name}\` to \`${m.id}\` (${unit})`,
    edits: [replace(env.snap.file, name.span, m.id)],
  }));
}

/** Words two ids share (`ad_spend`, `spend_total`: 1). */
function closeness(a: string, b: string): number {
  const words = new Set(a.split('_'));
  return b.split('_').filter((w) => words.has(w)).length;
}
