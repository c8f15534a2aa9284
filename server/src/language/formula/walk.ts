import type { Expr, NameRef } from './ast';

/** The direct subexpressions of a node, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'binary':
      return [e.left, e.right];
    case 'unary':
      return [e.operand];
    case 'call':
      return e.args;
    default:
      return [];
  }
}

/**
 * Calls fn for every name reference in source order; a call's callee is not a reference.
 * Iterative, so it is safe on any tree, not only on parser output within the depth limit.
 */
export function forEachName(e: Expr, fn: (name: NameRef) => void): void {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'name') fn(node);
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}
