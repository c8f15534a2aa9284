/**
 * The formatter's safety check: the text after formatting must hold the same data (mappings
 * compared without regard to key order, a null however it is written) and the same comments
 * as before. A layout that fails it is never written.
 */
import { Lexer } from 'yaml';
import { loadYaml } from '../yaml/load';
import type { YNode } from '../yaml/tree';
import { trimEnd } from './trivia';

export function sameMeaning(before: string, after: string): boolean {
  const a = read(before);
  const b = read(after);
  return a !== undefined && b !== undefined && a.data === b.data && a.comments === b.comments;
}

function read(text: string): { data: string; comments: string } | undefined {
  const loaded = loadYaml(text, '');
  if (loaded.problems.some((p) => p.rule === 'yaml-syntax' || p.rule === 'yaml-alias-limit')) return undefined;
  return { data: shape(loaded.root, new Map()), comments: JSON.stringify(comments(text).sort()) };
}

/** Every comment, as the yaml package's lexer finds them. */
export function comments(text: string): string[] {
  const out: string[] = [];
  for (const token of new Lexer().lex(text)) if (token[0] === '#') out.push(trimEnd(token));
  return out;
}

/** The data of a tree as text; a node reached again through an alias is written once. */
function shape(node: YNode | null, seen: Map<YNode, string>): string {
  if (!node) return 'null';
  const known = seen.get(node);
  if (known !== undefined) return known;
  let out: string;
  if (node.kind === 'scalar') out = node.value === null ? 'null' : JSON.stringify([typeof node.value, String(node.value)]);
  else if (node.kind === 'seq') out = `[${node.items.map((i) => shape(i, seen)).join(',')}]`;
  else out = `{${node.pairs.map((p) => `${shape(p.key, seen)}:${shape(p.value, seen)}`).sort().join(',')}}`;
  seen.set(node, out);
  return out;
}
