import { FUNCTIONS } from '../language/formula/functions';
import { scan } from '../language/formula/scanner';
import { formulaCursor } from './completionContext';
import { rollupFunctions } from './relationHover';
import type { Snapshot } from './snapshot';
import type { SignatureHelp } from './types';

/**
 * Signature help inside a function call of a formula (a KPI formula, a `where`, a derived
 * column, or a rollup's aggregate with its own functions): the
 * innermost call whose parentheses hold the cursor, its signature with each parameter's span in
 * the label, and the active parameter counted from the top-level commas before the cursor.
 */
export function signatureHelp(snap: Snapshot, offset: number): SignatureHelp | undefined {
  if (offset < 0 || offset > snap.text.length) return undefined;
  const fc = formulaCursor(snap, offset);
  if (!fc) return undefined;
  const call = openCall(fc.prefix);
  if (!call) return undefined;
  if (fc.kind === 'aggregate') {
    const agg = rollupFunctions().find((f) => f.name === call.name);
    return agg ? { label: agg.signature, documentation: `In a rollup's \`aggregate\`: ${agg.doc}`, parameters: parameterSpans(agg.signature), active: call.commas } : undefined;
  }
  const fn = FUNCTIONS.get(call.name);
  if (!fn) return undefined;
  const parameters = parameterSpans(fn.signature);
  const variadic = fn.maxArgs > parameters.length;
  const active = variadic ? Math.min(call.commas, parameters.length - 1) : call.commas;
  const note = fn.time ? '\n\nWorks across periods: only in KPI formulas over sources with a `time` column, never in `where`.' : '';
  return { label: fn.signature, documentation: fn.doc + note, parameters, active };
}

/** The innermost call left open before the end of `prefix`: its name and the commas at its level so far. */
export function openCall(prefix: string): { name: string; commas: number } | undefined {
  const tokens = scan(prefix);
  const stack: { name?: string; commas: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'lparen') {
      const prev = tokens[i - 1];
      stack.push(prev?.kind === 'name' && !prev.text.startsWith('`') ? { name: prev.text, commas: 0 } : { commas: 0 });
    } else if (t.kind === 'rparen') stack.pop();
    else if (t.kind === 'comma' && stack.length) stack[stack.length - 1]!.commas++;
  }
  for (let i = stack.length - 1; i >= 0; i--) {
    const f = stack[i]!;
    if (f.name !== undefined) return { name: f.name, commas: f.commas };
  }
  return undefined;
}

/** Spans of the parameters in a signature such as `prev(x, n = 1)` or `coalesce(a, b, ...)`. */
export function parameterSpans(signature: string): [number, number][] {
  const open = signature.indexOf('(');
  const close = signature.lastIndexOf(')');
  if (open < 0 || close <= open + 1) return [];
  const out: [number, number][] = [];
  let start = open + 1;
  for (let i = open + 1; i <= close; i++) {
    if (i === close || signature[i] === ',') {
      let s = start;
      while (signature[s] === ' ') s++;
      out.push([s, i]);
      start = i + 1;
    }
  }
  return out;
}
